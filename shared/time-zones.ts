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

/**
 * The instant a zone's clocks show a wall time. A time skipped by a spring-forward change reads
 * as the instant after the gap (02:30 becomes 03:30 when clocks jump from 02:00 to 03:00); a time
 * repeated by a fall-back change is its first occurrence (Temporal's `compatible`
 * disambiguation). Hours may run past 23 (`24:00` is the next midnight).
 */
export const instantOfWallTime = (wall: WallClockTime, timeZone: string): number => {
  const DAY_MS = 24 * 3600 * 1000;
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const offsetBefore = utcOffsetMillisAt(wallAsUtc - DAY_MS, timeZone);
  const offsetAfter = utcOffsetMillisAt(wallAsUtc + DAY_MS, timeZone);
  const candidates = [wallAsUtc - offsetBefore, wallAsUtc - offsetAfter].filter(
    (candidate) => utcOffsetMillisAt(candidate, timeZone) === wallAsUtc - candidate,
  );
  if (candidates.length > 0) return Math.min(...candidates);
  // In the gap: read the wall time with the offset in force before it, which lands after the gap.
  return wallAsUtc - offsetBefore;
};
