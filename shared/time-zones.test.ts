import { describe, expect, it } from 'vitest';
import {
  addDays,
  calendarDateAt,
  formatCalendarDate,
  isIanaTimeZone,
  isoWeekdayOf,
  minuteOfDay,
  utcInstantOf,
  wallClockAt,
} from './time-zones';

const iso = (instant: number) => new Date(instant).toISOString();

describe('utcInstantOf', () => {
  it('turns a wall-clock time into its instant on either side of a change, in both hemispheres', () => {
    // New York springs forward on 2027-03-14; Sydney falls back on 2027-04-04 and springs forward on 2027-10-03.
    expect(iso(utcInstantOf('America/New_York', { year: 2027, month: 3, day: 12 }, 9 * 60))).toBe(
      '2027-03-12T14:00:00.000Z',
    );
    expect(iso(utcInstantOf('America/New_York', { year: 2027, month: 3, day: 15 }, 9 * 60))).toBe(
      '2027-03-15T13:00:00.000Z',
    );
    expect(iso(utcInstantOf('Australia/Sydney', { year: 2027, month: 4, day: 2 }, 9 * 60))).toBe(
      '2027-04-01T22:00:00.000Z',
    );
    expect(iso(utcInstantOf('Australia/Sydney', { year: 2027, month: 4, day: 5 }, 9 * 60))).toBe(
      '2027-04-04T23:00:00.000Z',
    );
    expect(iso(utcInstantOf('Asia/Kathmandu', { year: 2027, month: 1, day: 4 }, 10 * 60))).toBe(
      '2027-01-04T04:15:00.000Z',
    );
  });

  it('lands just after the gap for a time a spring-forward change skips', () => {
    const instant = utcInstantOf('Europe/Berlin', { year: 2027, month: 3, day: 28 }, 2 * 60 + 30);
    expect(iso(instant)).toBe('2027-03-28T01:30:00.000Z');
    expect(wallClockAt(instant, 'Europe/Berlin')).toMatchObject({ hour: 3, minute: 30 });
  });

  it('takes the first of the two occurrences of a time a fall-back change repeats', () => {
    expect(iso(utcInstantOf('Europe/Berlin', { year: 2027, month: 10, day: 31 }, 2 * 60 + 30))).toBe(
      '2027-10-31T00:30:00.000Z',
    );
    expect(iso(utcInstantOf('America/New_York', { year: 2027, month: 11, day: 7 }, 60 + 30))).toBe(
      '2027-11-07T05:30:00.000Z',
    );
  });

  it('round-trips every quarter hour of a year in zones with odd offsets and changes', () => {
    for (const zone of ['Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata', 'Europe/London']) {
      for (let day = 0; day < 365; day += 13) {
        const date = addDays({ year: 2027, month: 1, day: 1 }, day);
        for (let minute = 0; minute < 24 * 60; minute += 15) {
          const wall = wallClockAt(utcInstantOf(zone, date, minute), zone);
          const shown = wall.hour * 60 + wall.minute;
          // Equal, or moved forward by a skipped gap (at most an hour).
          const sameDay = wall.day === date.day;
          expect(
            sameDay && shown >= minute && shown - minute <= 60,
            `${zone} ${formatCalendarDate(date)} ${minute}`,
          ).toBe(true);
        }
      }
    }
  });
});

describe('calendar helpers', () => {
  it('adds days across months and leap years, and names ISO weekdays', () => {
    expect(addDays({ year: 2028, month: 2, day: 28 }, 1)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(addDays({ year: 2027, month: 12, day: 31 }, 1)).toEqual({ year: 2028, month: 1, day: 1 });
    expect(addDays({ year: 2027, month: 3, day: 1 }, -1)).toEqual({ year: 2027, month: 2, day: 28 });
    expect(isoWeekdayOf({ year: 2027, month: 3, day: 1 })).toBe(1);
    expect(isoWeekdayOf({ year: 2027, month: 3, day: 7 })).toBe(7);
    expect(calendarDateAt(Date.parse('2027-03-01T23:30:00Z'), 'Asia/Tokyo')).toEqual({ year: 2027, month: 3, day: 2 });
    expect(minuteOfDay('09:30')).toBe(570);
    expect(() => minuteOfDay('9h30')).toThrow(RangeError);
  });

  it('knows IANA zone names and refuses the rest', () => {
    expect(isIanaTimeZone('Europe/Berlin')).toBe(true);
    expect(isIanaTimeZone('UTC')).toBe(true);
    expect(isIanaTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isIanaTimeZone('CET+1')).toBe(false);
    expect(isIanaTimeZone('+02:00')).toBe(false);
  });
});
