/** Messages and invites as receivers read them: mailparser for MIME, ical.js for iCalendar. */
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { readCalendar } from '../../../test/support/calendar';
import { rawHeader } from '../../../test/support/ses';
import { buildInvite, foldLine } from './icalendar';
import { buildMime, encodeHeaderText } from './mime';

const invite = (method: 'REQUEST' | 'CANCEL', sequence: number) =>
  buildInvite({
    method,
    uid: 'session-1@mentoring.example',
    sequence,
    stamp: new Date('2027-03-01T12:00:00Z'),
    start: new Date('2027-03-02T09:00:00Z'),
    end: new Date('2027-03-02T09:30:00Z'),
    summary: '1:1: Zoë Ağaoğlu and Grace Hopper',
    description:
      'Agenda: goals; feedback, next steps\nSecond line with a backslash \\ and a very long tail that must be folded somewhere along the way',
    location: 'https://meet.example.com/mentoring-session-1?x=1,2;3',
    organizer: { name: 'Mentoring programme', email: 'mentoring@example.com' },
    attendees: [
      { name: 'Zoë Ağaoğlu', email: 'zoe@example.com' },
      { name: 'Grace "Amazing" Hopper', email: 'grace@example.com' },
    ],
  });

describe('MIME messages', () => {
  it('read back with mailparser: addresses, encoded subject, headers, text, HTML and the invite', async () => {
    const calendar = invite('REQUEST', 2);
    const raw = buildMime({
      from: { name: 'Mentoring programme', address: 'mentoring@example.com' },
      to: { name: 'Zoë Ağaoğlu', address: 'zoe@example.com' },
      subject:
        'Invitation: 1:1 with Grace Hopper — Tuesday 2 March 2027, 10:00 CET, a subject long enough to need several encoded words',
      date: new Date('2027-03-01T12:00:00Z'),
      messageId: 'notice-1@mentoring.example',
      headers: {
        'List-Unsubscribe': '<https://api.example/email-links/unsubscribe/v1.x.y>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      text: 'Hello Zoë,\nsee you there.',
      html: '<p>Hello Zoë,</p><p>see you there.</p>',
      calendar: { method: 'REQUEST', content: calendar },
    });
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    const mail = await simpleParser(raw);
    expect(mail.from?.value).toEqual([{ name: 'Mentoring programme', address: 'mentoring@example.com' }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([
      { name: 'Zoë Ağaoğlu', address: 'zoe@example.com' },
    ]);
    expect(mail.subject).toBe(
      'Invitation: 1:1 with Grace Hopper — Tuesday 2 March 2027, 10:00 CET, a subject long enough to need several encoded words',
    );
    expect(mail.messageId).toBe('<notice-1@mentoring.example>');
    expect(rawHeader(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(rawHeader(mail, 'List-Unsubscribe')).toBe('<https://api.example/email-links/unsubscribe/v1.x.y>');
    expect(mail.text?.trim()).toBe('Hello Zoë,\nsee you there.');
    expect(mail.html).toBe('<p>Hello Zoë,</p><p>see you there.</p>');
    const ics = mail.attachments.find((attachment) => attachment.filename === 'invite.ics');
    expect(ics?.contentType).toBe('application/ics');
    expect(ics?.content.toString('utf8')).toBe(calendar);
    const inline = mail.attachments.find((attachment) => attachment.contentType === 'text/calendar');
    expect(inline?.content.toString('utf8')).toBe(calendar);
  });

  it('encode header text only when it is not plain ASCII, in words of at most 75 characters', () => {
    expect(encodeHeaderText('Plain subject')).toBe('Plain subject');
    for (const word of encodeHeaderText('Ünïcødé '.repeat(20)).split('\r\n '))
      expect(word.length).toBeLessThanOrEqual(75);
  });
});

describe('iCalendar invites', () => {
  it('read back with ical.js: method, UID, sequence, times, text, link, organizer and attendees', () => {
    const calendar = readCalendar(invite('REQUEST', 2));
    expect(calendar.method).toBe('REQUEST');
    expect(calendar.events).toHaveLength(1);
    const [event] = calendar.events;
    expect(event).toMatchObject({
      uid: 'session-1@mentoring.example',
      sequence: 2,
      summary: '1:1: Zoë Ağaoğlu and Grace Hopper',
      description:
        'Agenda: goals; feedback, next steps\nSecond line with a backslash \\ and a very long tail that must be folded somewhere along the way',
      location: 'https://meet.example.com/mentoring-session-1?x=1,2;3',
      url: 'https://meet.example.com/mentoring-session-1?x=1,2;3',
      status: 'CONFIRMED',
      organizer: { email: 'mentoring@example.com', name: 'Mentoring programme' },
      attendees: [
        { email: 'zoe@example.com', name: 'Zoë Ağaoğlu' },
        { email: 'grace@example.com', name: 'Grace Amazing Hopper' },
      ],
    });
    expect(event?.start.toISOString()).toBe('2027-03-02T09:00:00.000Z');
    expect(event?.end.toISOString()).toBe('2027-03-02T09:30:00.000Z');
  });

  it('cancel with METHOD:CANCEL, the same UID, a higher sequence and STATUS:CANCELLED', () => {
    const [event] = readCalendar(invite('CANCEL', 3)).events;
    expect(readCalendar(invite('CANCEL', 3)).method).toBe('CANCEL');
    expect(event).toMatchObject({ uid: 'session-1@mentoring.example', sequence: 3, status: 'CANCELLED' });
  });

  it('fold lines at 75 octets without splitting a character', () => {
    const folded = foldLine(`DESCRIPTION:${'ü'.repeat(100)}`);
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(
      folded
        .split('\r\n')
        .map((line, index) => (index === 0 ? line : line.slice(1)))
        .join(''),
    ).toBe(`DESCRIPTION:${'ü'.repeat(100)}`);
  });
});
