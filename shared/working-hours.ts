/**
 * When a person is at work: Monday to Friday, between their working hours, in their own time
 * zone. Emails that should reach people at work (invitations, reminders) wait for it.
 */
import { utcOffsetMillisAt, wallClockAt } from './time-zones';

export interface WorkingHours {
  /** Local `HH:MM`. */
  start: string;
  /** Local `HH:MM`; earlier than `start` means the day ends after midnight. */
  end: string;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const minutesOf = (time: string): number => {
  const match = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!match) throw new RangeError(`not a local time "HH:MM": ${time}`);
  return Number(match[1]) * 60 + Number(match[2]);
};

/**
 * The UTC instant of a wall-clock time in a zone. Two passes settle the offset either side of a
 * daylight-saving change; a time skipped by a spring-forward lands just after the gap.
 */
export const instantOfWallClock = (
  timeZone: string,
  date: { year: number; month: number; day: number },
  minuteOfDay: number,
): number => {
  const asIfUtc = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
  const firstGuess = asIfUtc - utcOffsetMillisAt(asIfUtc, timeZone);
  const secondGuess = asIfUtc - utcOffsetMillisAt(firstGuess, timeZone);
  if (secondGuess === firstGuess) return firstGuess;
  return utcOffsetMillisAt(secondGuess, timeZone) === asIfUtc - secondGuess
    ? secondGuess
    : Math.max(firstGuess, secondGuess);
};

/**
 * The first instant at or after `from` when the person is at work: `from` itself if it falls in a
 * working session (Monday-Friday by the local date the session starts on), else the start of
 * the next one.
 */
export const nextWorkingMoment = (from: Date, timeZone: string, hours: WorkingHours): Date => {
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  const length = (end > start ? end - start : end + 24 * 60 - start) * MINUTE;
  const instant = from.getTime();
  const today = wallClockAt(instant, timeZone);
  const todayUtc = Date.UTC(today.year, today.month - 1, today.day);
  // From yesterday: a session that began yesterday may still be running after midnight.
  for (let offset = -1; offset <= 8; offset++) {
    const day = new Date(todayUtc + offset * DAY);
    const weekday = day.getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const sessionStart = instantOfWallClock(
      timeZone,
      { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() },
      start,
    );
    if (sessionStart + length <= instant) continue;
    return new Date(Math.max(sessionStart, instant));
  }
  throw new Error(`No working session within a week of ${from.toISOString()} in ${timeZone}`);
};

/** The ISO date (`2026-11-24`) a zone's calendars show at an instant. */
export const localDateOf = (instant: Date, timeZone: string): string => {
  const wall = wallClockAt(instant.getTime(), timeZone);
  return `${wall.year}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
};
