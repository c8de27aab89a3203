/**
 * iCalendar (RFC 5545) invites and cancellations for a session, written by hand: one VEVENT with
 * a stable UID per session and a SEQUENCE the service raises on every change, METHOD REQUEST or
 * CANCEL (RFC 5546), times in UTC (every calendar shows them in its owner's zone, so no VTIMEZONE
 * is needed), text escaped and lines folded at 75 octets. Tests read it back with ical.js.
 */

export interface CalendarPerson {
  name: string;
  email: string;
}

export interface CalendarInvite {
  method: 'REQUEST' | 'CANCEL';
  uid: string;
  sequence: number;
  stamp: Date;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  /** The video-call link: LOCATION and URL. */
  location: string;
  organizer: CalendarPerson;
  attendees: readonly CalendarPerson[];
}

const utc = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** TEXT values: backslash, semicolon, comma and line breaks escaped. */
export const escapeText = (text: string): string =>
  text.replaceAll('\\', '\\\\').replaceAll(';', '\\;').replaceAll(',', '\\,').replace(/\r?\n/g, '\\n');

/** A parameter value, quoted (quotes cannot be escaped in iCalendar, so they are dropped). */
const parameter = (value: string) => `"${value.replaceAll('"', '')}"`;

/** Lines of at most 75 octets; continuation lines start with a space; UTF-8 characters stay whole. */
export const foldLine = (line: string): string => {
  const pieces: string[] = [];
  let current = '';
  let limit = 75;
  for (const character of line) {
    if (Buffer.byteLength(current + character) > limit) {
      pieces.push(current);
      current = '';
      limit = 74; // the leading space counts
    }
    current += character;
  }
  pieces.push(current);
  return pieces.join('\r\n ');
};

export const buildInvite = (invite: CalendarInvite): string => {
  const lines = [
    'BEGIN:VCALENDAR',
    'PRODID:-//Mentoring platform//Scheduling//EN',
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `METHOD:${invite.method}`,
    'BEGIN:VEVENT',
    `UID:${invite.uid}`,
    `SEQUENCE:${invite.sequence}`,
    `DTSTAMP:${utc(invite.stamp)}`,
    `DTSTART:${utc(invite.start)}`,
    `DTEND:${utc(invite.end)}`,
    `SUMMARY:${escapeText(invite.summary)}`,
    `DESCRIPTION:${escapeText(invite.description)}`,
    `LOCATION:${escapeText(invite.location)}`,
    `URL:${invite.location}`,
    `ORGANIZER;CN=${parameter(invite.organizer.name)}:mailto:${invite.organizer.email}`,
    ...invite.attendees.map(
      (attendee) =>
        `ATTENDEE;CN=${parameter(attendee.name)};CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:${attendee.email}`,
    ),
    `STATUS:${invite.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
};
