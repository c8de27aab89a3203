import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wallClockAt } from './time-zones';
import { localDateOf, nextWorkingMoment } from './working-hours';

const nineToFive = { start: '09:00', end: '17:00' };

describe('nextWorkingMoment', () => {
  it('keeps an instant that is already inside working hours', () => {
    // Tuesday 24 November 2026, 10:30 in London (UTC in winter).
    const at = new Date('2026-11-24T10:30:00Z');
    expect(nextWorkingMoment(at, 'Europe/London', nineToFive)).toEqual(at);
  });

  it('waits for the morning, and over the weekend for Monday morning, in the person’s own zone', () => {
    // Tuesday 06:00 in Tokyo is Monday 21:00 UTC: Tokyo's Tuesday starts at 09:00 local = 00:00 UTC.
    expect(nextWorkingMoment(new Date('2026-11-23T21:00:00Z'), 'Asia/Tokyo', nineToFive).toISOString()).toBe(
      '2026-11-24T00:00:00.000Z',
    );
    // Friday 18:00 in New York (23:00 UTC) waits for Monday 09:00 New York (14:00 UTC).
    expect(nextWorkingMoment(new Date('2026-11-27T23:00:00Z'), 'America/New_York', nineToFive).toISOString()).toBe(
      '2026-11-30T14:00:00.000Z',
    );
  });

  it('follows daylight saving: 09:00 Berlin is 07:00 UTC in summer and 08:00 UTC in winter', () => {
    expect(nextWorkingMoment(new Date('2026-07-01T00:00:00Z'), 'Europe/Berlin', nineToFive).toISOString()).toBe(
      '2026-07-01T07:00:00.000Z',
    );
    expect(nextWorkingMoment(new Date('2026-12-01T00:00:00Z'), 'Europe/Berlin', nineToFive).toISOString()).toBe(
      '2026-12-01T08:00:00.000Z',
    );
  });

  it('handles working hours that run past midnight', () => {
    const nights = { start: '22:00', end: '06:00' };
    // Wednesday 02:00 UTC is inside Tuesday's night session.
    const at = new Date('2026-11-25T02:00:00Z');
    expect(nextWorkingMoment(at, 'UTC', nights)).toEqual(at);
    // Wednesday 07:00 waits for Wednesday 22:00.
    expect(nextWorkingMoment(new Date('2026-11-25T07:00:00Z'), 'UTC', nights).toISOString()).toBe(
      '2026-11-25T22:00:00.000Z',
    );
  });

  it('always answers a weekday instant inside the hours, not earlier than asked, within four days', () => {
    const zones = ['Europe/London', 'America/Sao_Paulo', 'Asia/Kolkata', 'Pacific/Auckland', 'America/Los_Angeles'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        fc.integer({ min: 5, max: 12 }),
        fc.integer({ min: 4, max: 9 }),
        (from, zone, startHour, hours) => {
          const span = { start: `${String(startHour).padStart(2, '0')}:00`, end: `${startHour + hours}:00` };
          const moment = nextWorkingMoment(from, zone, span);
          expect(moment.getTime()).toBeGreaterThanOrEqual(from.getTime());
          expect(moment.getTime() - from.getTime()).toBeLessThanOrEqual(4 * 24 * 3600_000);
          const wall = wallClockAt(moment.getTime(), zone);
          const weekday = new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();
          expect([1, 2, 3, 4, 5]).toContain(weekday);
          const minute = wall.hour * 60 + wall.minute;
          expect(minute).toBeGreaterThanOrEqual(startHour * 60);
          expect(minute).toBeLessThan((startHour + hours) * 60);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('localDateOf', () => {
  it('is the date the zone’s calendars show', () => {
    expect(localDateOf(new Date('2026-11-24T20:00:00Z'), 'Asia/Tokyo')).toBe('2026-11-25');
  });
});
