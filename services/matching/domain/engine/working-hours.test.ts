import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testHours, testRunDates, testZones } from './test-support/arbitraries';
import { referenceOverlapMinutes } from './test-support/reference-rules';
import type { MatchingPerson } from './types';
import { localToUtcMillis, overlapMinutes, referenceWeekdays, workSessions, zoneOffsetMinutes } from './working-hours';

const at = (timezone: string, start = '09:00', end = '17:00'): Pick<MatchingPerson, 'timezone' | 'workingHours'> => ({
  timezone,
  workingHours: { start, end },
});

const overlap = (a: ReturnType<typeof at>, b: ReturnType<typeof at>, runDate: Date): number =>
  overlapMinutes(workSessions(a.timezone, a.workingHours, runDate), workSessions(b.timezone, b.workingHours, runDate));

const november = new Date('2026-11-24T09:00:00Z');

describe('working-hours overlap', () => {
  it('uses the Monday to Friday of the run date’s ISO week', () => {
    expect(referenceWeekdays(new Date('2026-11-29T23:00:00Z'))).toEqual([
      [2026, 11, 23],
      [2026, 11, 24],
      [2026, 11, 25],
      [2026, 11, 26],
      [2026, 11, 27],
    ]);
    expect(referenceWeekdays(new Date('2026-11-23T00:00:00Z'))[0]).toEqual([2026, 11, 23]);
  });

  it('converts local wall-clock times through the zone, daylight saving included', () => {
    expect(zoneOffsetMinutes('Europe/Berlin', Date.parse('2026-07-01T12:00:00Z'))).toBe(120);
    expect(zoneOffsetMinutes('Europe/Berlin', Date.parse('2026-12-01T12:00:00Z'))).toBe(60);
    expect(zoneOffsetMinutes('Asia/Kathmandu', Date.parse('2026-12-01T12:00:00Z'))).toBe(345);
    expect(new Date(localToUtcMillis('America/New_York', 2026, 3, 9, 9 * 60)).toISOString()).toBe(
      '2026-03-09T13:00:00.000Z',
    );
    expect(new Date(localToUtcMillis('America/New_York', 2026, 3, 6, 9 * 60)).toISOString()).toBe(
      '2026-03-06T14:00:00.000Z',
    );
  });

  it('gives the familiar overlaps', () => {
    expect(overlap(at('Europe/London'), at('Europe/Berlin'), november)).toBe(7 * 60);
    expect(overlap(at('Europe/London'), at('America/New_York'), november)).toBe(3 * 60);
    expect(overlap(at('Europe/London'), at('Australia/Sydney'), november)).toBe(0);
    // Los Angeles Monday 16:00-18:00 is Tokyo Tuesday 09:00-11:00: the sessions meet across the date line.
    expect(overlap(at('America/Los_Angeles', '09:00', '18:00'), at('Asia/Tokyo', '09:00', '18:00'), november)).toBe(
      120,
    );
    expect(overlap(at('Asia/Kolkata'), at('Europe/London'), november)).toBe(150);
  });

  it('follows daylight saving in force that week', () => {
    // 9-15 March 2026: New York already on summer time (UTC-4), London not yet (UTC+0): 4 hours.
    expect(overlap(at('Europe/London'), at('America/New_York'), new Date('2026-03-11T12:00:00Z'))).toBe(4 * 60);
    expect(overlap(at('Europe/London'), at('America/New_York'), new Date('2026-04-15T12:00:00Z'))).toBe(3 * 60);
  });

  it('handles half-hour and 45-minute zones, and half-hour daylight saving', () => {
    // Kathmandu +05:45 in November: 03:15-11:15 UTC against London's 09:00-17:00 UTC.
    expect(overlap(at('Asia/Kathmandu'), at('Europe/London'), november)).toBe(135);
    // St John's is -03:30 before North America's switch on 8 March and -02:30 after it.
    expect(overlap(at('America/St_Johns'), at('UTC'), new Date('2026-03-04T12:00:00Z'))).toBe(270);
    expect(overlap(at('America/St_Johns'), at('UTC'), new Date('2026-03-11T12:00:00Z'))).toBe(330);
    // Lord Howe's Tuesday 09:00 is Monday 22:00 UTC on summer time (+11:00), 22:30 UTC after 5 April (+10:30).
    const lateUtc = at('UTC', '21:00', '23:00');
    expect(overlap(at('Australia/Lord_Howe'), lateUtc, new Date('2026-04-01T12:00:00Z'))).toBe(60);
    expect(overlap(at('Australia/Lord_Howe'), lateUtc, new Date('2026-04-08T12:00:00Z'))).toBe(30);
  });

  it('follows a clock change in the middle of the working week (Cairo, Friday 24 April 2026)', () => {
    const week = new Date('2026-04-22T10:00:00Z');
    // Minutes from Monday 00:00 UTC: +02:00 Monday to Thursday, +03:00 on Friday.
    expect(Array.from(workSessions('Africa/Cairo', { start: '09:00', end: '17:00' }, week))).toEqual([
      420, 900, 1860, 2340, 3300, 3780, 4740, 5220, 6120, 6600,
    ]);
    // Only Friday's session reaches back to 06:00 UTC.
    const earlyUtc = at('UTC', '06:00', '07:00');
    expect(overlap(at('Africa/Cairo'), earlyUtc, week)).toBe(60);
    expect(overlap(at('Africa/Cairo'), earlyUtc, new Date('2026-04-15T10:00:00Z'))).toBe(0);
    expect(referenceOverlapMinutes(at('Africa/Cairo') as MatchingPerson, earlyUtc as MatchingPerson, week)).toBe(60);
  });

  it('agrees with a minute-sampling reference for every zone, hours and DST week', () => {
    const people = fc.record({ timezone: fc.constantFrom(...testZones), workingHours: fc.constantFrom(...testHours) });
    fc.assert(
      fc.property(people, people, fc.constantFrom(...testRunDates), (a, b, runDate) => {
        const reference = referenceOverlapMinutes(a as MatchingPerson, b as MatchingPerson, runDate);
        expect(overlap(a, b, runDate)).toBe(reference);
      }),
      { numRuns: 400, seed: 3 },
    );
  });
});
