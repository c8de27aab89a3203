/**
 * Emails as their receiver sees them: composed here, parsed by an independent MIME parser
 * (mailparser), and sent through the SES emulator with the real SES client.
 */
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSes, storedEmails } from '../../test/support/ses';
import { composeRawEmail, encodeHeaderText } from './raw-email';
import { createSesMailer } from './ses-mailer';

const options = { messageId: '<m-1@example.com>', date: new Date('2026-01-19T10:00:00Z') };

describe('composeRawEmail', () => {
  it('reads back, through mailparser, exactly as written: any language, long lines, several recipients', async () => {
    const text = `Grüße aus Köln — 你好 🎉\n\n${'a very long line '.repeat(40)}\n> quoted\n`;
    const subject =
      'Ihre Eskalation wurde bestätigt: “VPN” bricht ab 🙈 — and a subject long enough to need two encoded words';
    const raw = composeRawEmail(
      { from: 'mentoring@example.com', to: ['ada@example.com', 'grace@example.com'], subject, text },
      options,
    );
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(subject);
    expect(parsed.text?.replace(/\r\n/g, '\n')).toBe(text);
    expect(parsed.from?.text).toBe('mentoring@example.com');
    expect(
      (Array.isArray(parsed.to) ? parsed.to : [parsed.to]).flatMap((to) => to?.value.map((address) => address.address)),
    ).toEqual(['ada@example.com', 'grace@example.com']);
    expect(parsed.messageId).toBe('<m-1@example.com>');
    expect(parsed.date?.toISOString()).toBe('2026-01-19T10:00:00.000Z');
    expect(raw.split('\r\n').every((line) => line.length <= 998)).toBe(true);
  });

  it('cannot be made to carry another header through its subject or an address', async () => {
    const raw = composeRawEmail(
      { from: 'mentoring@example.com', to: ['ada@example.com'], subject: 'Hi\r\nBcc: evil@example.com', text: 'x' },
      options,
    );
    const parsed = await simpleParser(raw);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.subject).toBe('Hi\r\nBcc: evil@example.com');
    expect(() =>
      composeRawEmail(
        { from: 'mentoring@example.com', to: ['ada@example.com\r\nBcc: evil@example.com'], subject: 's', text: 'x' },
        options,
      ),
    ).toThrow(/Not an email address/);
    expect(() =>
      composeRawEmail({ from: 'mentoring@example.com', to: [], subject: 's', text: 'x' }, options),
    ).toThrow();
  });

  it('sends an HTML version beside the text as multipart/alternative, each read back as written', async () => {
    const html = '<p>Grüße, <strong>Ada</strong> &amp; team</p>';
    const raw = composeRawEmail(
      { from: 'mentoring@example.com', to: ['ada@example.com'], subject: 'Pulse', text: 'Grüße, Ada & team', html },
      options,
    );
    const parsed = await simpleParser(raw);
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(parsed.text?.trim()).toBe('Grüße, Ada & team');
    expect(parsed.html).toBe(html);
    expect(parsed.attachments).toEqual([]);
  });

  it('leaves plain ASCII subjects readable', () => {
    expect(encodeHeaderText('Your escalation was resolved')).toBe('Your escalation was resolved');
  });
});

describe('the SES mailer against the SES emulator', () => {
  let ses: Awaited<ReturnType<typeof startTestSes>>;
  beforeAll(async () => {
    ses = await startTestSes();
  });
  afterAll(() => ses.stop());

  it('sends with SendRawEmail; the emulator’s inbox holds it as written', async () => {
    const mailer = createSesMailer({
      client: ses.client,
      senderEmail: 'mentoring@example.com',
      configurationSet: 'mentoring-local',
    });
    expect(
      await mailer.send({ to: ['ada@example.com'], subject: 'Bestätigt ✓', text: 'Hallo Ada,\n\nerledigt.' }),
    ).toBeTruthy();
    const [email] = await storedEmails(ses);
    expect(email).toMatchObject({
      from: 'mentoring@example.com',
      subject: 'Bestätigt ✓',
      destination: { to: ['ada@example.com'] },
    });
    expect(email?.body.text?.replace(/\r\n/g, '\n')).toBe('Hallo Ada,\n\nerledigt.');
  });
});
