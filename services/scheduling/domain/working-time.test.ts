import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wallClockAt } from '../../../shared/time-zones';
import {
  type Availability,
  DAY,
  formatInZone,
  type Interval,
  localDateTime,
  MINUTE,
  nextWorkingMorning,
  previousWorkingMorning,
  subtract,
  suggestSlots,
  withinWorkingHours,
  workingIntervals,
  workingMorningFromDay,
} from './working-time';

const at = (iso: string) => Date.parse(iso);
const iso = (instant: number) => new Date(instant).toISOString();
const person = (personId: string, timezone: string, start = '09:00', end = '17:00'): Availability => ({
  personId,
  timezone,
  workingHours: { start, end },
});

/**
 * Reference, sharing no code with the module: is the person at work at this instant, by the wall
 * clock Intl shows in their zone (Monday-Friday; a night shift belongs to the day it starts)?
 */
const atWorkByWallClock = (someone: Availability, instant: number): boolean => {
  const wall = wallClockAt(instant, someone.timezone);
  const minute = wall.hour * 60 + wall.minute;
  const [startHour, startMinute] = someone.workingHours.start.split(':').map(Number) as [number, number];
  const [endHour, endMinute] = someone.workingHours.end.split(':').map(Number) as [number, number];
  const start = startHour * 60 + startMinute;
  const end = endHour * 60 + endMinute;
  const weekday = new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay(); // 0 Sunday
  const workday = (day: number) => day >= 1 && day <= 5;
  if (start < end) return workday(weekday) && minute >= start && minute < end;
  return (workday(weekday) && minute >= start) || (workday((weekday + 6) % 7) && minute < end);
};

describe('working intervals', () => {
  it('follow each person’s clock across the daylight-saving changes of both hemispheres', () => {
    // New York springs forward on Sunday 2027-03-14; Sydney falls back on Sunday 2027-04-04.
    const newYork = person('ny', 'America/New_York');
    expect(
      workingIntervals(newYork, at('2027-03-12T00:00Z'), at('2027-03-16T00:00Z')).map((i) => iso(i.start)),
    ).toEqual(['2027-03-12T14:00:00.000Z', '2027-03-15T13:00:00.000Z']);
    const sydney = person('syd', 'Australia/Sydney');
    expect(workingIntervals(sydney, at('2027-04-01T00:00Z'), at('2027-04-06T00:00Z')).map((i) => iso(i.start))).toEqual(
      // Thursday's shift (AEDT, still running at the start of the range), then Friday, Monday, Tuesday.
      ['2027-04-01T00:00:00.000Z', '2027-04-01T22:00:00.000Z', '2027-04-04T23:00:00.000Z', '2027-04-05T23:00:00.000Z'],
    );
  });

  it('run a night shift from its start on a working day into the next morning', () => {
    const nights = person('n', 'Europe/Berlin', '22:00', '06:00');
    const shifts = workingIntervals(nights, at('2027-03-05T00:00Z'), at('2027-03-09T00:00Z'));
    // Thursday night runs into Friday, Friday night into Saturday; none start on the weekend.
    expect(shifts.map((i) => [iso(i.start), iso(i.end)])).toEqual([
      ['2027-03-05T00:00:00.000Z', '2027-03-05T05:00:00.000Z'],
      ['2027-03-05T21:00:00.000Z', '2027-03-06T05:00:00.000Z'],
      ['2027-03-08T21:00:00.000Z', '2027-03-09T00:00:00.000Z'],
    ]);
    expect(withinWorkingHours(nights, at('2027-03-06T03:00Z'), at('2027-03-06T04:00Z'))).toBe(true);
    expect(withinWorkingHours(nights, at('2027-03-06T12:00Z'), at('2027-03-06T13:00Z'))).toBe(false);
  });

  it('say whether a session fits inside someone’s hours', () => {
    const berlin = person('b', 'Europe/Berlin');
    expect(withinWorkingHours(berlin, at('2027-03-02T08:00Z'), at('2027-03-02T08:30Z'))).toBe(true);
    expect(withinWorkingHours(berlin, at('2027-03-02T15:45Z'), at('2027-03-02T16:15Z'))).toBe(false);
    expect(withinWorkingHours(berlin, at('2027-03-06T09:00Z'), at('2027-03-06T09:30Z'))).toBe(false); // Saturday
  });
});

