/**
 * When rounds open and close, and when invitations and reminders are due. Dates are UTC days:
 * a round opens at 00:00 UTC of its opening day (or at once, if that is already past) and closes
 * at 24:00 UTC of its closing day. Emails then wait for each recipient's working hours.
 */
import { nextWorkingMoment, type WorkingHours } from '../../../../shared/working-hours';
import type { Cadence, ScheduleInput } from './model';

const DAY = 24 * 3600_000;

export const DEFAULT_ROUND_DAYS: Record<Cadence, number> = { weekly: 5, biweekly: 7, monthly: 10 };
const CADENCE_DAYS: Record<Exclude<Cadence, 'monthly'>, number> = { weekly: 7, biweekly: 14 };

export interface RoundWindow {
  opensAt: Date;
  closesAt: Date;
}

const startOfDay = (date: string) => new Date(`${date}T00:00:00.000Z`);

/** The calendar date `months` months after `date`, the day kept where the month has it (else its last day). */
const addMonths = (date: Date, months: number): Date => {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay)));
};

/** The window of round `round` (1-based), or null when the schedule has no such round. */
export const roundWindow = (schedule: ScheduleInput, round: number): RoundWindow | null => {
  if (schedule.kind === 'once') {
    if (round !== 1) return null;
    return { opensAt: startOfDay(schedule.opensOn), closesAt: new Date(startOfDay(schedule.closesOn).getTime() + DAY) };
  }
  const first = startOfDay(schedule.startsOn);
  const opensAt =
    schedule.cadence === 'monthly'
      ? addMonths(first, round - 1)
      : new Date(first.getTime() + (round - 1) * CADENCE_DAYS[schedule.cadence] * DAY);
  if (schedule.endsOn && opensAt.getTime() > startOfDay(schedule.endsOn).getTime()) return null;
  const days = schedule.roundDays ?? DEFAULT_ROUND_DAYS[schedule.cadence];
  return { opensAt, closesAt: new Date(opensAt.getTime() + days * DAY) };
};

/** What makes a schedule unusable at `now`, by field (empty when it is fine). */
export const scheduleProblems = (schedule: ScheduleInput, now: Date): { field: string; message: string }[] => {
  const today = now.toISOString().slice(0, 10);
  if (schedule.kind === 'once') {
    return schedule.closesOn < today ? [{ field: 'schedule.closesOn', message: 'is in the past' }] : [];
  }
  const problems: { field: string; message: string }[] = [];
  if (schedule.startsOn < today) problems.push({ field: 'schedule.startsOn', message: 'is in the past' });
  if (schedule.endsOn && schedule.endsOn < schedule.startsOn) {
    problems.push({ field: 'schedule.endsOn', message: 'is before startsOn' });
  }
  const period = schedule.cadence === 'monthly' ? 28 : CADENCE_DAYS[schedule.cadence];
  if ((schedule.roundDays ?? DEFAULT_ROUND_DAYS[schedule.cadence]) > period) {
    problems.push({
      field: 'schedule.roundDays',
      message: `must be at most ${period} for a ${schedule.cadence} pulse`,
    });
  }
  return problems;
};

/** A reminder goes out a few days before closing: two days before, but not in the round's first day. */
export const reminderBase = (window: RoundWindow): Date | null => {
  const base = Math.max(window.opensAt.getTime() + DAY, window.closesAt.getTime() - 2 * DAY);
  return base < window.closesAt.getTime() - 4 * 3600_000 ? new Date(base) : null;
};

export interface Recipient {
  timezone: string;
  workingHours: WorkingHours;
}

/** When a recipient gets an email meant for `from` or later: their next working moment, if the round is still open then. */
export const deliveryTime = (from: Date, recipient: Recipient, closesAt: Date): Date | null => {
  const at = nextWorkingMoment(from, recipient.timezone, recipient.workingHours);
  return at.getTime() < closesAt.getTime() ? at : null;
};
