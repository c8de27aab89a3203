import { logger } from '../../../shared/observability';
import { sleep as realSleep } from '../../../shared/retry';
import type { EscalationRepository } from '../domain/ports';
import { fireScheduledMilestone, MilestoneFiringSchema } from '../domain/sla/schedules';

/**
 * EventBridge Scheduler invokes within the minute of a schedule's time; a firing that arrives
 * before its milestone's instant waits out the difference (at most this long), so the milestone
 * happens at its instant, to the second.
 */
export const MAX_EARLY_WAIT_MS = 70_000;

export interface SlaTimerDependencies {
  escalations: EscalationRepository;
  clock: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/** The target of every milestone schedule: the milestone is reached, unless its plan is gone. */
export const createSlaTimer =
  (deps: SlaTimerDependencies) =>
  async (event: unknown): Promise<'reached' | 'stale'> => {
    const firing = MilestoneFiringSchema().parse(event);
    const correlationId = `sla-${firing.escalationId}@${firing.dueAt}`;
    logger.appendKeys({ correlationId, escalationId: firing.escalationId });
    const early = Date.parse(firing.dueAt) - deps.clock().getTime();
    if (early > 0) await (deps.sleep ?? realSleep)(Math.min(early, MAX_EARLY_WAIT_MS));
    const outcome = await fireScheduledMilestone(deps, firing, { correlationId });
    logger.info('Milestone schedule fired', { milestone: firing.milestone, timer: firing.timer, outcome });
    return outcome;
  };
