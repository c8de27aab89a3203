import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessMillis,
  type BusinessCalendar,
  businessMillisBetween,
  CalendarNeverOpensError,
  instantOfLocalTime,
  isOpenAt,
  openIntervalsBetween,
  overlappingShifts,
  type Shift,
  weeklyOpenMinutes,
} from './business-hours';

const HOUR = 3600_000;
const at = (iso: string) => Date.parse(iso);
const iso = (instant: number) => new Date(instant).toISOString();

const weekdaysOnly = (shifts: Shift[]): BusinessCalendar['weeklyHours'] => ({
  mon: shifts,
  tue: shifts,
  wed: shifts,
  thu: shifts,
  fri: shifts,
  sat: [],
  sun: [],
});

const nineToFive = (timeZone: string, holidays: string[] = []): BusinessCalendar => ({
  timeZone,
  weeklyHours: weekdaysOnly([{ start: '09:00', end: '17:00' }]),
  holidays,
});

const allDay = (timeZone: string): BusinessCalendar => {
  const day = [{ start: '00:00', end: '24:00' }];
  return {
    timeZone,
    weeklyHours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
    holidays: [],
  };
};

/** An office whose hours cross midnight: weeknights 22:00-06:00. */
const nightOffice = (holidays: string[] = []): BusinessCalendar => ({
  timeZone: 'Europe/Berlin',
  weeklyHours: weekdaysOnly([{ start: '22:00', end: '06:00' }]),
  holidays,
});

describe('business hours: weekdays, weekends and holidays', () => {
  const berlin = nineToFive('Europe/Berlin');

  it('counts only the open part of a span, and nothing over a weekend', () => {
    // Friday 15:00 to Monday 10:00 (Berlin, winter time +01:00): 2 h on Friday, 1 h on Monday.
    expect(businessMillisBetween(berlin, at('2026-01-16T15:00:00+01:00'), at('2026-01-19T10:00:00+01:00'))).toBe(
      3 * HOUR,
    );
    expect(businessMillisBetween(berlin, at('2026-01-17T09:00:00+01:00'), at('2026-01-18T18:00:00+01:00'))).toBe(0);
    expect(businessMillisBetween(berlin, at('2026-01-19T10:00:00+01:00'), at('2026-01-16T15:00:00+01:00'))).toBe(0);
  });

  it('carries a target over the weekend to the exact minute on Monday', () => {
    // Raised Friday 16:00 with 4 business hours: 1 h on Friday, 3 h on Monday -> Monday 12:00.
    expect(iso(addBusinessMillis(berlin, at('2026-01-16T16:00:00+01:00'), 4 * HOUR))).toBe('2026-01-19T11:00:00.000Z');
  });

  it('starts counting at the next opening when raised outside hours', () => {
    // Saturday night + 30 minutes -> Monday 09:30.
    expect(iso(addBusinessMillis(berlin, at('2026-01-17T23:00:00+01:00'), 30 * 60_000))).toBe(
      '2026-01-19T08:30:00.000Z',
    );
    // Before opening on a weekday -> same day, counted from 09:00.
    expect(iso(addBusinessMillis(berlin, at('2026-01-20T06:00:00+01:00'), HOUR))).toBe('2026-01-20T09:00:00.000Z');
  });

  it('lands on the closing minute exactly when the target uses up the day', () => {
    expect(iso(addBusinessMillis(berlin, at('2026-01-19T09:00:00+01:00'), 8 * HOUR))).toBe('2026-01-19T16:00:00.000Z');
    // One millisecond more is the next morning's first millisecond.
    expect(addBusinessMillis(berlin, at('2026-01-19T09:00:00+01:00'), 8 * HOUR + 1)).toBe(
      at('2026-01-20T09:00:00+01:00') + 1,
    );
  });

  it('skips holidays, also when a target spans several days', () => {
    // 24 business hours from Thursday 2026-12-24 13:00; the 25th (Fri) and 28th (Mon) are holidays,
    // the weekend is closed: Thu 4 h, Tue 8 h, Wed 8 h, Thu 4 h -> Thursday 2026-12-31 13:00.
    const calendar = nineToFive('Europe/Berlin', ['2026-12-25', '2026-12-28']);
    expect(iso(addBusinessMillis(calendar, at('2026-12-24T13:00:00+01:00'), 24 * HOUR))).toBe(
      '2026-12-31T12:00:00.000Z',
    );
    expect(businessMillisBetween(calendar, at('2026-12-24T13:00:00+01:00'), at('2026-12-31T13:00:00+01:00'))).toBe(
      24 * HOUR,
    );
  });

  it('reads holidays and weekdays as local dates, not UTC dates', () => {
    // Tokyo (UTC+9): Monday 2026-01-19 09:00 local is Sunday 2026-01-18 24:00 UTC.
    const tokyo = nineToFive('Asia/Tokyo');
    expect(isOpenAt(tokyo, at('2026-01-19T00:30:00Z'))).toBe(true);
    expect(isOpenAt(nineToFive('Asia/Tokyo', ['2026-01-19']), at('2026-01-19T00:30:00Z'))).toBe(false);
    // Los Angeles (UTC-8): Friday 16:30 local is Saturday 00:30 UTC, still open.
    expect(isOpenAt(nineToFive('America/Los_Angeles'), at('2026-01-17T00:30:00Z'))).toBe(true);
  });

  it('handles several shifts a day (a lunch break) and different hours per weekday', () => {
    const calendar: BusinessCalendar = {
      timeZone: 'UTC',
      weeklyHours: {
        ...weekdaysOnly([
          { start: '08:00', end: '12:00' },
          { start: '13:00', end: '17:00' },
        ]),
        fri: [{ start: '08:00', end: '12:00' }],
      },
      holidays: [],
    };
    // Thursday 11:00 + 3 h: 1 h before lunch, 2 h after -> 15:00.
    expect(iso(addBusinessMillis(calendar, at('2026-01-22T11:00:00Z'), 3 * HOUR))).toBe('2026-01-22T15:00:00.000Z');
    // Friday 10:00 + 4 h: 2 h on Friday (half day), then Monday 08:00 + 2 h.
    expect(iso(addBusinessMillis(calendar, at('2026-01-23T10:00:00Z'), 4 * HOUR))).toBe('2026-01-26T10:00:00.000Z');
    expect(openIntervalsBetween(calendar, at('2026-01-22T11:30:00Z'), at('2026-01-22T14:00:00Z'))).toEqual([
      { start: at('2026-01-22T11:30:00Z'), end: at('2026-01-22T12:00:00Z') },
      { start: at('2026-01-22T13:00:00Z'), end: at('2026-01-22T14:00:00Z') },
    ]);
  });
});

