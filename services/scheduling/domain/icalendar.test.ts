/** Invites as calendar clients read them: parsed with ical.js, an independent iCalendar parser. */
import { describe, expect, it } from 'vitest';
import { readCalendar } from '../../../test/support/calendar';
import { buildInvite, foldLine } from './icalendar';

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
