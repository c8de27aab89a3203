import { logger } from '../../../shared/observability';
import { correlationIdOfFiring, ScheduledInvocationSchema } from '../../../shared/schedules';
import type { SchedulingDependencies } from '../domain/ports';
import { type SweepSummary, sweepDueNotices } from '../domain/sweep';

/**
 * The reminder sweep's schedule: delivers every notice due now (invites left behind, reminders,
 * "did it happen?" questions, inactivity warnings, overdue events), each once. Errors of single
 * notices are handled per notice; anything else is rethrown (Lambda retries, then dead-letters it,
 * and the next firing tries again anyway).
 */
export const createReminderSweep =
  (deps: SchedulingDependencies) =>
  async (event: unknown): Promise<SweepSummary> => {
    const correlationId = correlationIdOfFiring(ScheduledInvocationSchema.parse(event));
    logger.appendKeys({ correlationId });
    const summary = await sweepDueNotices(deps, { correlationId });
    if (summary.failed > 0 || summary.retry > 0)
      logger.warn('Reminder sweep left notices for later or gave some up', { ...summary });
    else logger.info('Reminder sweep done', { ...summary });
    return summary;
  };
