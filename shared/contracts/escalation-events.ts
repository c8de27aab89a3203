/**
 * Events of the escalation service (source `mentoring.escalation`). Every event about one
 * escalation carries its `departmentId`, so a department subscribes to its own with one rule on
 * `detail.data.departmentId`. A confidential escalation's events carry neither the reporter's
 * identity nor their pod (`reporterId` and `podId` are null); no event carries a comment's text.
 */

import { defineEvent } from '../events/envelope';
import { lazySchema } from '../lazy-schema';
import * as z from '../zod';

const source = 'mentoring.escalation';

export const EscalationCategoryV1 = lazySchema(() =>
  z
    .enum([
      'policy',
      'tools',
      'process',
      'technical-impediment',
      'role-clarity',
      'career-certification',
      'personal',
      'culture',
      'strategy',
    ])
    .check(z.describe('What the escalation is about. `personal` always stays with the life coach.')),
);

export const EscalationSeverityV1 = lazySchema(() => z.enum(['low', 'medium', 'high', 'critical']));

export const EscalationStatusV1 = lazySchema(() =>
  z
    .enum(['open', 'acknowledged', 'in-progress', 'waiting-on-reporter', 'resolved', 'withdrawn'])
    .check(
      z.describe(
        '`open`: routed, not acknowledged yet; `waiting-on-reporter` pauses the resolution timer; `resolved` and `withdrawn` end it.',
      ),
    ),
);

export const EscalationOriginV1 = lazySchema(() =>
  z
    .enum(['person', 'mentee-at-risk', 'one-on-one-overdue', 'pulse-score-dropped'])
    .check(z.describe('Raised by a person through the API, or automatically from another service’s event.')),
);

export const SlaTimerV1 = lazySchema(() =>
  z
    .enum(['first-response', 'resolution'])
    .check(
      z.describe(
        'First response stops on acknowledgement; resolution on resolve, paused while waiting on the reporter.',
      ),
    ),
);

const EscalationIdV1 = lazySchema(() => z.string().check(z.describe('Stable id of an escalation.')));
const DepartmentIdV1 = lazySchema(() =>
  z.string().check(z.describe('The department that owns the escalation (`life-coach` for the life coach).')),
);
const InstantV1 = lazySchema(() => z.iso.datetime({ offset: true }));

export const EscalationRaisedV1 = defineEvent({
  source,
  detailType: 'Escalation.Raised',
  version: 1,
  description:
    'An escalation was raised, by a person or automatically. `reporterId` and `podId` are null when it is confidential or automatic.',
  data: () =>
    z.object({
      escalationId: EscalationIdV1(),
      origin: EscalationOriginV1(),
      category: EscalationCategoryV1(),
      severity: EscalationSeverityV1(),
      tags: z.array(z.string()),
      confidential: z.boolean(),
      reporterId: z.nullable(z.string()),
      podId: z.nullable(z.string()),
      raisedAt: InstantV1(),
    }),
});

export const EscalationRoutedV1 = defineEvent({
  source,
  detailType: 'Escalation.Routed',
  version: 1,
  description:
    'An escalation reached the department that owns it, with what the department needs to work it and its SLA due times. Subscribe with `detail.data.departmentId`.',
  data: () =>
    z.object({
      escalationId: EscalationIdV1(),
      departmentId: DepartmentIdV1(),
      origin: EscalationOriginV1(),
      category: EscalationCategoryV1(),
      severity: EscalationSeverityV1(),
      summary: z.string(),
      details: z.string(),
      tags: z.array(z.string()),
      confidential: z.boolean(),
      reporterId: z.nullable(z.string()),
      podId: z.nullable(z.string()),
      routing: z.object({
        rulesVersion: z.int().check(z.minimum(0)),
        ruleId: z.nullable(z.string()),
        reason: z.string(),
      }),
      sla: z.object({
        timeZone: z.string(),
        firstResponseDueAt: InstantV1(),
        resolutionDueAt: InstantV1(),
      }),
      routedAt: InstantV1(),
    }),
});

export const EscalationAcknowledgedV1 = defineEvent({
  source,
  detailType: 'Escalation.Acknowledged',
  version: 1,
  description: 'The department acknowledged the escalation: the first-response timer stopped.',
  data: () =>
    z.object({
      escalationId: EscalationIdV1(),
      departmentId: DepartmentIdV1(),
      acknowledgedAt: InstantV1(),
      firstResponseBusinessMinutes: z.number().check(z.minimum(0)),
      withinTarget: z.boolean(),
    }),
});

export const EscalationStatusChangedV1 = defineEvent({
  source,
  detailType: 'Escalation.StatusChanged',
  version: 1,
  description:
    'The escalation moved between `acknowledged`, `in-progress` and `waiting-on-reporter` (resolve, reopen and withdraw have events of their own). A reporter’s answer while waiting moves it back to `in-progress`.',
  data: () =>
    z.object({
      escalationId: EscalationIdV1(),
      departmentId: DepartmentIdV1(),
      from: EscalationStatusV1(),
      to: EscalationStatusV1(),
      by: z.enum(['department', 'life-coach', 'reporter']),
      /** The comment that came with the change (its text is in the API), if any. */
      commentId: z.nullable(z.string()),
      changedAt: InstantV1(),
    }),
});

export const EscalationResolvedV1 = defineEvent({
  source,
  detailType: 'Escalation.Resolved',
  version: 1,
  description: 'The department resolved the escalation: the resolution timer of this cycle stopped.',
  data: () =>
    z.object({
      escalationId: EscalationIdV1(),
      departmentId: DepartmentIdV1(),
      cycle: z.int().check(z.minimum(1)),
      /** The resolution note (its text is in the API). */
      commentId: z.string(),
      resolvedAt: InstantV1(),
      resolutionBusinessMinutes: z.number().check(z.minimum(0)),
      withinTarget: z.boolean(),
    }),
});