describe('business hours: daylight saving time', () => {
  it('keeps local opening times across a change (New York, spring forward on Sunday 2026-03-08)', () => {
    const newYork = nineToFive('America/New_York');
    // Friday 16:00 EST (21:00Z) + 2 h -> Monday 10:00 EDT (14:00Z): 65 h of real time, 2 h open.
    const due = addBusinessMillis(newYork, at('2026-03-06T16:00:00-05:00'), 2 * HOUR);
    expect(iso(due)).toBe('2026-03-09T14:00:00.000Z');
    expect(businessMillisBetween(newYork, at('2026-03-06T16:00:00-05:00'), due)).toBe(2 * HOUR);
  });

  it('keeps local opening times when the clocks go back (Sydney leaves daylight time on Sunday 2026-04-05)', () => {
    // Friday 16:00 AEDT (+11) + 2 h -> Monday 10:00 AEST (+10).
    const sydney = nineToFive('Australia/Sydney');
    expect(iso(addBusinessMillis(sydney, at('2026-04-03T16:00:00+11:00'), 2 * HOUR))).toBe('2026-04-06T00:00:00.000Z');
  });

  it('counts real time in a shift that spans a change: a short night in spring, a long one in autumn', () => {
    const berlin = allDay('Europe/Berlin');
    // Saturday 00:00 CET to Monday 00:00 CEST over the spring change: 47 h.
    expect(businessMillisBetween(berlin, at('2026-03-28T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'))).toBe(
      47 * HOUR,
    );
    // And 49 h over the autumn change.
    expect(businessMillisBetween(berlin, at('2026-10-24T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'))).toBe(
      49 * HOUR,
    );
    const saturdayNights: BusinessCalendar = {
      timeZone: 'Europe/Berlin',
      weeklyHours: { ...weekdaysOnly([]), sat: [{ start: '22:00', end: '06:00' }] },
      holidays: [],
    };
    // 22:00 -> 06:00 is 7 h of real time on the spring night and 9 h on the autumn one.
    expect(
      businessMillisBetween(saturdayNights, at('2026-03-28T12:00:00+01:00'), at('2026-03-29T12:00:00+02:00')),
    ).toBe(7 * HOUR);
    expect(
      businessMillisBetween(saturdayNights, at('2026-10-24T12:00:00+02:00'), at('2026-10-25T12:00:00+01:00')),
    ).toBe(9 * HOUR);
  });

  it('starts a shift whose opening time does not exist right after the gap, and a repeated one at its first occurrence', () => {
    // 02:30 does not exist in Berlin on 2026-03-29 (02:00 -> 03:00): it opens at 03:30 CEST (01:30Z).
    expect(iso(instantOfLocalTime({ year: 2026, month: 3, day: 29 }, 150, 'Europe/Berlin'))).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // 02:30 happens twice on 2026-10-25: the first is 02:30 CEST (00:30Z).
    expect(iso(instantOfLocalTime({ year: 2026, month: 10, day: 25 }, 150, 'Europe/Berlin'))).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    const sundayEarly: BusinessCalendar = {
      timeZone: 'Europe/Berlin',
      weeklyHours: { ...weekdaysOnly([]), sun: [{ start: '02:30', end: '10:00' }] },
      holidays: [],
    };
    // 03:30 CEST to 10:00 CEST: 6.5 h.
    expect(businessMillisBetween(sundayEarly, at('2026-03-29T00:00:00Z'), at('2026-03-29T12:00:00Z'))).toBe(6.5 * HOUR);
  });
});

