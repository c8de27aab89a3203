import { logger } from '../../../shared/observability';
import { correlationIdOfFiring, ScheduledInvocationSchema } from '../../../shared/schedules';
import { type SweepOutcome, sweepCommitSlot } from '../domain/pods/commit-sweeper';
import type { PairingDependencies } from '../domain/pods/ports';

export interface SweepSummary {
  commit: SweepOutcome['commit'];
  offboardings: number;
  rematched: number;
  placed: number;
}

/**
 * The commit sweeper's schedule: finishes an abandoned commit, then applies deferred
 * offboardings and re-matches left behind. Errors are rethrown: Lambda retries the invocation,
 * then dead-letters it (and the next firing tries again anyway).
 */
export const createCommitSweeper =
  (deps: PairingDependencies) =>
  async (event: unknown): Promise<SweepSummary> => {
    // Writes made by the sweep itself (a finished commit's events) are traced to this firing.
    const correlationId = correlationIdOfFiring(ScheduledInvocationSchema.parse(event));
    logger.appendKeys({ correlationId });
    const outcome = await sweepCommitSlot(deps, { correlationId });
    const summary: SweepSummary = {
      commit: outcome.commit,
      offboardings: outcome.offboardings.length,
      rematched: outcome.rematched.length,
      placed: outcome.rematched.filter((item) => item.placed).length,
    };
    if (outcome.commit?.outcome === 'finished' || outcome.commit?.outcome === 'aborted') {
      logger.warn('Finished an abandoned commit', { ...summary });
    } else {
      logger.info('Commit slot swept', { ...summary });
    }
    return summary;
  };
