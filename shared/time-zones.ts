/**
 * Wall clocks in IANA time zones, through Intl (so daylight saving is the platform's own data).
 * Used by the local scheduler (cron in a time zone) and the matching engine (working hours).
 */

export interface WallClockTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** What the zone's clocks show at a UTC instant (ms). */
export const wallClockAt = (instant: number, timeZone: string): WallClockTime => {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
};

/** The zone's offset from UTC at a UTC instant, in ms (positive east of Greenwich). */
export const utcOffsetMillisAt = (instant: number, timeZone: string): number => {
  const wall = wallClockAt(instant, timeZone);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return wallAsUtc - Math.floor(instant / 1000) * 1000;
};

/** A calendar date, as people write it: year, month 1-12, day 1-31. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const millisPerMinute = 60_000;
const millisPerDay = 86_400_000;

/** True for a zone Intl knows by its IANA name (`Europe/Berlin`, `UTC`), not an offset or abbreviation. */
export const isIanaTimeZone = (value: string): boolean => {
  if (!(value.includes('/') || value === 'UTC')) return false;
  try {
    formatterFor(value);
    return true;
  } catch {
    return false;
  }
};

/**
 * The UTC instant (ms) at which the zone's clocks show `minuteOfDay` on `date`. Two passes settle
 * the offset either side of a daylight-saving change; a wall-clock time that does not exist
 * (skipped by a spring-forward change) lands just after the gap, one that happens twice (a
 * fall-back change) is taken at its first occurrence.
 */
export const utcInstantOf = (timeZone: string, date: CalendarDate, minuteOfDay: number): number => {
  const asIfUtc = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
  const offsetAt = (instant: number) => Math.round(utcOffsetMillisAt(instant, timeZone) / millisPerMinute);
  const firstOffset = offsetAt(asIfUtc);
  const firstGuess = asIfUtc - firstOffset * millisPerMinute;
  const secondOffset = offsetAt(firstGuess);
  if (secondOffset === firstOffset) {
    // The earlier of two occurrences, if the hour before had a larger offset and shows the same time.
    const earlier = asIfUtc - offsetAt(firstGuess - 3_600_000) * millisPerMinute;
    return earlier < firstGuess && offsetAt(earlier) !== firstOffset && sameWallMinute(earlier, firstGuess, timeZone)
      ? earlier
      : firstGuess;
  }
  const secondGuess = asIfUtc - secondOffset * millisPerMinute;
  return offsetAt(secondGuess) === secondOffset ? secondGuess : Math.max(firstGuess, secondGuess);
};

const sameWallMinute = (a: number, b: number, timeZone: string): boolean => {
  const x = wallClockAt(a, timeZone);
  const y = wallClockAt(b, timeZone);
  return x.year === y.year && x.month === y.month && x.day === y.day && x.hour === y.hour && x.minute === y.minute;
};

/** The calendar date the zone's clocks show at a UTC instant. */
export const calendarDateAt = (instant: number, timeZone: string): CalendarDate => {
  const { year, month, day } = wallClockAt(instant, timeZone);
  return { year, month, day };
};

/** `date` moved by whole days (calendar arithmetic, no time zone involved). */
export const addDays = (date: CalendarDate, days: number): CalendarDate => {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * millisPerDay);
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
};

/** ISO weekday of a calendar date: 1 Monday .. 7 Sunday. */
export const isoWeekdayOf = (date: CalendarDate): number => {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
};

/** `2027-03-02`. */
export const formatCalendarDate = (date: CalendarDate): string =>
  `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;

/** Minutes after midnight of a local time `HH:MM`. */
export const minuteOfDay = (localTime: string): number => {
  const match = /^(\d{1,2}):(\d{2})$/.exec(localTime);
  if (!match) throw new RangeError(`not a local time "HH:MM": ${localTime}`);
  return Number(match[1]) * 60 + Number(match[2]);
};
