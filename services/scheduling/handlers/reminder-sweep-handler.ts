import { logger } from '../../../shared/observability';
import { correlationIdOfFiring, ScheduledInvocationSchema } from '../../../shared/schedules';
import type { SchedulingDependencies } from '../domain/ports';
import { type SweepSummary, sweepDueNotices } from '../domain/sweep';

/**
 * The reminder sweep's schedule: delivers every notice due (invites left behind, reminders, "did
 * it happen?" questions, inactivity warnings, overdue events), each once. It acts as of the
 * firing's scheduled time, not the moment it runs: a retried or re-run firing decides the same
 * way, and a test fires it for any instant. Errors of single notices are handled per notice;
 * anything else is rethrown (Lambda retries, then dead-letters it, and the next firing tries
 * again anyway).
 */
export const createReminderSweep =
  (deps: SchedulingDependencies) =>
  async (event: unknown): Promise<SweepSummary> => {
    const firing = ScheduledInvocationSchema.parse(event);
    const correlationId = correlationIdOfFiring(firing);
    logger.appendKeys({ correlationId });
    const asOf = new Date(firing.scheduledTime);
    const summary = await sweepDueNotices({ ...deps, clock: () => new Date(asOf) }, { correlationId });
    if (summary.failed > 0 || summary.retry > 0)
      logger.warn('Reminder sweep left notices for later or gave some up', { ...summary });
    else logger.info('Reminder sweep done', { ...summary });
    return summary;
  };
