/**
 * EventBridge Scheduler expressions: `cron(min hour day-of-month month day-of-week year)` and
 * `rate(n unit)`, evaluated in an IANA time zone with Scheduler's daylight-saving rules: a
 * local time that does not exist (spring forward) is skipped, and a local time that happens
 * twice (fall back) fires once, at its first occurrence.
 *
 * Supported: `*`, `?`, lists, ranges, steps (`0/15`, `*\/5`, `10-40/10`), month and day
 * names, `L` and `L-n` and `nW` and `LW` in day-of-month, `L`, `nL` and `n#k` in
 * day-of-week, years 1970-2199. Not supported (rejected): ranges that wrap around
 * (`FRI-MON`, `22-2`), and both day fields set or both `?` (AWS rejects those too).
 */

import { utcOffsetMillisAt, wallClockAt } from '../shared/time-zones';

export class ScheduleExpressionError extends Error {
  override readonly name = 'ScheduleExpressionError';
}

type DayOfMonthRule =
  | { kind: 'any' }
  | { kind: 'values'; values: Set<number> }
  | { kind: 'last'; offset: number }
  | { kind: 'weekday-nearest'; day: number }
  | { kind: 'last-weekday' };

type DayOfWeekRule =
  | { kind: 'any' }
  | { kind: 'values'; values: Set<number> }
  | { kind: 'last-of-month'; weekday: number }
  | { kind: 'nth'; weekday: number; nth: number };

export interface CronSchedule {
  kind: 'cron';
  minutes: number[];
  hours: number[];
  daysOfMonth: DayOfMonthRule;
  months: Set<number>;
  daysOfWeek: DayOfWeekRule;
  years: Set<number>;
}

export interface RateSchedule {
  kind: 'rate';
  intervalMs: number;
}

export type ParsedSchedule = CronSchedule | RateSchedule;

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS = {
  minutes: { name: 'minutes', min: 0, max: 59 },
  hours: { name: 'hours', min: 0, max: 23 },
  dayOfMonth: { name: 'day-of-month', min: 1, max: 31 },
  month: { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  dayOfWeek: { name: 'day-of-week', min: 1, max: 7, names: DAY_NAMES },
  year: { name: 'year', min: 1970, max: 2199 },
} satisfies Record<string, FieldSpec>;

const fieldValue = (text: string, field: FieldSpec): number => {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + 1 : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < field.min || value > field.max) {
    throw new ScheduleExpressionError(`${field.name}: "${text}" is not in ${field.min}-${field.max}`);
  }
  return value;
};

/** `*`, `a`, `a-b`, with an optional `/step`; comma-separated. */
const parseList = (text: string, field: FieldSpec): Set<number> => {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ScheduleExpressionError(`${field.name}: bad step in "${part}"`);
    let from: number;
    let to: number;
    if (range === '*') {
      from = field.min;
      to = field.max;
    } else if (range.includes('-')) {
      const [start = '', end = ''] = range.split('-');
      from = fieldValue(start, field);
      to = fieldValue(end, field);
      if (from > to) throw new ScheduleExpressionError(`${field.name}: wrap-around range "${range}" is not supported`);
    } else {
      from = fieldValue(range, field);
      // `5/15` means "from 5, every 15" up to the field's end.
      to = stepText === undefined ? from : field.max;
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
};

const parseDayOfMonth = (text: string): DayOfMonthRule => {
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'last', offset: 0 };
  const lastMinus = /^L-(\d+)$/.exec(text);
  if (lastMinus) return { kind: 'last', offset: fieldValue(lastMinus[1] as string, { ...FIELDS.dayOfMonth, min: 0 }) };
  if (text === 'LW') return { kind: 'last-weekday' };
  const nearest = /^(\d+)W$/.exec(text);
  if (nearest) return { kind: 'weekday-nearest', day: fieldValue(nearest[1] as string, FIELDS.dayOfMonth) };
  return { kind: 'values', values: parseList(text, FIELDS.dayOfMonth) };
};

const parseDayOfWeek = (text: string): DayOfWeekRule => {
  if (text === '?') return { kind: 'any' };
  // `L` alone is the last day of the week: Saturday.
  if (text === 'L') return { kind: 'values', values: new Set([7]) };
  const last = /^(\w+)L$/.exec(text);
  if (last) return { kind: 'last-of-month', weekday: fieldValue(last[1] as string, FIELDS.dayOfWeek) };
  const nth = /^(\w+)#(\d)$/.exec(text);
  if (nth) {
    const occurrence = Number(nth[2]);
    if (occurrence < 1 || occurrence > 5) throw new ScheduleExpressionError(`day-of-week: "${text}" needs #1-#5`);
    return { kind: 'nth', weekday: fieldValue(nth[1] as string, FIELDS.dayOfWeek), nth: occurrence };
  }
  return { kind: 'values', values: parseList(text, FIELDS.dayOfWeek) };
};

const parseCron = (body: string): CronSchedule => {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new ScheduleExpressionError(
      `cron() takes 6 fields (min hour day-of-month month day-of-week year), got ${fields.length}`,
    );
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new ScheduleExpressionError('exactly one of day-of-month and day-of-week must be "?"');
  }
  return {
    kind: 'cron',
    minutes: [...parseList(minutes, FIELDS.minutes)].sort((a, b) => a - b),
    hours: [...parseList(hours, FIELDS.hours)].sort((a, b) => a - b),
    daysOfMonth: parseDayOfMonth(dayOfMonth),
    months: parseList(month, FIELDS.month),
    daysOfWeek: parseDayOfWeek(dayOfWeek),
    years: parseList(year, FIELDS.year),
  };
};