export const EscalationReopenedV1 = defineEvent({
  source,
  detailType: 'Escalation.Reopened',
  version: 1,
  description: 'The reporter reopened a resolved escalation: a new resolution cycle started.',
  data: () =>
    z.object({
      escalationId: EscalationIdV1(),
      departmentId: DepartmentIdV1(),
      cycle: z.int().check(z.minimum(2)),
      reopenedAt: InstantV1(),
      resolutionDueAt: InstantV1(),
    }),
});

export const EscalationWithdrawnV1 = defineEvent({
  source,
  detailType: 'Escalation.Withdrawn',
  version: 1,
  description: 'The reporter withdrew the escalation: its running timers were cancelled.',
  data: () =>
    z.object({
      escalationId: EscalationIdV1(),
      departmentId: DepartmentIdV1(),
      previousStatus: EscalationStatusV1(),
      withdrawnAt: InstantV1(),
    }),
});

export const EscalationCommentAddedV1 = defineEvent({
  source,
  detailType: 'Escalation.CommentAdded',
  version: 1,
  description:
    'Someone commented on the escalation (the text stays in the API). `authorRole` says who: the reporter, the department or the life coach.',
  data: () =>
    z.object({
      escalationId: EscalationIdV1(),
      departmentId: DepartmentIdV1(),
      commentId: z.string(),
      authorRole: z.enum(['reporter', 'department', 'life-coach']),
      addedAt: InstantV1(),
    }),
});

export const EscalationSlaWarningV1 = defineEvent({
  source,
  detailType: 'Escalation.SlaWarning',
  version: 1,
  description:
    'An SLA timer reached 50% or 75% of its target (business time of the owning department). `reachedAt` is the exact instant.',
  data: () =>
    z.object({
      escalationId: EscalationIdV1(),
      departmentId: DepartmentIdV1(),
      severity: EscalationSeverityV1(),
      timer: SlaTimerV1(),
      cycle: z.int().check(z.minimum(1)),
      percent: z.union([z.literal(50), z.literal(75)]),
      targetMinutes: z.int().check(z.minimum(1)),
      reachedAt: InstantV1(),
    }),
});

export const EscalationSlaBreachedV1 = defineEvent({
  source,
  detailType: 'Escalation.SlaBreached',
  version: 1,
  description:
    'An SLA timer passed its target (level 1: the department lead is emailed) or twice its target (level 2: the life coach is emailed). `breachedAt` is the exact instant.',
  data: () =>
    z.object({
      escalationId: EscalationIdV1(),
      departmentId: DepartmentIdV1(),
      severity: EscalationSeverityV1(),
      timer: SlaTimerV1(),
      cycle: z.int().check(z.minimum(1)),
      level: z.union([z.literal(1), z.literal(2)]),
      targetMinutes: z.int().check(z.minimum(1)),
      breachedAt: InstantV1(),
    }),
});

const WindowV1 = lazySchema(() => z.object({ from: InstantV1(), to: InstantV1(), days: z.int().check(z.minimum(1)) }));

export const ImprovementSignalDetectedV1 = defineEvent({
  source,
  detailType: 'ImprovementSignal.Detected',
  version: 1,
  description:
    'Escalations of one category or tag came from at least N distinct pods and k distinct reporters within the window: a sign that an improvement programme is needed. Once per theme and window; counts only, naming no one.',
  data: () =>
    z.object({
      signalId: z.string(),
      departmentId: DepartmentIdV1(),
      theme: z.object({ kind: z.enum(['category', 'tag']), value: z.string() }),
      escalations: z.int().check(z.minimum(1)),
      distinctPods: z.int().check(z.minimum(1)),
      distinctReporters: z.int().check(z.minimum(1)),
      thresholds: z.object({ minPods: z.int().check(z.minimum(1)), minReporters: z.int().check(z.minimum(1)) }),
      window: WindowV1(),
      detectedAt: InstantV1(),
    }),
});

export const QualityCircleSuggestedV1 = defineEvent({
  source,
  detailType: 'QualityCircle.Suggested',
  version: 1,
  description:
    'Mentees of different pods raised the same technical impediment (a tag): their mentors are emailed and can invite them to a quality circle. Names the pods, not the people; confidential escalations never count.',
  data: () =>
    z.object({
      suggestionId: z.string(),
      tag: z.string(),
      podIds: z.array(z.string()).check(z.minLength(2)),
      window: WindowV1(),
      suggestedAt: InstantV1(),
    }),
});

/** Events that change an escalation's SLA timers: the schedules of its milestones follow them. */
export const timerChangingEvents = [
  EscalationRoutedV1,
  EscalationAcknowledgedV1,
  EscalationStatusChangedV1,
  EscalationResolvedV1,
  EscalationReopenedV1,
  EscalationWithdrawnV1,
] as const;

export const escalationEvents = [
  EscalationRaisedV1,
  EscalationRoutedV1,
  EscalationAcknowledgedV1,
  EscalationStatusChangedV1,
  EscalationResolvedV1,
  EscalationReopenedV1,
  EscalationWithdrawnV1,
  EscalationCommentAddedV1,
  EscalationSlaWarningV1,
  EscalationSlaBreachedV1,
  ImprovementSignalDetectedV1,
  QualityCircleSuggestedV1,
] as const;
