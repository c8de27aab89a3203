import { utcOffsetMillisAt } from '../../../../shared/time-zones';

/**
 * Working-hours overlap between two people in their own time zones.
 *
 * Definition: each person works on the Monday..Friday calendar dates of the ISO week that holds the run
 * date (its UTC calendar date), from `start` to `end` local time. Each of those sessions becomes a real
 * UTC interval through Intl (so daylight saving in force that week is honoured, date by date). The
 * overlap of two people is the longest stretch during which both are in a session at once: the time a
 * weekly mentoring slot can use. Sessions on different local dates do meet (a Monday afternoon in Los
 * Angeles is a Tuesday morning in Tokyo); the weekend keeps one week's sessions from touching another's.
 */

const minutesPerDay = 24 * 60;
const millisPerMinute = 60_000;

export interface WorkingHours {
  start: string;
  end: string;
}

/** Five sessions as [start, end) minute offsets from the reference Monday 00:00 UTC, flattened. */
export type WorkSessions = Int32Array;

/** The Monday..Friday dates (UTC calendar, as [year, month 1-12, day]) of the ISO week holding `runDate`. */
export const referenceWeekdays = (runDate: Date): Array<[number, number, number]> => {
  const midnight = Date.UTC(runDate.getUTCFullYear(), runDate.getUTCMonth(), runDate.getUTCDate());
  const isoDay = (new Date(midnight).getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
  const monday = midnight - isoDay * minutesPerDay * millisPerMinute;
  return [0, 1, 2, 3, 4].map((offset) => {
    const day = new Date(monday + offset * minutesPerDay * millisPerMinute);
    return [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
  });
};

/** The zone's UTC offset in minutes at a UTC instant (positive east of Greenwich). */
export const zoneOffsetMinutes = (timeZone: string, utcMillis: number): number =>
  Math.round(utcOffsetMillisAt(utcMillis, timeZone) / millisPerMinute);

/**
 * The UTC instant (ms) of a local wall-clock time. Two passes settle the offset either side of a DST
 * change; a wall-clock time that does not exist (skipped by a spring-forward) lands just after the gap.
 */
export const localToUtcMillis = (
  timeZone: string,
  year: number,
  month: number,
  day: number,
  minuteOfDay: number,
): number => {
  const asIfUtc = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  const firstOffset = zoneOffsetMinutes(timeZone, asIfUtc);
  const firstGuess = asIfUtc - firstOffset * millisPerMinute;
  const secondOffset = zoneOffsetMinutes(timeZone, firstGuess);
  if (secondOffset === firstOffset) return firstGuess;
  const secondGuess = asIfUtc - secondOffset * millisPerMinute;
  return zoneOffsetMinutes(timeZone, secondGuess) === secondOffset ? secondGuess : Math.max(firstGuess, secondGuess);
};

export const parseLocalTime = (value: string): number => {
  const match = /^(\d{1,2}):(\d{2})$/.exec(value);
  if (!match) throw new RangeError(`not a local time "HH:MM": ${value}`);
  return Number(match[1]) * 60 + Number(match[2]);
};

const sessionCache = new Map<string, WorkSessions>();

/** The reference week of a run date, worked out once per run. */
export interface ReferenceWeek {
  weekdays: Array<[number, number, number]>;
  /** Cache key part: the Monday's date. */
  key: string;
}

export const referenceWeek = (runDate: Date): ReferenceWeek => {
  const weekdays = referenceWeekdays(runDate);
  return { weekdays, key: weekdays[0]?.join('-') ?? '' };
};

/** A person's five working sessions in the reference week, cached by zone, hours and week. */
export const workSessions = (timeZone: string, hours: WorkingHours, runDate: Date): WorkSessions =>
  weekSessions(timeZone, hours, referenceWeek(runDate));

export const weekSessions = (timeZone: string, hours: WorkingHours, week: ReferenceWeek): WorkSessions => {
  const key = `${timeZone}|${hours.start}|${hours.end}|${week.key}`;
  const cached = sessionCache.get(key);
  if (cached) return cached;

  const weekdays = week.weekdays;
  const [firstDay] = weekdays;
  const start = parseLocalTime(hours.start);
  const end = parseLocalTime(hours.end);
  const weekStart = firstDay ? Date.UTC(firstDay[0], firstDay[1] - 1, firstDay[2]) : 0;
  const sessions = new Int32Array(10);
  weekdays.forEach(([year, month, day], index) => {
    if (end <= start) return; // no working time: an empty session overlaps nothing
    sessions[2 * index] = (localToUtcMillis(timeZone, year, month, day, start) - weekStart) / millisPerMinute;
    sessions[2 * index + 1] = (localToUtcMillis(timeZone, year, month, day, end) - weekStart) / millisPerMinute;
  });
  sessionCache.set(key, sessions);
  return sessions;
};

/** Longest simultaneous stretch of two people's sessions, in minutes. */
export const overlapMinutes = (a: WorkSessions, b: WorkSessions): number => {
  let best = 0;
  for (let i = 0; i < 10; i += 2) {
    const aStart = a[i] ?? 0;
    const aEnd = a[i + 1] ?? 0;
    for (let j = 0; j < 10; j += 2) {
      const shared = Math.min(aEnd, b[j + 1] ?? 0) - Math.max(aStart, b[j] ?? 0);
      if (shared > best) best = shared;
    }
  }
  return best;
};
