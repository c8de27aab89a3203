/**
 * Emails with names, list headers and a calendar invite, as their receivers read them: mailparser
 * for the MIME, ical.js for the calendar (test/support/calendar.ts).
 */
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { readCalendar } from '../../test/support/calendar';
import { rawHeader } from '../../test/support/ses';
import { composeRawEmail } from './raw-email';

const calendar = [
  'BEGIN:VCALENDAR',
  'PRODID:-//Test//EN',
  'VERSION:2.0',
  'METHOD:REQUEST',
  'BEGIN:VEVENT',
  'UID:session-1@example.com',
  'SEQUENCE:2',
  'DTSTAMP:20270301T120000Z',
  'DTSTART:20270302T090000Z',
  'DTEND:20270302T093000Z',
  'SUMMARY:1:1: Zoë and Grace',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const invite = composeRawEmail(
  {
    from: { name: 'Mentoring programme', address: 'mentoring@example.com' },
    to: [{ name: 'Zoë Ağaoğlu', address: 'zoe@example.com' }],
    subject: 'Invitation: 1:1 with Grace Hopper — Tuesday 2 March 2027, 10:00 (Europe/Berlin)',
    text: 'Hello Zoë,\nsee you there.',
    html: '<p>Hello Zoë,</p><p>see you there.</p>',
    headers: {
      'List-Unsubscribe': '<https://api.example/email-links/unsubscribe/v1.x.y>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    calendar: { method: 'REQUEST', content: calendar },
  },
  { messageId: '<notice-1@example.com>', date: new Date('2027-03-01T12:00:00Z') },
);

describe('an email with a calendar invite', () => {
  it('reads back with its display names, list headers, text and HTML', async () => {
    const mail = await simpleParser(invite);
    expect(mail.from?.value).toEqual([{ name: 'Mentoring programme', address: 'mentoring@example.com' }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([
      { name: 'Zoë Ağaoğlu', address: 'zoe@example.com' },
    ]);
    expect(mail.subject).toBe('Invitation: 1:1 with Grace Hopper — Tuesday 2 March 2027, 10:00 (Europe/Berlin)');
    expect(rawHeader(mail, 'List-Unsubscribe')).toBe('<https://api.example/email-links/unsubscribe/v1.x.y>');
    expect(rawHeader(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.text?.trim()).toBe('Hello Zoë,\r\nsee you there.'.replace(/\r\n/g, '\n'));
    expect(mail.html).toBe('<p>Hello Zoë,</p><p>see you there.</p>');
    expect(invite.split('\r\n').every((line) => line.length <= 998)).toBe(true);
    // RFC 2046: a boundary is at most 70 characters, whatever the Message-ID.
    for (const [, boundary] of invite.matchAll(/boundary="([^"]+)"/g)) expect(boundary?.length).toBeLessThanOrEqual(70);
  });

  it('carries the calendar as an alternative with its method and as an invite.ics attachment, byte for byte', async () => {
    const mail = await simpleParser(invite);
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/mixed' });
    const inline = mail.attachments.find((attachment) => attachment.contentType === 'text/calendar');
    expect(inline?.content.toString('utf8')).toBe(calendar);
    expect(invite).toContain('Content-Type: text/calendar; charset=utf-8; method=REQUEST');
    const file = mail.attachments.find((attachment) => attachment.filename === 'invite.ics');
    expect(file?.contentType).toBe('application/ics');
    expect(file?.content.toString('utf8')).toBe(calendar);
    expect(readCalendar(file?.content.toString('utf8') ?? '').events[0]).toMatchObject({
      uid: 'session-1@example.com',
      sequence: 2,
    });
  });

  it('refuses headers it must not send, and a calendar without an HTML version', () => {
    const base = { from: 'mentoring@example.com', to: ['ada@example.com'], subject: 's', text: 't', html: '<p>t</p>' };
    const options = { messageId: '<m@example.com>', date: new Date() };
    expect(() => composeRawEmail({ ...base, headers: { Bcc: 'evil@example.com' } }, options)).toThrow(/Not a header/);
    expect(() => composeRawEmail({ ...base, headers: { 'X-Note': 'a\r\nBcc: evil@example.com' } }, options)).toThrow(
      /Not a header/,
    );
    expect(() =>
      composeRawEmail({ ...base, html: undefined, calendar: { method: 'REQUEST', content: calendar } }, options),
    ).toThrow(/HTML/);
    expect(() =>
      composeRawEmail({ ...base, to: [{ name: 'Ada', address: 'ada@example.com>, evil@example.com' }] }, options),
    ).toThrow(/Not an email address/);
  });
});
