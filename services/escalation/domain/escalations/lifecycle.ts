/**
 * The life of an escalation, pure: each step takes the escalation as it is, who acts and when,
 * and returns the escalation as it becomes, the events it implies and the comment it adds. The
 * SLA timers move with the status:
 *
 *   routed                 first response and resolution start (status `open`)
 *   acknowledge            first response stops                (`acknowledged`)
 *   waiting-on-reporter    resolution pauses
 *   in-progress, or the reporter answers while waited on: resolution resumes
 *   resolved               resolution stops
 *   reopen (reporter)      a new resolution cycle starts       (`in-progress`)
 *   withdraw (reporter)    every running timer is cancelled    (`withdrawn`)
 */
import {
  EscalationAcknowledgedV1,
  EscalationCommentAddedV1,
  EscalationRaisedV1,
  EscalationReopenedV1,
  EscalationResolvedV1,
  EscalationRoutedV1,
  EscalationSlaBreachedV1,
  EscalationSlaWarningV1,
  EscalationStatusChangedV1,
  EscalationWithdrawnV1,
} from '../../../../shared/contracts/escalation-events';
import { type PendingEvent, pendingEvent } from '../../../../shared/events/outbox';
import { calendarOf, type Department } from '../departments';
import type { RoutingDecision } from '../routing';
import { MINUTE_MS } from '../sla/business-hours';
import {
  breachDueAt,
  cancelTimer,
  cycleRecordOf,
  fireMilestone,
  hasWarned,
  isBreached,
  type Milestone,
  type PlannedMilestone,
  pauseTimer,
  plannedMilestones,
  type ReachedMilestone,
  resumeTimer,
  type SlaTimer,
  startTimer,
  stopTimer,
  type TimerKind,
} from '../sla/timers';
import { IllegalTransitionError } from './errors';
import {
  type Actor,
  actorIdOf,
  type Escalation,
  type EscalationComment,
  type EscalationContext,
  type EscalationStatus,
  type Origin,
  type RaiseInput,
  type SlaState,
} from './model';

export interface EscalationChange {
  escalation: Escalation;
  events: PendingEvent[];
  comment: EscalationComment | null;
}

/** A reopen starts a new resolution cycle; this many cycles at most keep the history bounded. */
export const MAX_RESOLUTION_CYCLES = 20;

/** What each status allows, as the 409 answer names it. */
const allowedFrom: Readonly<Record<EscalationStatus, readonly string[]>> = {
  open: ['acknowledge', 'withdraw'],
  acknowledged: ['in-progress', 'waiting-on-reporter', 'resolved', 'withdraw'],
  'in-progress': ['waiting-on-reporter', 'resolved', 'withdraw'],
  'waiting-on-reporter': ['in-progress', 'resolved', 'withdraw'],
  resolved: ['reopen'],
  withdrawn: [],
};

/** The statuses `POST /escalations/{id}/status` may set from each status. */
const statusMoves: Readonly<Record<EscalationStatus, readonly EscalationStatus[]>> = {
  open: [],
  acknowledged: ['in-progress', 'waiting-on-reporter', 'resolved'],
  'in-progress': ['waiting-on-reporter', 'resolved'],
  'waiting-on-reporter': ['in-progress', 'resolved'],
  resolved: [],
  withdrawn: [],
};

export type SettableStatus = 'in-progress' | 'waiting-on-reporter' | 'resolved';

const refuse = (escalation: Escalation, attempted: string): never => {
  throw new IllegalTransitionError(escalation.status, attempted, allowedFrom[escalation.status]);
};

const businessMinutes = (timer: SlaTimer) => Math.round((timer.elapsedMs / MINUTE_MS) * 100) / 100;

/** Confidential escalations leave the service without the reporter and their pod. */
const identityForEvents = (escalation: Escalation) =>
  escalation.confidential
    ? { reporterId: null, podId: null }
    : { reporterId: escalation.reporterId, podId: escalation.podId };

export const slaStateOf = (escalation: Pick<Escalation, 'status' | 'timers'>): SlaState => {
  const timers = [escalation.timers.firstResponse, escalation.timers.resolution];
  if (timers.some(isBreached)) return 'breached';
  if (escalation.status === 'withdrawn') return 'cancelled';
  const live = timers.filter((timer) => timer.status === 'running' || timer.status === 'paused');
  if (live.some(hasWarned)) return 'warning';
  if (escalation.timers.resolution.status === 'paused') return 'paused';
  if (live.length > 0) return 'on-track';
  return 'met';
};

