import { MatchingRunRequestedV1 } from '../../../shared/contracts/matching-events';
import { parseBusEvent } from '../../../shared/events/consumer';
import type { BusEvent } from '../../../shared/events/envelope';
import { logger } from '../../../shared/observability';
import { processRun } from '../domain/pods/matching-runs';
import type { PairingDependencies } from '../domain/pods/ports';

/**
 * The matching runner (MatchingRun.Requested, our own event): computes the requested run with the
 * whole directory in memory and a time budget instead of the HTTP API's 29 s, stores its result in
 * pages, and commits it when asked to. A refusal is recorded on the run; an interruption is
 * rethrown, so Lambda retries the invocation (a redelivery resumes: computed runs are not computed
 * again, applied commit steps are skipped), then dead-letters it.
 */
export const createMatchingRunner =
  (deps: PairingDependencies) =>
  async (event: BusEvent): Promise<void> => {
    const parsed = parseBusEvent(event, [MatchingRunRequestedV1] as const);
    const { metadata, data } = parsed.detail;
    logger.appendKeys({ correlationId: metadata.correlationId, eventId: metadata.id, runId: data.runId });
    const started = Date.now();
    const run = await processRun(deps, data.runId, { correlationId: metadata.correlationId });
    logger.info('Matching run processed', {
      runId: data.runId,
      request: data.request,
      status: run?.status ?? 'unknown-run',
      durationMs: Date.now() - started,
    });
  };
