/**
 * The SES mailer against the SES emulator with the real SESClient. The exact bytes SES receives
 * are captured from the SDK and read with an independent MIME parser (mailparser), as a mail
 * client would.
 */
import { SESClient as Client, type SESClient } from '@aws-sdk/client-ses';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/environment';
import { startTestSes, storedEmails } from '../../../test/support/ses';
import { surveyInvitation } from '../domain/mail/messages';
import { buildMimeEmail, encodeHeaderValue } from './mime';
import { createSesMailer } from './ses-mailer';

/** The raw messages the client sent (SendRawEmail's RawMessage.Data). */
const capturing = (client: SESClient) => {
  const raw: Buffer[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { RawMessage?: { Data?: Uint8Array } };
      if (input.RawMessage?.Data) raw.push(Buffer.from(input.RawMessage.Data));
      return next(args);
    },
    { step: 'initialize', name: 'captureRawMessage' },
  );
  return raw;
};

describe('the SES mailer', () => {
  let ses: Awaited<ReturnType<typeof startTestSes>>;
  beforeAll(async () => {
    ses = await startTestSes();
  });
  afterAll(() => ses.stop());

  it('sends a multipart text and HTML email that a MIME parser reads back exactly, non-ASCII included', async () => {
    await ses.clear();
    const client = new Client({ endpoint: ses.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const raw = capturing(client);
    const mailer = createSesMailer({
      ses: client,
      senderEmail: 'mentoring@example.com',
      configurationSet: 'mentoring-local',
    });
    const email = surveyInvitation(
      { name: 'Zoë Nowak', email: 'zoe@example.com', timezone: 'Europe/Warsaw' },
      { surveyId: 'sv-1', title: 'Café & <tools> — grüße', questions: 4, closesAt: '2026-11-28T00:00:00.000Z' },
    );
    await mailer.send(email);

    expect(raw).toHaveLength(1);
    const parsed = await simpleParser(raw[0] as Buffer);
    expect(parsed.subject).toBe('Pulse survey: Café & <tools> — grüße');
    expect(parsed.from?.text).toBe('mentoring@example.com');
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : '').toBe('zoe@example.com');
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(parsed.text).toBe(email.text);
    expect(parsed.html).toContain('<p>Hello Zoë Nowak,</p>');
    expect(parsed.html).toContain('Café &amp; &lt;tools&gt;');
    expect(parsed.text).toContain('Answer before Saturday, 28 November 2026 at 01:00 (your time)');
    expect(parsed.messageId).toMatch(/^<.+@example\.com>$/);

    const [stored] = await storedEmails(ses);
    expect(stored).toMatchObject({ from: 'mentoring@example.com', subject: 'Pulse survey: Café & <tools> — grüße' });
    expect(stored?.destination.to).toEqual(['zoe@example.com']);
    client.destroy();
  });

  it('encodes only the header values that need it, and wraps base64 bodies at 76 characters', () => {
    expect(encodeHeaderValue('Plain subject')).toBe('Plain subject');
    expect(encodeHeaderValue('Ünïcode')).toBe(`=?UTF-8?B?${Buffer.from('Ünïcode').toString('base64')}?=`);
    const mime = buildMimeEmail({
      from: 'a@example.com',
      to: 'b@example.com',
      subject: 's',
      text: 'x'.repeat(500),
      html: '<p>y</p>',
    });
    const longest = Math.max(...mime.split('\r\n').map((line) => line.length));
    expect(longest).toBeLessThanOrEqual(998);
    expect(mime.split('\r\n').filter((line) => /^[A-Za-z0-9+/=]{77,}$/.test(line))).toEqual([]);
  });
});
