/**
 * Pulse's emails as their receiver sees them: sent with the real SES client to the SES emulator,
 * and the raw message it received read by an independent MIME parser (mailparser).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receivedEmails, startTestSes } from '../../../test/support/ses';
import { checkInReminder, surveyInvitation } from '../domain/mail/messages';
import { pulseMailer } from './dependencies';

describe('pulse emails through SES', () => {
  let ses: Awaited<ReturnType<typeof startTestSes>>;
  beforeAll(async () => {
    ses = await startTestSes();
  });
  afterAll(() => ses.stop());

  it('arrive as text and HTML alternatives, any language intact, on the recipient’s clock', async () => {
    const mailer = pulseMailer(ses.client, 'mentoring@example.com', 'mentoring-local');
    const invitation = surveyInvitation(
      { name: 'Zoë Nowak', email: 'zoe@example.com', timezone: 'Europe/Warsaw' },
      {
        surveyId: 'sv-1',
        url: null,
        title: 'Café & <tools> — grüße',
        questions: 4,
        closesAt: '2026-11-28T00:00:00.000Z',
      },
    );
    await mailer.send(invitation);
    await mailer.send(
      checkInReminder(
        { name: 'Kenji Sato', email: 'kenji@example.com' },
        { month: '2026-10', mentees: ['Ada', 'Grace'] },
      ),
    );

    const [first, second] = await receivedEmails(ses);
    expect(first?.parsed.subject).toBe('Pulse survey: Café & <tools> — grüße');
    expect(first?.parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(first?.parsed.text?.replace(/\r\n/g, '\n')).toBe(invitation.text);
    expect(first?.parsed.text).toContain('Answer before Saturday, 28 November 2026 at 01:00 (your time)');
    expect(first?.parsed.html).toContain('<p>Hello Zoë Nowak,</p>');
    expect(first?.parsed.html).toContain('Café &amp; &lt;tools&gt;');
    expect(second?.parsed.subject).toBe('Check-ins for 2026-10 are missing');
    expect(second?.parsed.text).toContain('You have not recorded a 2026-10 check-in for: Ada, Grace.');
  });
});