/** The SLA milestone events of what was just reached. */
const milestoneEvents = (escalation: Escalation, reached: readonly ReachedMilestone[]): PendingEvent[] =>
  reached.map((item) => {
    const timer = item.timer === 'first-response' ? escalation.timers.firstResponse : escalation.timers.resolution;
    const common = {
      escalationId: escalation.escalationId,
      departmentId: escalation.departmentId,
      severity: escalation.severity,
      timer: item.timer,
      cycle: item.cycle,
      targetMinutes: timer.targetMinutes,
    };
    if (item.milestone === 'warning-50' || item.milestone === 'warning-75') {
      return pendingEvent(EscalationSlaWarningV1, {
        ...common,
        percent: item.milestone === 'warning-50' ? 50 : 75,
        reachedAt: item.at,
      });
    }
    return pendingEvent(EscalationSlaBreachedV1, {
      ...common,
      level: item.milestone === 'breach' ? 1 : 2,
      breachedAt: item.at,
    });
  });

/** Applies timer changes, records ended cycles, and refreshes the derived fields. */
const settle = (
  before: Escalation,
  changes: Partial<Escalation> & { timers?: Escalation['timers'] },
  at: Date,
  ended: readonly SlaTimer[] = [],
): Escalation => {
  const next: Escalation = {
    ...before,
    ...changes,
    history: [...before.history, ...ended.map(cycleRecordOf)],
    updatedAt: at.toISOString(),
    version: before.version + 1,
  };
  return { ...next, slaState: slaStateOf(next) };
};

const commentOf = (
  escalation: Escalation,
  actor: Actor,
  body: string,
  commentId: string,
  at: Date,
  statusChange: EscalationComment['statusChange'] = null,
): EscalationComment => ({
  commentId,
  escalationId: escalation.escalationId,
  authorRole: actor.role,
  authorId: actorIdOf(actor),
  body,
  statusChange,
  createdAt: at.toISOString(),
});

export interface OpenEscalation {
  escalationId: string;
  origin: Origin;
  sourceEventId: string | null;
  reporterId: string | null;
  podId: string | null;
  reporterPodRole: Escalation['reporterPodRole'];
  input: RaiseInput;
  context: EscalationContext;
  routing: RoutingDecision;
  /** The owning department as it is now: its calendar and targets are kept with the escalation. */
  department: Department;
  at: Date;
}

/** Raised and routed at once: both timers start in the owning department's calendar. */
export const openEscalation = (params: OpenEscalation): EscalationChange => {
  const { input, department, routing, at } = params;
  const targets = department.slaTargets[input.severity];
  const escalation: Escalation = {
    escalationId: params.escalationId,
    origin: params.origin,
    sourceEventId: params.sourceEventId,
    reporterId: params.reporterId,
    podId: params.podId,
    reporterPodRole: params.reporterPodRole,
    category: input.category,
    severity: input.severity,
    summary: input.summary,
    details: input.details,
    tags: input.tags,
    confidential: input.confidential,
    context: params.context,
    departmentId: routing.departmentId,
    routing: { rulesVersion: routing.rulesVersion, ruleId: routing.ruleId, reason: routing.reason },
    status: 'open',
    calendar: calendarOf(department),
    timers: {
      firstResponse: startTimer('first-response', 1, targets.firstResponseMinutes, at),
      resolution: startTimer('resolution', 1, targets.resolutionMinutes, at),
    },
    history: [],
    slaState: 'on-track',
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
    acknowledgedAt: null,
    resolvedAt: null,
    withdrawnAt: null,
    version: 1,
  };
  const identity = identityForEvents(escalation);
  const events = [
    pendingEvent(EscalationRaisedV1, {
      escalationId: escalation.escalationId,
      origin: escalation.origin,
      category: escalation.category,
      severity: escalation.severity,
      tags: escalation.tags,
      confidential: escalation.confidential,
      ...identity,
      raisedAt: escalation.createdAt,
    }),
    pendingEvent(EscalationRoutedV1, {
      escalationId: escalation.escalationId,
      departmentId: escalation.departmentId,
      origin: escalation.origin,
      category: escalation.category,
      severity: escalation.severity,
      summary: escalation.summary,
      details: escalation.details,
      tags: escalation.tags,
      confidential: escalation.confidential,
      ...identity,
      routing: escalation.routing,
      sla: {
        timeZone: escalation.calendar.timeZone,
        firstResponseDueAt: breachDueAt(escalation.timers.firstResponse, escalation.calendar) ?? escalation.createdAt,
        resolutionDueAt: breachDueAt(escalation.timers.resolution, escalation.calendar) ?? escalation.createdAt,
      },
      routedAt: escalation.createdAt,
    }),
  ];
  return { escalation, events, comment: null };
};

