/**
 * Who sees an escalation, who acts on it, and what each sees. The rule (tested at every level):
 * the life coach sees everything; the reporter sees their own escalation; the owning
 * department sees its escalations, and of a confidential one neither who raised it nor their
 * pod nor the facts it came with. Anyone else sees nothing, exactly as if it did not exist.
 * Comment authors are shown by role; who exactly wrote a comment only to the life coach.
 */

import type { Principal } from '../../../../shared/auth/principal';
import { EscalationCategoryV1, EscalationOriginV1 } from '../../../../shared/contracts/escalation-events';
import { lazySchema } from '../../../../shared/lazy-schema';
import * as z from '../../../../shared/zod';
import { LIFE_COACH_DEPARTMENT } from '../departments';
import { MINUTE_MS } from '../sla/business-hours';
import { breachDueAt, elapsedAt, milestones, type SlaTimer } from '../sla/timers';
import {
  type Actor,
  type Escalation,
  type EscalationComment,
  SeveritySchema,
  SlaStateSchema,
  StatusSchema,
} from './model';

export type Viewer = 'life-coach' | 'reporter' | 'department';

export const viewerOf = (escalation: Escalation, principal: Principal): Viewer | null => {
  if (principal.roles.has('life-coach')) return 'life-coach';
  if (escalation.reporterId !== null && principal.personId === escalation.reporterId) return 'reporter';
  if (principal.roles.has('department') && principal.departmentId === escalation.departmentId) return 'department';
  return null;
};

/** Who works the escalation: its department, or the life coach on the life coach's own. */
export const workerOf = (escalation: Escalation, principal: Principal): Actor | null => {
  if (principal.roles.has('department') && principal.departmentId === escalation.departmentId) {
    return { role: 'department', departmentId: escalation.departmentId, actorId: principal.personId };
  }
  if (escalation.departmentId === LIFE_COACH_DEPARTMENT && principal.roles.has('life-coach')) {
    return { role: 'life-coach', personId: principal.personId };
  }
  return null;
};

export const reporterOf = (escalation: Escalation, principal: Principal): Actor | null =>
  escalation.reporterId !== null && principal.personId === escalation.reporterId
    ? { role: 'reporter', personId: principal.personId }
    : null;

/** Who may comment, and in which capacity: the reporter first (an answer resumes the timer), then the department, then the life coach. */
export const commenterOf = (escalation: Escalation, principal: Principal): Actor | null =>
  reporterOf(escalation, principal) ??
  workerOf(escalation, principal) ??
  (principal.roles.has('life-coach') ? { role: 'life-coach', personId: principal.personId } : null);

const TimerViewSchema = lazySchema(() =>
  z.object({
    status: z.enum(['running', 'paused', 'stopped', 'cancelled']),
    cycle: z.int(),
    targetMinutes: z.int(),
    /** Business minutes counted so far. */
    elapsedMinutes: z.number(),
    /** When the target is (or was) passed while running; null once stopped, paused or breached. */
    dueAt: z.nullable(z.string()),
    breached: z.boolean(),
    reached: z.array(z.object({ milestone: z.enum(milestones), at: z.string() })),
  }),
);

const CycleSchema = lazySchema(() =>
  z.object({
    timer: z.enum(['first-response', 'resolution']),
    cycle: z.int(),
    startedAt: z.string(),
    endedAt: z.string(),
    outcome: z.enum(['stopped', 'cancelled']),
    elapsedMinutes: z.number(),
    targetMinutes: z.int(),
    breached: z.boolean(),
  }),
);

export const CommentViewSchema = lazySchema(() =>
  z.object({
    commentId: z.string(),
    authorRole: z.enum(['reporter', 'department', 'life-coach']),
    /** Shown to the life coach only. */
    authorId: z.optional(z.string()),
    body: z.string(),
    statusChange: z.nullable(z.object({ from: StatusSchema(), to: z.string() })),
    createdAt: z.string(),
  }),
);

export const EscalationViewSchema = lazySchema(() =>
  z.object({
    view: z.enum(['life-coach', 'reporter', 'department']),
    escalationId: z.string(),
    origin: EscalationOriginV1(),
    category: EscalationCategoryV1(),
    severity: SeveritySchema(),
    summary: z.string(),
    details: z.string(),
    tags: z.array(z.string()),
    confidential: z.boolean(),
    /** Null for automatic escalations, and for the department when confidential. */
    reporterId: z.nullable(z.string()),
    podId: z.nullable(z.string()),
    /** Facts of the event an automatic escalation came from; empty for the department when confidential. */
    context: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    departmentId: z.string(),
    routing: z.object({ rulesVersion: z.int(), ruleId: z.nullable(z.string()), reason: z.string() }),
    status: StatusSchema(),
    slaState: SlaStateSchema(),
    sla: z.object({
      timeZone: z.string(),
      firstResponse: TimerViewSchema(),
      resolution: TimerViewSchema(),
      history: z.array(CycleSchema()),
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
    acknowledgedAt: z.nullable(z.string()),
    resolvedAt: z.nullable(z.string()),
    withdrawnAt: z.nullable(z.string()),
    /** In the view of one escalation; listings leave them out. */
    comments: z.optional(z.array(CommentViewSchema())),
  }),
);
export type EscalationView = z.infer<ReturnType<typeof EscalationViewSchema>>;

const timerView = (timer: SlaTimer, escalation: Escalation, now: Date) => ({
  status: timer.status,
  cycle: timer.cycle,
  targetMinutes: timer.targetMinutes,
  elapsedMinutes: Math.round((elapsedAt(timer, escalation.calendar, now) / MINUTE_MS) * 100) / 100,
  dueAt: breachDueAt(timer, escalation.calendar),
  breached: timer.reached.some((item) => item.milestone === 'breach'),
  reached: timer.reached,
});

const commentView = (comment: EscalationComment, viewer: Viewer) => ({
  commentId: comment.commentId,
  authorRole: comment.authorRole,
  ...(viewer === 'life-coach' ? { authorId: comment.authorId } : {}),
  body: comment.body,
  statusChange: comment.statusChange,
  createdAt: comment.createdAt,
});

/** The escalation as this viewer may see it (`comments` only when given). */
export const escalationView = (
  escalation: Escalation,
  viewer: Viewer,
  now: Date,
  comments?: readonly EscalationComment[],
): EscalationView => {
  const redacted = viewer === 'department' && escalation.confidential;
  return {
    view: viewer,
    escalationId: escalation.escalationId,
    origin: escalation.origin,
    category: escalation.category,
    severity: escalation.severity,
    summary: escalation.summary,
    details: escalation.details,
    tags: escalation.tags,
    confidential: escalation.confidential,
    reporterId: redacted ? null : escalation.reporterId,
    podId: redacted ? null : escalation.podId,
    context: redacted ? {} : escalation.context,
    departmentId: escalation.departmentId,
    routing: escalation.routing,
    status: escalation.status,
    slaState: escalation.slaState,
    sla: {
      timeZone: escalation.calendar.timeZone,
      firstResponse: timerView(escalation.timers.firstResponse, escalation, now),
      resolution: timerView(escalation.timers.resolution, escalation, now),
      history: escalation.history,
    },
    createdAt: escalation.createdAt,
    updatedAt: escalation.updatedAt,
    acknowledgedAt: escalation.acknowledgedAt,
    resolvedAt: escalation.resolvedAt,
    withdrawnAt: escalation.withdrawnAt,
    ...(comments ? { comments: comments.map((comment) => commentView(comment, viewer)) } : {}),
  };
};
