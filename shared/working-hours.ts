/**
 * When a person is at work: Monday to Friday, between their working hours, in their own time
 * zone. Emails that should reach people at work (invitations, reminders) wait for it.
 */
import { addDays, calendarDateAt, formatCalendarDate, isoWeekdayOf, minuteOfDay, utcInstantOf } from './time-zones';

export interface WorkingHours {
  /** Local `HH:MM`. */
  start: string;
  /** Local `HH:MM`; earlier than `start` means the day ends after midnight. */
  end: string;
}

const MINUTE = 60_000;

/**
 * The first instant at or after `from` when the person is at work: `from` itself if it falls in a
 * working session (Monday-Friday by the local date the session starts on), else the start of
 * the next one.
 */
export const nextWorkingMoment = (from: Date, timeZone: string, hours: WorkingHours): Date => {
  const start = minuteOfDay(hours.start);
  const end = minuteOfDay(hours.end);
  const length = (end > start ? end - start : end + 24 * 60 - start) * MINUTE;
  const instant = from.getTime();
  const today = calendarDateAt(instant, timeZone);
  // From yesterday: a session that began yesterday may still be running after midnight.
  for (let offset = -1; offset <= 8; offset++) {
    const day = addDays(today, offset);
    if (isoWeekdayOf(day) > 5) continue;
    const sessionStart = utcInstantOf(timeZone, day, start);
    if (sessionStart + length <= instant) continue;
    return new Date(Math.max(sessionStart, instant));
  }
  throw new Error(`No working session within a week of ${from.toISOString()} in ${timeZone}`);
};

/** The ISO date (`2026-11-24`) a zone's calendars show at an instant. */
export const localDateOf = (instant: Date, timeZone: string): string =>
  formatCalendarDate(calendarDateAt(instant.getTime(), timeZone));
