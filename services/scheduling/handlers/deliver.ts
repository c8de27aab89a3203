/**
 * Invites and introductions go out right after the write that made them. Best effort: the
 * notices are already in the table, so whatever does not go out now goes with the next sweep.
 */
import { logger } from '../../../shared/observability';
import type { NoticeRef } from '../domain/model';
import type { SchedulingDependencies } from '../domain/ports';
import { deliverNotices } from '../domain/sweep';

export const deliverNow = async (
  deps: SchedulingDependencies,
  refs: readonly NoticeRef[],
  correlationId: string,
): Promise<void> => {
  if (refs.length === 0) return;
  try {
    const summary = await deliverNotices(deps, refs, correlationId);
    if (summary.retry > 0 || summary.failed > 0) logger.warn('Some notices were not delivered at once', { ...summary });
  } catch (error) {
    logger.warn('Delivering notices at once failed; the sweep will send them', { error: error as Error });
  }
};