const RATE_UNITS: Record<string, number> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

export const parseScheduleExpression = (expression: string): ParsedSchedule => {
  const cron = /^cron\((.*)\)$/.exec(expression.trim());
  if (cron) return parseCron(cron[1] as string);
  const rate = /^rate\(\s*(\d+)\s+(\w+)\s*\)$/.exec(expression.trim());
  if (rate) {
    const value = Number(rate[1]);
    const unit = RATE_UNITS[(rate[2] as string).toLowerCase()];
    if (!unit || value < 1)
      throw new ScheduleExpressionError(`rate(): "${expression}" needs a positive number and minutes, hours or days`);
    return { kind: 'rate', intervalMs: value * unit };
  }
  if (/^at\(/.test(expression.trim())) {
    throw new ScheduleExpressionError('one-time at() schedules are not supported locally');
  }
  throw new ScheduleExpressionError(`"${expression}" is neither cron(...) nor rate(...)`);
};

// --- time zones --------------------------------------------------------------------------

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/**
 * The first instant at which the zone's clocks show this wall time, or undefined when they
 * never do (the hour skipped by a spring-forward change).
 */
export const instantOf = (wall: WallClock, timeZone: string): number | undefined => {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const offsets = new Set([
    utcOffsetMillisAt(naive - 86_400_000, timeZone),
    utcOffsetMillisAt(naive, timeZone),
    utcOffsetMillisAt(naive + 86_400_000, timeZone),
  ]);
  const instants = [...offsets]
    .map((offset) => naive - offset)
    .filter((instant) => {
      const shown = wallClockAt(instant, timeZone);
      return (
        shown.year === wall.year &&
        shown.month === wall.month &&
        shown.day === wall.day &&
        shown.hour === wall.hour &&
        shown.minute === wall.minute
      );
    });
  return instants.length > 0 ? Math.min(...instants) : undefined;
};

// --- calendar ----------------------------------------------------------------------------

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
/** 1 = Sunday ... 7 = Saturday, as cron counts. */
const weekdayOf = (year: number, month: number, day: number) =>
  new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;

const nearestWeekday = (year: number, month: number, day: number): number | undefined => {
  const last = daysInMonth(year, month);
  if (day > last) return undefined;
  const weekday = weekdayOf(year, month, day);
  if (weekday === 7) return day === 1 ? 3 : day - 1; // Saturday: Friday, or Monday the 3rd
  if (weekday === 1) return day === last ? day - 2 : day + 1; // Sunday: Monday, or Friday before
  return day;
};

const dayMatches = (schedule: CronSchedule, year: number, month: number, day: number): boolean => {
  const last = daysInMonth(year, month);
  const dom = schedule.daysOfMonth;
  switch (dom.kind) {
    case 'values':
      if (!dom.values.has(day)) return false;
      break;
    case 'last':
      if (day !== last - dom.offset) return false;
      break;
    case 'weekday-nearest':
      if (day !== nearestWeekday(year, month, dom.day)) return false;
      break;
    case 'last-weekday':
      if (day !== nearestWeekday(year, month, last)) return false;
      break;
    case 'any':
      break;
  }
  const dow = schedule.daysOfWeek;
  const weekday = weekdayOf(year, month, day);
  switch (dow.kind) {
    case 'values':
      return dow.values.has(weekday);
    case 'last-of-month':
      return weekday === dow.weekday && day + 7 > last;
    case 'nth':
      return weekday === dow.weekday && Math.ceil(day / 7) === dow.nth;
    case 'any':
      return true;
  }
};

/** The first fire time strictly after `after`, in the zone; undefined if there is none before 2200. */
export const nextCronFire = (schedule: CronSchedule, after: Date, timeZone = 'UTC'): Date | undefined => {
  const afterMs = after.getTime();
  const start = wallClockAt(afterMs, timeZone);
  let { year, month, day } = start;
  while (year <= FIELDS.year.max) {
    if (!schedule.years.has(year)) {
      year++;
      month = 1;
      day = 1;
      continue;
    }
    if (!schedule.months.has(month)) {
      month++;
      day = 1;
      if (month > 12) {
        month = 1;
        year++;
      }
      continue;
    }
    if (day <= daysInMonth(year, month) && dayMatches(schedule, year, month, day)) {
      for (const hour of schedule.hours) {
        for (const minute of schedule.minutes) {
          const instant = instantOf({ year, month, day, hour, minute }, timeZone);
          if (instant !== undefined && instant > afterMs) return new Date(instant);
        }
      }
    }
    day++;
    if (day > daysInMonth(year, month)) {
      day = 1;
      month++;
      if (month > 12) {
        month = 1;
        year++;
      }
    }
  }
  return undefined;
};

/** The next `count` fire times of any expression (rate schedules count from `after`). */
export const nextFireTimes = (expression: string, after: Date, count: number, timeZone = 'UTC'): Date[] => {
  const schedule = parseScheduleExpression(expression);
  const times: Date[] = [];
  let cursor = after;
  while (times.length < count) {
    const next =
      schedule.kind === 'rate'
        ? new Date(cursor.getTime() + schedule.intervalMs)
        : nextCronFire(schedule, cursor, timeZone);
    if (!next) break;
    times.push(next);
    cursor = next;
  }
  return times;
};
