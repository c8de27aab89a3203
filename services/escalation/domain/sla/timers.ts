/**
 * SLA timers with the semantics of ServiceNow, Jira Service Management and Zendesk: a timer
 * starts, pauses, resumes, stops or is cancelled; it counts open time of a business calendar;
 * its milestones (warnings at 50% and 75% of the target, the breach at 100% and a second breach
 * level at 200%) each happen at one exact instant, which `plannedMilestones` gives so that a
 * one-time schedule can fire there.
 *
 * Every change of a timer's course (start, pause, resume, stop, cancel) gives it a new `planId`:
 * a firing carries the plan it was scheduled for, and a firing of an older plan changes nothing.
 * A milestone the timer reached before it paused or stopped, whose firing had not arrived yet,
 * is reached there and then (`reached`), so each milestone happens exactly once, and never for a
 * timer that stopped before reaching it.
 */
import { addBusinessMillis, type BusinessCalendar, businessMillisBetween, MINUTE_MS } from './business-hours';

export const timerKinds = ['first-response', 'resolution'] as const;
export type TimerKind = (typeof timerKinds)[number];

export const milestones = ['warning-50', 'warning-75', 'breach', 'breach-2'] as const;
export type Milestone = (typeof milestones)[number];

/** Percent of the target at which each milestone happens. */
export const milestonePercent: Readonly<Record<Milestone, number>> = {
  'warning-50': 50,
  'warning-75': 75,
  breach: 100,
  /** The second breach level: twice the target (the life coach is told). */
  'breach-2': 200,
};

export type TimerStatus = 'running' | 'paused' | 'stopped' | 'cancelled';

export interface SlaTimer {
  kind: TimerKind;
  /** 1 for the first resolution cycle; a reopen starts the next. First response has one cycle. */
  cycle: number;
  status: TimerStatus;
  targetMinutes: number;
  startedAt: string;
  /** Open time counted before the current running stretch (ms). */
  elapsedMs: number;
  /** Start of the current running stretch; null unless running. */
  runningSince: string | null;
  /** When it stopped or was cancelled. */
  endedAt: string | null;
  planId: number;
  /** The milestones that have happened, with the instant each was due. */
  reached: { milestone: Milestone; at: string }[];
}

/** A milestone of a running timer and the instant it is due: one one-time schedule. */
export interface PlannedMilestone {
  timer: TimerKind;
  cycle: number;
  milestone: Milestone;
  planId: number;
  dueAt: string;
}

/** A milestone that has just happened (its event and email follow). */
export interface ReachedMilestone {
  timer: TimerKind;
  cycle: number;
  milestone: Milestone;
  /** The exact instant it was reached. */
  at: string;
}

/** A finished timer cycle, as the history keeps it. */
export interface TimerCycleRecord {
  timer: TimerKind;
  cycle: number;
  startedAt: string;
  endedAt: string;
  outcome: 'stopped' | 'cancelled';
  elapsedMinutes: number;
  targetMinutes: number;
  breached: boolean;
}

const ms = (iso: string) => Date.parse(iso);
const isoOf = (instant: number) => new Date(instant).toISOString();
const thresholdMs = (timer: SlaTimer, milestone: Milestone) =>
  (timer.targetMinutes * MINUTE_MS * milestonePercent[milestone]) / 100;

export const startTimer = (kind: TimerKind, cycle: number, targetMinutes: number, at: Date): SlaTimer => ({
  kind,
  cycle,
  status: 'running',
  targetMinutes,
  startedAt: at.toISOString(),
  elapsedMs: 0,
  runningSince: at.toISOString(),
  endedAt: null,
  planId: 1,
  reached: [],
});

/** Open time counted so far (ms), as of `at`. */
export const elapsedAt = (timer: SlaTimer, calendar: BusinessCalendar, at: Date): number =>
  timer.status === 'running' && timer.runningSince
    ? timer.elapsedMs + businessMillisBetween(calendar, ms(timer.runningSince), at.getTime())
    : timer.elapsedMs;

/** The instant a milestone not yet reached falls due, for a running timer. */
const dueInstantOf = (timer: SlaTimer, calendar: BusinessCalendar, milestone: Milestone): number => {
  if (timer.status !== 'running' || !timer.runningSince) throw new Error('Only a running timer has due instants');
  return addBusinessMillis(calendar, ms(timer.runningSince), thresholdMs(timer, milestone) - timer.elapsedMs);
};

const hasReached = (timer: SlaTimer, milestone: Milestone) =>
  timer.reached.some((item) => item.milestone === milestone);

/** What a running timer still has ahead of it; nothing for a paused, stopped or cancelled one. */
export const plannedMilestones = (timer: SlaTimer, calendar: BusinessCalendar): PlannedMilestone[] =>
  timer.status !== 'running'
    ? []
    : milestones
        .filter((milestone) => !hasReached(timer, milestone))
        .map((milestone) => ({
          timer: timer.kind,
          cycle: timer.cycle,
          milestone,
          planId: timer.planId,
          dueAt: isoOf(dueInstantOf(timer, calendar, milestone)),
        }));