describe('slot suggestions', () => {
  it('find the shared hours of people far apart, avoiding their sessions', () => {
    // Berlin 09:00-17:00 and New York 09:00-17:00 share 15:00-17:00 Berlin time (before the US change).
    const slots = suggestSlots({
      people: [person('b', 'Europe/Berlin'), person('ny', 'America/New_York')],
      busy: [{ start: at('2027-03-01T14:30Z'), end: at('2027-03-01T15:00Z') }],
      from: at('2027-03-01T06:00Z'),
      durationMinutes: 30,
      count: 5,
      horizonDays: 14,
    });
    expect(slots.map((slot) => iso(slot.start))).toEqual([
      '2027-03-01T14:00:00.000Z',
      '2027-03-01T15:00:00.000Z',
      '2027-03-01T15:30:00.000Z',
      '2027-03-02T14:00:00.000Z',
      '2027-03-02T14:30:00.000Z',
    ]);
  });

  it('move with a daylight-saving change in one hemisphere while the other stays', () => {
    // Around 2027-04-04 Sydney falls back: 09:00 Sydney is 22:00Z before and 23:00Z after.
    const pair = [
      person('ldn', 'Europe/London', '07:00', '15:00'),
      person('syd', 'Australia/Sydney', '16:00', '23:59'),
    ];
    const before = suggestSlots({
      people: pair,
      busy: [],
      from: at('2027-03-29T00:00Z'),
      durationMinutes: 60,
      count: 1,
      horizonDays: 3,
    });
    const after = suggestSlots({
      people: pair,
      busy: [],
      from: at('2027-04-05T00:00Z'),
      durationMinutes: 60,
      count: 1,
      horizonDays: 3,
    });
    expect(before.map((slot) => localDateTime(slot.start, 'Australia/Sydney'))).toEqual(['2027-03-29T17:00']);
    expect(after.map((slot) => localDateTime(slot.start, 'Australia/Sydney'))).toEqual(['2027-04-05T16:00']);
  });

  it('stay inside everyone’s hours by the wall clock, off their sessions, in order, wherever and whenever they are', () => {
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Australia/Sydney',
      'America/Santiago',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'Pacific/Auckland',
      'America/Sao_Paulo',
    ];
    const hours = fc.constantFrom(
      ['09:00', '17:00'],
      ['07:30', '15:30'],
      ['22:00', '06:00'],
      ['12:00', '20:00'],
      ['00:30', '09:00'],
    );
    const someone = (id: string) =>
      fc
        .record({ zone: fc.constantFrom(...zones), hours })
        .map(({ zone, hours: [start, end] }) => person(id, zone, start, end));
    fc.assert(
      fc.property(
        someone('a'),
        someone('b'),
        // Start dates spread over a year, so both hemispheres' changes fall inside some runs.
        fc.integer({ min: 0, max: 365 }),
        fc.array(
          fc.record({
            day: fc.integer({ min: 0, max: 20 }),
            hour: fc.integer({ min: 0, max: 23 }),
            length: fc.integer({ min: 1, max: 8 }),
          }),
          { maxLength: 12 },
        ),
        fc.constantFrom(30, 45, 60),
        (a, b, offset, sessions, duration) => {
          const from = at('2027-01-01T00:00Z') + offset * DAY + 7 * MINUTE;
          const busy: Interval[] = sessions.map((s) => ({
            start: from + s.day * DAY + s.hour * 60 * MINUTE,
            end: from + s.day * DAY + s.hour * 60 * MINUTE + s.length * 15 * MINUTE,
          }));
          const slots = suggestSlots({
            people: [a, b],
            busy,
            from,
            durationMinutes: duration,
            count: 8,
            horizonDays: 21,
          });
          let previousEnd = from;
          for (const slot of slots) {
            expect(slot.end - slot.start).toBe(duration * MINUTE);
            expect(slot.start).toBeGreaterThanOrEqual(previousEnd);
            expect(slot.start % (15 * MINUTE)).toBe(0);
            for (let t = slot.start; t < slot.end; t += 5 * MINUTE) {
              expect(atWorkByWallClock(a, t), `${a.timezone} ${iso(t)}`).toBe(true);
              expect(atWorkByWallClock(b, t), `${b.timezone} ${iso(t)}`).toBe(true);
            }
            expect(busy.some((block) => block.start < slot.end && slot.start < block.end)).toBe(false);
            previousEnd = slot.end;
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('subtract sessions that overlap each other and the edges', () => {
    expect(
      subtract(
        [{ start: 0, end: 100 }],
        [
          { start: 50, end: 60 },
          { start: -5, end: 10 },
          { start: 55, end: 70 },
          { start: 95, end: 200 },
        ],
      ),
    ).toEqual([
      { start: 10, end: 50 },
      { start: 70, end: 95 },
    ]);
  });
});

describe('local mornings', () => {
  it('are the next working morning in the person’s own zone', () => {
    // Friday 2027-03-05 10:00 in Tokyo: past the morning, and the weekend follows: Monday 08:00 Tokyo.
    expect(iso(nextWorkingMorning(at('2027-03-05T01:00Z'), 'Asia/Tokyo', 480))).toBe('2027-03-07T23:00:00.000Z');
    // Before 08:00 on a Tuesday in Los Angeles: the same morning.
    expect(iso(nextWorkingMorning(at('2027-03-02T10:00Z'), 'America/Los_Angeles', 480))).toBe(
      '2027-03-02T16:00:00.000Z',
    );
  });

  it('from a day, are that day’s morning, or the next working day’s', () => {
    expect(iso(workingMorningFromDay(at('2027-03-02T20:00Z'), 'Europe/Berlin', 480))).toBe('2027-03-02T07:00:00.000Z');
    expect(iso(workingMorningFromDay(at('2027-03-06T10:00Z'), 'Europe/Berlin', 480))).toBe('2027-03-08T07:00:00.000Z');
  });

  it('for the eve of a session, are the last working day before it (Friday for a Monday)', () => {
    expect(iso(previousWorkingMorning(at('2027-03-08T09:00Z'), 'Europe/Berlin', 480))).toBe('2027-03-05T07:00:00.000Z');
    expect(iso(previousWorkingMorning(at('2027-03-10T09:00Z'), 'Europe/Berlin', 480))).toBe('2027-03-09T07:00:00.000Z');
  });

  it('print in the reader’s zone', () => {
    expect(formatInZone(at('2027-03-02T09:00Z'), 'Europe/Berlin')).toBe('Tuesday 2 March 2027, 10:00 (Europe/Berlin)');
    expect(localDateTime(at('2027-03-02T09:00Z'), 'Asia/Kolkata')).toBe('2027-03-02T14:30');
  });
});
