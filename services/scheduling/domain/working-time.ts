/**
 * Working time in real instants. Each person works Monday to Friday from `start` to `end` in their
 * own time zone; a start after the end is a night shift that ends the next day (the shift belongs
 * to the day it starts). Every shift is turned into a UTC interval date by date through Intl, so
 * daylight-saving changes in either hemisphere move it exactly as the person's clock moves.
 */
import {
  addDays,
  type CalendarDate,
  calendarDateAt,
  isoWeekdayOf,
  minuteOfDay,
  utcInstantOf,
} from '../../../shared/time-zones';
import type { WorkingHours } from './model';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** [start, end) in UTC milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

export interface Availability {
  personId: string;
  timezone: string;
  workingHours: WorkingHours;
}

export const isWorkingDay = (date: CalendarDate): boolean => isoWeekdayOf(date) <= 5;

/** The shift a person works that starts on `date` (none on weekends or with empty hours). */
export const shiftOn = (person: Availability, date: CalendarDate): Interval | undefined => {
  if (!isWorkingDay(date)) return undefined;
  const startMinute = minuteOfDay(person.workingHours.start);
  const endMinute = minuteOfDay(person.workingHours.end);
  if (startMinute === endMinute) return undefined;
  const start = utcInstantOf(person.timezone, date, startMinute);
  const end = utcInstantOf(person.timezone, endMinute > startMinute ? date : addDays(date, 1), endMinute);
  return end > start ? { start, end } : undefined;
};

/** The person's shifts that overlap [from, to), clipped to it, in order. */
export const workingIntervals = (person: Availability, from: number, to: number): Interval[] => {
  const intervals: Interval[] = [];
  // A night shift that started the day before may still be running at `from`.
  let date = addDays(calendarDateAt(from, person.timezone), -1);
  const last = calendarDateAt(to, person.timezone);
  for (let guard = 0; guard < 800; guard++) {
    const shift = shiftOn(person, date);
    if (shift && shift.end > from && shift.start < to) {
      intervals.push({ start: Math.max(shift.start, from), end: Math.min(shift.end, to) });
    }
    if (date.year === last.year && date.month === last.month && date.day === last.day) break;
    date = addDays(date, 1);
  }
  return intervals;
};

/** Where both lists of sorted, disjoint intervals overlap. */
export const intersect = (a: readonly Interval[], b: readonly Interval[]): Interval[] => {
  const result: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Interval;
    const y = b[j] as Interval;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (end > start) result.push({ start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return result;
};

/** `free` without any of `busy` (busy intervals in any order, overlapping or not). */
export const subtract = (free: readonly Interval[], busy: readonly Interval[]): Interval[] => {
  const sorted = [...busy].sort((x, y) => x.start - y.start);
  const result: Interval[] = [];
  for (const interval of free) {
    let cursor = interval.start;
    for (const block of sorted) {
      if (block.end <= cursor || block.start >= interval.end) continue;
      if (block.start > cursor) result.push({ start: cursor, end: block.start });
      cursor = Math.max(cursor, block.end);
      if (cursor >= interval.end) break;
    }
    if (cursor < interval.end) result.push({ start: cursor, end: interval.end });
  }
  return result;
};

/** True when [start, end) lies inside one of the person's shifts. */
export const withinWorkingHours = (person: Availability, start: number, end: number): boolean =>
  workingIntervals(person, start - DAY, end + DAY).some((shift) => shift.start <= start && shift.end >= end);

export const overlaps = (a: Interval, b: Interval): boolean => a.start < b.end && b.start < a.end;

/** Slots start on the quarter hour, which is the quarter hour in every zone there is. */
const GRID = 15 * MINUTE;
const ceilToGrid = (instant: number) => Math.ceil(instant / GRID) * GRID;

export interface SlotSearch {
  people: readonly Availability[];
  /** Sessions any of them already has. */
  busy: readonly Interval[];
  /** Earliest start. */
  from: number;
  durationMinutes: number;
  count: number;
  /** How far ahead to look. */
  horizonDays: number;
}

/**
 * The next `count` free slots inside everyone's working hours, avoiding their sessions: back to
 * back within a free stretch, starting on the quarter hour.
 */
export const suggestSlots = (search: SlotSearch): Interval[] => {
  const to = search.from + search.horizonDays * DAY;
  const duration = search.durationMinutes * MINUTE;
  let common: Interval[] = [{ start: search.from, end: to }];
  for (const person of search.people) common = intersect(common, workingIntervals(person, search.from, to));
  const slots: Interval[] = [];
  for (const stretch of subtract(common, search.busy)) {
    for (let start = ceilToGrid(stretch.start); start + duration <= stretch.end; start += duration) {
      slots.push({ start, end: start + duration });
      if (slots.length === search.count) return slots;
    }
  }
  return slots;
};

/**
 * The first local morning on a working day at or after `earliest`, in the person's zone: when a
 * reminder reaches them.
 */
export const nextWorkingMorning = (earliest: number, timezone: string, morningMinute: number): number => {
  let date = calendarDateAt(earliest, timezone);
  for (let guard = 0; guard < 14; guard++) {
    if (isWorkingDay(date)) {
      const morning = utcInstantOf(timezone, date, morningMinute);
      if (morning >= earliest) return morning;
    }
    date = addDays(date, 1);
  }
  throw new Error(`No working morning within two weeks of ${new Date(earliest).toISOString()} in ${timezone}`);
};

/** The morning of the first working day on or after the local day of `instant` ("7 days before", "on day 60"). */
export const workingMorningFromDay = (instant: number, timezone: string, morningMinute: number): number => {
  let date = calendarDateAt(instant, timezone);
  while (!isWorkingDay(date)) date = addDays(date, 1);
  return utcInstantOf(timezone, date, morningMinute);
};

/** The morning of the last working day before the local day of `instant` (the eve of a session). */
export const previousWorkingMorning = (instant: number, timezone: string, morningMinute: number): number => {
  let date = addDays(calendarDateAt(instant, timezone), -1);
  while (!isWorkingDay(date)) date = addDays(date, -1);
  return utcInstantOf(timezone, date, morningMinute);
};

/** `Tuesday 2 March 2027, 10:00 (Europe/Berlin)`: what emails and pages show, in the reader's zone. */
export const formatInZone = (instant: number, timezone: string): string => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute} (${timezone})`;
};

/** `2027-03-02T10:00` local in a zone (API views). */
export const localDateTime = (instant: number, timezone: string): string => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
};
