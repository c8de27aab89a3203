import { SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receivedEmails, startTestSes, storedEmails } from '../test/support/ses';

describe('local SES (aws-ses-v2-local) with the real SES client', () => {
  let ses: Awaited<ReturnType<typeof startTestSes>>;

  beforeAll(async () => {
    ses = await startTestSes();
  });
  afterAll(() => ses.stop());

  it('accepts SendEmail and SendRawEmail with a calendar attachment, and returns them from /store', async () => {
    await ses.clear();
    await ses.client.send(
      new SendEmailCommand({
        Source: 'mentoring@example.com',
        Destination: { ToAddresses: ['ada@example.com'] },
        Message: { Subject: { Data: 'Your 1:1 is due' }, Body: { Text: { Data: 'Book a slot.' } } },
      }),
    );
    const invite = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n';
    const raw = [
      'From: mentoring@example.com',
      'To: grace@example.com',
      'Subject: 1:1 invitation',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'See the invitation.',
      '--b1',
      'Content-Type: text/calendar; method=REQUEST; charset=utf-8',
      'Content-Disposition: attachment; filename="invite.ics"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(invite).toString('base64'),
      '--b1--',
      '',
    ].join('\r\n');
    const sent = await ses.client.send(new SendRawEmailCommand({ RawMessage: { Data: Buffer.from(raw) } }));
    expect(sent.MessageId).toBeTruthy();

    const emails = await storedEmails(ses);
    expect(emails.map((email) => email.subject)).toEqual(['Your 1:1 is due', '1:1 invitation']);
    const attachment = emails[1]?.attachments[0];
    expect(attachment?.contentType).toBe('text/calendar');
    expect(Buffer.from(attachment?.content ?? '', 'base64').toString()).toBe(invite);

    // The raw message is kept as it was sent (headers and MIME structure the emulator drops).
    const received = await receivedEmails(ses);
    expect(received.map((email) => email.messageId)).toEqual([sent.MessageId]);
    expect(received[0]?.raw).toBe(raw);
    expect(received[0]?.parsed.subject).toBe('1:1 invitation');

    await ses.clear();
    expect(await storedEmails(ses)).toEqual([]);
    expect(await receivedEmails(ses)).toEqual([]);

    const inbox = await fetch(ses.inboxUrl);
    expect(inbox.status).toBe(200);
    expect(await inbox.text()).toContain('<html');
  });
});
