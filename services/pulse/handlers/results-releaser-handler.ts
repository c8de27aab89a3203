import { PulseSurveyClosedV1 } from '../../../shared/contracts/pulse-events';
import { parseBusEvent } from '../../../shared/events/consumer';
import type { BusEvent } from '../../../shared/events/envelope';
import { logger } from '../../../shared/observability';
import type { PulseDependencies } from '../domain/ports';
import { releaseRound } from '../domain/surveys/release';

/**
 * Our own PulseSurvey.Closed: decides what the round's results may show, stores them, records
 * score drops. Releasing twice is harmless (the second finds the round released). A release that
 * finds another one holding the slot throws, so the bus retries it a moment later.
 */
export const createResultsReleaser =
  (deps: PulseDependencies) =>
  async (event: BusEvent): Promise<void> => {
    const parsed = parseBusEvent(event, [PulseSurveyClosedV1]);
    const { metadata, data } = parsed.detail;
    logger.appendKeys({ correlationId: metadata.correlationId, eventId: metadata.id });
    const outcome = await releaseRound(deps, data.roundId, { correlationId: metadata.correlationId });
    logger.info('Round results', { roundId: data.roundId, outcome });
  };