/** The breach instant of a running timer (null when not running or already breached). */
export const breachDueAt = (timer: SlaTimer, calendar: BusinessCalendar): string | null =>
  plannedMilestones(timer, calendar).find((planned) => planned.milestone === 'breach')?.dueAt ?? null;

/**
 * The milestones a running timer has passed by `at` without having been marked (their firing
 * had not arrived): reached now, each at its own due instant.
 */
const catchUp = (timer: SlaTimer, calendar: BusinessCalendar, at: Date): ReachedMilestone[] => {
  if (timer.status !== 'running') return [];
  return plannedMilestones(timer, calendar)
    .filter((planned) => ms(planned.dueAt) <= at.getTime())
    .map((planned) => ({ timer: timer.kind, cycle: timer.cycle, milestone: planned.milestone, at: planned.dueAt }));
};

const withReached = (timer: SlaTimer, reached: readonly ReachedMilestone[]): SlaTimer => ({
  ...timer,
  reached: [...timer.reached, ...reached.map((item) => ({ milestone: item.milestone, at: item.at }))],
});

export interface TimerChange {
  timer: SlaTimer;
  reached: ReachedMilestone[];
}

export const pauseTimer = (timer: SlaTimer, calendar: BusinessCalendar, at: Date): TimerChange => {
  if (timer.status !== 'running') return { timer, reached: [] };
  const reached = catchUp(timer, calendar, at);
  return {
    timer: {
      ...withReached(timer, reached),
      status: 'paused',
      elapsedMs: elapsedAt(timer, calendar, at),
      runningSince: null,
      planId: timer.planId + 1,
    },
    reached,
  };
};

export const resumeTimer = (timer: SlaTimer, at: Date): SlaTimer =>
  timer.status !== 'paused'
    ? timer
    : { ...timer, status: 'running', runningSince: at.toISOString(), planId: timer.planId + 1 };

const end = (timer: SlaTimer, calendar: BusinessCalendar, at: Date, status: 'stopped' | 'cancelled'): TimerChange => {
  if (timer.status === 'stopped' || timer.status === 'cancelled') return { timer, reached: [] };
  const reached = catchUp(timer, calendar, at);
  return {
    timer: {
      ...withReached(timer, reached),
      status,
      elapsedMs: elapsedAt(timer, calendar, at),
      runningSince: null,
      endedAt: at.toISOString(),
      planId: timer.planId + 1,
    },
    reached,
  };
};

export const stopTimer = (timer: SlaTimer, calendar: BusinessCalendar, at: Date): TimerChange =>
  end(timer, calendar, at, 'stopped');

export const cancelTimer = (timer: SlaTimer, calendar: BusinessCalendar, at: Date): TimerChange =>
  end(timer, calendar, at, 'cancelled');

/**
 * A one-time schedule fired. Stale (another plan, or the timer no longer runs): nothing
 * happens. Otherwise the milestone is reached at its due instant, with any earlier one whose
 * own firing has not arrived yet.
 */
export const fireMilestone = (
  timer: SlaTimer,
  calendar: BusinessCalendar,
  firing: { planId: number; milestone: Milestone },
): TimerChange => {
  if (timer.status !== 'running' || timer.planId !== firing.planId || hasReached(timer, firing.milestone)) {
    return { timer, reached: [] };
  }
  const upTo = milestones.indexOf(firing.milestone);
  const reached = plannedMilestones(timer, calendar)
    .filter((planned) => milestones.indexOf(planned.milestone) <= upTo)
    .map((planned) => ({ timer: timer.kind, cycle: timer.cycle, milestone: planned.milestone, at: planned.dueAt }));
  return { timer: withReached(timer, reached), reached };
};

export const isBreached = (timer: SlaTimer): boolean => hasReached(timer, 'breach');

export const hasWarned = (timer: SlaTimer): boolean =>
  hasReached(timer, 'warning-50') || hasReached(timer, 'warning-75');

/** The history record of a cycle that has ended. */
export const cycleRecordOf = (timer: SlaTimer): TimerCycleRecord => {
  if (timer.status !== 'stopped' && timer.status !== 'cancelled') throw new Error('The timer has not ended');
  return {
    timer: timer.kind,
    cycle: timer.cycle,
    startedAt: timer.startedAt,
    endedAt: timer.endedAt ?? timer.startedAt,
    outcome: timer.status,
    elapsedMinutes: Math.round((timer.elapsedMs / MINUTE_MS) * 100) / 100,
    targetMinutes: timer.targetMinutes,
    breached: isBreached(timer),
  };
};
