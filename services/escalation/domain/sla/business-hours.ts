/**
 * Business-hours arithmetic: how much open time lies between two instants, and when a given
 * amount of open time has passed, in a department's time zone, weekly hours and holidays.
 * Pure: instants are epoch milliseconds, the time zone rules come from Intl (the platform's own
 * tz data), nothing reads a clock.
 *
 * The model, as service desks use it:
 * - Weekly hours are shifts per weekday, in the department's local wall-clock time. A shift
 *   whose end is not after its start (`22:00`-`06:00`) crosses midnight and ends the next day;
 *   `24:00` ends at midnight. A shift belongs to the day it starts on.
 * - A holiday (a local date) cancels the shifts that start on it; a night shift that started the
 *   evening before still runs into it.
 * - Open time is real elapsed time while a shift runs, so a shift on a daylight-saving day is an
 *   hour shorter or longer; a wall time that does not exist (skipped by spring-forward) starts
 *   at the first instant after the gap, and an ambiguous one (repeated by fall-back) at its
 *   first occurrence.
 */
import {
  addDays,
  type CalendarDate,
  calendarDateAt,
  formatCalendarDate,
  isoWeekdayOf,
  utcInstantOf,
} from '../../../../shared/time-zones';

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/** `HH:MM` local wall time; `end` may be `24:00`, and `end <= start` means the next day. */
export interface Shift {
  start: string;
  end: string;
}

export interface BusinessCalendar {
  timeZone: string;
  weeklyHours: Readonly<Record<Weekday, readonly Shift[]>>;
  /** Local dates (`YYYY-MM-DD`) whose shifts do not run. */
  holidays: readonly string[];
}

/** An open interval, `[start, end)` in epoch milliseconds. */
export interface OpenInterval {
  start: number;
  end: number;
}

/** The calendar has no open time within the horizon we search (no shifts, or holidays everywhere). */
export class CalendarNeverOpensError extends Error {
  override readonly name = 'CalendarNeverOpensError';
}

export const MINUTE_MS = 60_000;
/** How far ahead `addBusinessMillis` looks before it gives up: three years of days. */
const SEARCH_HORIZON_DAYS = 3 * 366;

const weekdayOf = (date: CalendarDate): Weekday => weekdays[isoWeekdayOf(date) - 1] as Weekday;

export const minutesOf = (time: string): number => {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
};

/** The instant a local wall time (minutes since midnight, 1440 = the next midnight) happens in a time zone. */
export const instantOfLocalTime = (date: CalendarDate, minuteOfDay: number, timeZone: string): number =>
  utcInstantOf(timeZone, date, minuteOfDay);

/** The open intervals of the shifts that start on one local date (none on a holiday). */
const shiftsStartingOn = (calendar: BusinessCalendar, date: CalendarDate): OpenInterval[] => {
  if (calendar.holidays.includes(formatCalendarDate(date))) return [];
  return calendar.weeklyHours[weekdayOf(date)]
    .map((shift) => {
      const startMinute = minutesOf(shift.start);
      const endMinute = minutesOf(shift.end);
      const endsNextDay = endMinute <= startMinute;
      return {
        start: instantOfLocalTime(date, startMinute, calendar.timeZone),
        end: instantOfLocalTime(endsNextDay ? addDays(date, 1) : date, endMinute, calendar.timeZone),
      };
    })
    .filter((interval) => interval.end > interval.start)
    .sort((a, b) => a.start - b.start);
};

/**
 * Every open interval that overlaps `[from, to)`, clipped to it, in order. A shift may have
 * started the day before (a night shift), so the walk starts one local day early.
 */
export const openIntervalsBetween = (calendar: BusinessCalendar, from: number, to: number): OpenInterval[] => {
  if (to <= from) return [];
  const intervals: OpenInterval[] = [];
  const lastDate = calendarDateAt(to, calendar.timeZone);
  for (let date = addDays(calendarDateAt(from, calendar.timeZone), -1); ; date = addDays(date, 1)) {
    for (const interval of shiftsStartingOn(calendar, date)) {
      const start = Math.max(interval.start, from);
      const end = Math.min(interval.end, to);
      if (end > start) intervals.push({ start, end });
    }
    if (formatCalendarDate(date) >= formatCalendarDate(lastDate)) break;
  }
  return intervals;
};

/** Open time, in milliseconds, between two instants (0 when `to` is not after `from`). */
export const businessMillisBetween = (calendar: BusinessCalendar, from: number, to: number): number =>
  openIntervalsBetween(calendar, from, to).reduce((sum, interval) => sum + interval.end - interval.start, 0);

export const isOpenAt = (calendar: BusinessCalendar, instant: number): boolean =>
  businessMillisBetween(calendar, instant, instant + 1) > 0;

/**
 * The instant at which `amount` milliseconds of open time have passed since `from`. Counting
 * starts at `from` if the office is open then, else at its next opening; the answer is always
 * inside (or at the end of) an open interval, never in closed time.
 */
export const addBusinessMillis = (calendar: BusinessCalendar, from: number, amount: number): number => {
  if (amount <= 0) return from;
  let remaining = amount;
  const firstDate = addDays(calendarDateAt(from, calendar.timeZone), -1);
  for (let offset = 0; offset <= SEARCH_HORIZON_DAYS; offset++) {
    for (const interval of shiftsStartingOn(calendar, addDays(firstDate, offset))) {
      const start = Math.max(interval.start, from);
      if (interval.end <= start) continue;
      const open = interval.end - start;
      if (open >= remaining) return start + remaining;
      remaining -= open;
    }
  }
  throw new CalendarNeverOpensError(
    `The calendar (${calendar.timeZone}) has too little open time within ${SEARCH_HORIZON_DAYS} days of ${new Date(from).toISOString()}`,
  );
};

/** Open minutes in a plain week (no holidays, wall time): validation uses it to refuse calendars that never open. */
export const weeklyOpenMinutes = (weeklyHours: BusinessCalendar['weeklyHours']): number =>
  weekdays
    .flatMap((day) => weeklyHours[day])
    .reduce((sum, shift) => {
      const start = minutesOf(shift.start);
      const end = minutesOf(shift.end);
      return sum + (end > start ? end - start : end + 24 * 60 - start);
    }, 0);

/**
 * Pairs of shifts that overlap in a plain week (wall time, night shifts running into the next
 * day, Sunday night into Monday), named `mon 22:00-06:00 / tue 05:00-13:00`.
 */
export const overlappingShifts = (weeklyHours: BusinessCalendar['weeklyHours']): string[] => {
  const WEEK = 7 * 24 * 60;
  const spans = weekdays.flatMap((day, index) =>
    weeklyHours[day].map((shift) => {
      const start = index * 24 * 60 + minutesOf(shift.start);
      const endMinute = minutesOf(shift.end);
      const length =
        endMinute > minutesOf(shift.start)
          ? endMinute - minutesOf(shift.start)
          : endMinute + 1440 - minutesOf(shift.start);
      return { label: `${day} ${shift.start}-${shift.end}`, start, end: start + length };
    }),
  );
  const overlaps: string[] = [];
  for (const [index, a] of spans.entries()) {
    for (const b of spans.slice(index + 1)) {
      // Compare in the week and shifted by a week, so Sunday night meets Monday morning.
      const meets = [0, WEEK, -WEEK].some((shift) => a.start < b.end + shift && b.start + shift < a.end);
      if (meets) overlaps.push(`${a.label} / ${b.label}`);
    }
  }
  return overlaps;
};