export const acknowledge = (escalation: Escalation, at: Date): EscalationChange => {
  if (escalation.status !== 'open') refuse(escalation, 'be acknowledged');
  const stopped = stopTimer(escalation.timers.firstResponse, escalation.calendar, at);
  const next = settle(
    escalation,
    {
      status: 'acknowledged',
      acknowledgedAt: at.toISOString(),
      timers: { ...escalation.timers, firstResponse: stopped.timer },
    },
    at,
    [stopped.timer],
  );
  return {
    escalation: next,
    events: [
      ...milestoneEvents(next, stopped.reached),
      pendingEvent(EscalationAcknowledgedV1, {
        escalationId: next.escalationId,
        departmentId: next.departmentId,
        acknowledgedAt: at.toISOString(),
        firstResponseBusinessMinutes: businessMinutes(stopped.timer),
        withinTarget: !isBreached(stopped.timer),
      }),
    ],
    comment: null,
  };
};

/** The department (or the life coach on their own escalations) moves the status, with a comment. */
export const changeStatus = (
  escalation: Escalation,
  actor: Actor,
  to: SettableStatus,
  body: string,
  commentId: string,
  at: Date,
): EscalationChange => {
  if (!statusMoves[escalation.status].includes(to)) refuse(escalation, `move to ${to}`);
  const comment = commentOf(escalation, actor, body, commentId, at, { from: escalation.status, to });
  const resolution = escalation.timers.resolution;
  if (to === 'resolved') {
    const stopped = stopTimer(resolution, escalation.calendar, at);
    const next = settle(
      escalation,
      { status: 'resolved', resolvedAt: at.toISOString(), timers: { ...escalation.timers, resolution: stopped.timer } },
      at,
      [stopped.timer],
    );
    return {
      escalation: next,
      events: [
        ...milestoneEvents(next, stopped.reached),
        pendingEvent(EscalationResolvedV1, {
          escalationId: next.escalationId,
          departmentId: next.departmentId,
          cycle: stopped.timer.cycle,
          commentId,
          resolvedAt: at.toISOString(),
          resolutionBusinessMinutes: businessMinutes(stopped.timer),
          withinTarget: !isBreached(stopped.timer),
        }),
      ],
      comment,
    };
  }
  const paused =
    to === 'waiting-on-reporter' ? pauseTimer(resolution, escalation.calendar, at) : { timer: resolution, reached: [] };
  const moved = to === 'in-progress' ? resumeTimer(paused.timer, at) : paused.timer;
  const next = settle(escalation, { status: to, timers: { ...escalation.timers, resolution: moved } }, at);
  return {
    escalation: next,
    events: [
      ...milestoneEvents(next, paused.reached),
      pendingEvent(EscalationStatusChangedV1, {
        escalationId: next.escalationId,
        departmentId: next.departmentId,
        from: escalation.status,
        to,
        by: actor.role,
        commentId,
        changedAt: at.toISOString(),
      }),
    ],
    comment,
  };
};

/**
 * A comment. The reporter's answer while the department waits on them resumes the resolution
 * timer and moves the escalation back to `in-progress`.
 */
export const addComment = (
  escalation: Escalation,
  actor: Actor,
  body: string,
  commentId: string,
  at: Date,
): EscalationChange => {
  if (escalation.status === 'withdrawn') refuse(escalation, 'take comments');
  const answersWait = actor.role === 'reporter' && escalation.status === 'waiting-on-reporter';
  const comment = commentOf(
    escalation,
    actor,
    body,
    commentId,
    at,
    answersWait ? { from: 'waiting-on-reporter', to: 'in-progress' } : null,
  );
  const next = answersWait
    ? settle(
        escalation,
        {
          status: 'in-progress',
          timers: { ...escalation.timers, resolution: resumeTimer(escalation.timers.resolution, at) },
        },
        at,
      )
    : settle(escalation, {}, at);
  const events: PendingEvent[] = [
    pendingEvent(EscalationCommentAddedV1, {
      escalationId: next.escalationId,
      departmentId: next.departmentId,
      commentId,
      authorRole: actor.role,
      addedAt: at.toISOString(),
    }),
  ];
  if (answersWait) {
    events.push(
      pendingEvent(EscalationStatusChangedV1, {
        escalationId: next.escalationId,
        departmentId: next.departmentId,
        from: 'waiting-on-reporter',
        to: 'in-progress',
        by: 'reporter',
        commentId,
        changedAt: at.toISOString(),
      }),
    );
  }
  return { escalation: next, events, comment };
};

