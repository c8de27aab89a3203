/**
 * Keeping one-time schedules in step with the SLA timers, and what a firing does.
 *
 * After every event that changes an escalation's timers, its schedules are reconciled with the
 * timers as they are then: the missing milestones of the current plans are created, schedules
 * of older plans (or of milestones already reached) are deleted. Schedules of a *newer* plan are
 * never touched, so two reconciliations running out of order (one of them on a stale read)
 * cannot delete the schedules the newer state needs. A firing of an older plan that escaped
 * deletion is ignored by the timer itself (`fireMilestone`).
 */

import { lazySchema } from '../../../../shared/lazy-schema';
import { retry } from '../../../../shared/retry';
import * as z from '../../../../shared/zod';
import { ConcurrentEscalationChangeError } from '../escalations/errors';
import { fireSla, scheduledMilestonesOf } from '../escalations/lifecycle';
import type { Escalation } from '../escalations/model';
import type { EscalationRepository, MilestoneSchedules, ScheduledMilestone, WriteContext } from '../ports';
import { milestones, type PlannedMilestone, timerKinds } from './timers';

/** What a milestone's one-time schedule hands the SLA timer function (its target input). */
export const MilestoneFiringSchema = lazySchema(() =>
  z.strictObject({
    escalationId: z.string().check(z.minLength(1), z.maxLength(64)),
    timer: z.enum(timerKinds),
    cycle: z.int().check(z.minimum(1)),
    milestone: z.enum(milestones),
    planId: z.int().check(z.minimum(1)),
    /** The instant it was scheduled for. */
    dueAt: z.iso.datetime(),
  }),
);
export type MilestoneFiringInput = z.infer<ReturnType<typeof MilestoneFiringSchema>>;

export const firingInputOf = (escalationId: string, planned: PlannedMilestone): MilestoneFiringInput => ({
  escalationId,
  timer: planned.timer,
  cycle: planned.cycle,
  milestone: planned.milestone,
  planId: planned.planId,
  dueAt: planned.dueAt,
});

const sameSchedule = (a: ScheduledMilestone, b: ScheduledMilestone) =>
  a.timer === b.timer && a.cycle === b.cycle && a.planId === b.planId && a.milestone === b.milestone;

/** The schedules to create and to delete so that the escalation's schedules follow its timers. */
export const reconcilePlan = (
  escalation: Pick<Escalation, 'timers'> | undefined,
  existing: readonly ScheduledMilestone[],
  planned: readonly PlannedMilestone[],
): { create: PlannedMilestone[]; delete: ScheduledMilestone[] } => {
  const positionOf = (timer: ScheduledMilestone['timer']) =>
    escalation ? escalation.timers[timer === 'first-response' ? 'firstResponse' : 'resolution'] : undefined;
  const obsolete = (schedule: ScheduledMilestone) => {
    const current = positionOf(schedule.timer);
    if (!current) return true;
    if (schedule.cycle !== current.cycle) return schedule.cycle < current.cycle;
    if (schedule.planId !== current.planId) return schedule.planId < current.planId;
    // The current plan: only milestones still ahead keep their schedule.
    return !planned.some((item) => sameSchedule(item, schedule));
  };
  return {
    create: planned.filter((item) => !existing.some((schedule) => sameSchedule(item, schedule))),
    delete: existing.filter(obsolete),
  };
};

/** Makes the escalation's one-time schedules exactly those its timers need now. */
export const reconcileSchedules = async (
  deps: { escalations: Pick<EscalationRepository, 'get'>; schedules: MilestoneSchedules },
  escalationId: string,
): Promise<{ created: number; deleted: number }> => {
  const escalation = await deps.escalations.get(escalationId);
  const planned = escalation ? scheduledMilestonesOf(escalation) : [];
  const plan = reconcilePlan(escalation, await deps.schedules.list(escalationId), planned);
  for (const item of plan.create) await deps.schedules.create(escalationId, item);
  for (const item of plan.delete) await deps.schedules.delete(escalationId, item);
  return { created: plan.create.length, deleted: plan.delete.length };
};

/**
 * A milestone's schedule fired: the milestone is reached, with its events, unless its plan is
 * gone (the timer paused, resumed, stopped or was cancelled since): then nothing happens.
 */
export const fireScheduledMilestone = (
  deps: { escalations: EscalationRepository; clock: () => Date },
  firing: MilestoneFiringInput,
  context: WriteContext,
): Promise<'reached' | 'stale'> =>
  retry(
    async () => {
      const escalation = await deps.escalations.get(firing.escalationId);
      const change = escalation ? fireSla(escalation, firing, deps.clock()) : null;
      if (!change) return 'stale' as const;
      await deps.escalations.update(change, context);
      return 'reached' as const;
    },
    { attempts: 4, retryable: (error) => error instanceof ConcurrentEscalationChangeError },
  );