describe('business hours: an office whose hours cross midnight', () => {
  it('counts the end of the previous night first, then the next night', () => {
    // Tuesday 05:00: Monday's night shift runs until 06:00 -> 1 h, then Tuesday 22:00 + 1 h.
    expect(iso(addBusinessMillis(nightOffice(), at('2026-01-20T05:00:00+01:00'), 2 * HOUR))).toBe(
      '2026-01-20T22:00:00.000Z',
    );
  });

  it('runs Friday night into Saturday morning and has no Saturday night', () => {
    const office = nightOffice();
    expect(isOpenAt(office, at('2026-01-24T05:59:00+01:00'))).toBe(true);
    expect(isOpenAt(office, at('2026-01-24T23:00:00+01:00'))).toBe(false);
    // Saturday 05:00 + 3 h: 1 h until 06:00, then Monday 22:00 + 2 h.
    expect(iso(addBusinessMillis(office, at('2026-01-24T05:00:00+01:00'), 3 * HOUR))).toBe('2026-01-26T23:00:00.000Z');
  });

  it('cancels the shift that starts on a holiday, but not the night that ran into it', () => {
    const office = nightOffice(['2026-01-21']);
    expect(isOpenAt(office, at('2026-01-21T03:00:00+01:00'))).toBe(true);
    expect(isOpenAt(office, at('2026-01-21T23:00:00+01:00'))).toBe(false);
    // Wednesday 05:00 + 2 h: 1 h until 06:00, no Wednesday night, Thursday 22:00 + 1 h.
    expect(iso(addBusinessMillis(office, at('2026-01-21T05:00:00+01:00'), 2 * HOUR))).toBe('2026-01-22T22:00:00.000Z');
  });
});

describe('business hours: calendars that cannot work', () => {
  it('gives up with CalendarNeverOpensError instead of searching forever', () => {
    const closed: BusinessCalendar = { timeZone: 'UTC', weeklyHours: weekdaysOnly([]), holidays: [] };
    expect(() => addBusinessMillis(closed, at('2026-01-19T09:00:00Z'), HOUR)).toThrow(CalendarNeverOpensError);
    expect(businessMillisBetween(closed, at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'))).toBe(0);
  });

  it('measures a week and finds shifts that overlap, Sunday night into Monday included', () => {
    expect(weeklyOpenMinutes(nineToFive('UTC').weeklyHours)).toBe(5 * 8 * 60);
    expect(weeklyOpenMinutes(nightOffice().weeklyHours)).toBe(5 * 8 * 60);
    expect(overlappingShifts(nightOffice().weeklyHours)).toEqual([]);
    const clash: BusinessCalendar['weeklyHours'] = {
      ...weekdaysOnly([{ start: '09:00', end: '17:00' }]),
      mon: [
        { start: '09:00', end: '17:00' },
        { start: '16:00', end: '18:00' },
      ],
      sun: [{ start: '20:00', end: '10:00' }],
    };
    expect(overlappingShifts(clash)).toEqual([
      'mon 09:00-17:00 / mon 16:00-18:00',
      'mon 09:00-17:00 / sun 20:00-10:00',
    ]);
  });
});

describe('business hours: properties', () => {
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];
  const calendars = fc.oneof(
    fc.constantFrom(...zones).map((zone) => nineToFive(zone, ['2026-03-09', '2026-10-26', '2026-12-25'])),
    fc.constant(nightOffice(['2026-03-27'])),
    fc.constantFrom(...zones).map(allDay),
  );
  // Around both 2026 daylight-saving changes in Europe and the US.
  const instants = fc.integer({ min: at('2026-02-20T00:00:00Z'), max: at('2026-11-15T00:00:00Z') });
  const amounts = fc.integer({ min: 1, max: 60 * HOUR });

  it('adding open time and measuring it back give the same amount', () => {
    fc.assert(
      fc.property(calendars, instants, amounts, (calendar, from, amount) => {
        const due = addBusinessMillis(calendar, from, amount);
        expect(businessMillisBetween(calendar, from, due)).toBe(amount);
        // The due instant ends open time: the millisecond before it is open.
        expect(isOpenAt(calendar, due - 1)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('adding in two steps is adding at once', () => {
    fc.assert(
      fc.property(calendars, instants, amounts, amounts, (calendar, from, first, second) => {
        const stepped = addBusinessMillis(calendar, addBusinessMillis(calendar, from, first), second);
        expect(stepped).toBe(addBusinessMillis(calendar, from, first + second));
      }),
      { numRuns: 100 },
    );
  });

  it('measuring is additive over a split point and never exceeds real time', () => {
    const span = fc.integer({ min: 0, max: 10 * 24 * HOUR });
    fc.assert(
      fc.property(calendars, instants, span, span, (calendar, from, first, second) => {
        const [middle, to] = [from + first, from + first + second];
        const whole = businessMillisBetween(calendar, from, to);
        expect(whole).toBe(businessMillisBetween(calendar, from, middle) + businessMillisBetween(calendar, middle, to));
        expect(whole).toBeLessThanOrEqual(to - from);
      }),
      { numRuns: 100 },
    );
  });
});