/** The reporter reopens a resolved escalation: a new resolution cycle with the same target. */
export const reopen = (
  escalation: Escalation,
  actor: Actor,
  body: string | undefined,
  commentId: string,
  at: Date,
): EscalationChange => {
  if (escalation.status !== 'resolved') refuse(escalation, 'be reopened');
  const previous = escalation.timers.resolution;
  if (previous.cycle >= MAX_RESOLUTION_CYCLES) {
    throw new IllegalTransitionError(escalation.status, `be reopened more than ${MAX_RESOLUTION_CYCLES - 1} times`, []);
  }
  const cycle = startTimer('resolution', previous.cycle + 1, previous.targetMinutes, at);
  const next = settle(
    escalation,
    { status: 'in-progress', resolvedAt: null, timers: { ...escalation.timers, resolution: cycle } },
    at,
  );
  return {
    escalation: next,
    events: [
      pendingEvent(EscalationReopenedV1, {
        escalationId: next.escalationId,
        departmentId: next.departmentId,
        cycle: cycle.cycle,
        reopenedAt: at.toISOString(),
        resolutionDueAt: breachDueAt(cycle, next.calendar) ?? at.toISOString(),
      }),
    ],
    comment: body ? commentOf(escalation, actor, body, commentId, at, { from: 'resolved', to: 'in-progress' }) : null,
  };
};

/** The reporter withdraws: every timer still counting is cancelled. */
export const withdraw = (
  escalation: Escalation,
  actor: Actor,
  body: string | undefined,
  commentId: string,
  at: Date,
): EscalationChange => {
  if (!allowedFrom[escalation.status].includes('withdraw')) refuse(escalation, 'be withdrawn');
  const live = (timer: SlaTimer) => timer.status === 'running' || timer.status === 'paused';
  const cancelled = {
    firstResponse: cancelTimer(escalation.timers.firstResponse, escalation.calendar, at),
    resolution: cancelTimer(escalation.timers.resolution, escalation.calendar, at),
  };
  const ended = [escalation.timers.firstResponse, escalation.timers.resolution]
    .filter(live)
    .map((timer) => (timer.kind === 'first-response' ? cancelled.firstResponse.timer : cancelled.resolution.timer));
  const next = settle(
    escalation,
    {
      status: 'withdrawn',
      withdrawnAt: at.toISOString(),
      timers: { firstResponse: cancelled.firstResponse.timer, resolution: cancelled.resolution.timer },
    },
    at,
    ended,
  );
  return {
    escalation: next,
    events: [
      ...milestoneEvents(next, [...cancelled.firstResponse.reached, ...cancelled.resolution.reached]),
      pendingEvent(EscalationWithdrawnV1, {
        escalationId: next.escalationId,
        departmentId: next.departmentId,
        previousStatus: escalation.status,
        withdrawnAt: at.toISOString(),
      }),
    ],
    comment: body
      ? commentOf(escalation, actor, body, commentId, at, { from: escalation.status, to: 'withdrawn' })
      : null,
  };
};

/** What a one-time schedule hands the SLA timer function: which milestone of which plan. */
export interface MilestoneFiring {
  escalationId: string;
  timer: TimerKind;
  cycle: number;
  milestone: Milestone;
  planId: number;
}

/** A milestone's schedule fired: reached (with its events) unless the plan it belongs to is gone. */
export const fireSla = (escalation: Escalation, firing: MilestoneFiring, at: Date): EscalationChange | null => {
  const key = firing.timer === 'first-response' ? 'firstResponse' : 'resolution';
  const timer = escalation.timers[key];
  if (timer.cycle !== firing.cycle) return null;
  const fired = fireMilestone(timer, escalation.calendar, firing);
  if (fired.reached.length === 0) return null;
  const next = settle(escalation, { timers: { ...escalation.timers, [key]: fired.timer } }, at);
  return { escalation: next, events: milestoneEvents(next, fired.reached), comment: null };
};

/** Every milestone still ahead of the escalation's running timers: the one-time schedules it should have. */
export const scheduledMilestonesOf = (escalation: Escalation): PlannedMilestone[] => [
  ...plannedMilestones(escalation.timers.firstResponse, escalation.calendar),
  ...plannedMilestones(escalation.timers.resolution, escalation.calendar),
];
