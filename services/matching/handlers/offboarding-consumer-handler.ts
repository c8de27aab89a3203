import { PersonOffboardedV1 } from '../../../shared/contracts/matching-events';
import { parseBusEvent } from '../../../shared/events/consumer';
import type { BusEvent } from '../../../shared/events/envelope';
import { logger } from '../../../shared/observability';
import { endPairingsOfLeaver } from '../domain/pods/offboarding';
import type { PairingDependencies } from '../domain/pods/ports';

/**
 * Person.Offboarded (our own event, from the bus): ends the leaver's pairings once per event
 * and re-matches their mentees at once where a mentor has room. While a run is being committed
 * the offboarding is recorded as deferred (the commit, or the commit sweeper, applies it), so a
 * long commit never sends it to the dead-letter queue. Other errors are rethrown: Lambda
 * retries, then dead-letters the event.
 */
export const createOffboardingConsumer =
  (deps: PairingDependencies) =>
  async (event: BusEvent): Promise<void> => {
    const parsed = parseBusEvent(event, [PersonOffboardedV1] as const);
    const { metadata, data } = parsed.detail;
    logger.appendKeys({ correlationId: metadata.correlationId, eventId: metadata.id });
    const outcome = await endPairingsOfLeaver(deps, {
      personId: data.personId,
      eventId: metadata.id,
      correlationId: metadata.correlationId,
    });
    logger.info(
      outcome.ended === 'deferred'
        ? 'Offboarding deferred until the run being committed frees the slot'
        : 'Pairings of a leaver ended',
      { personId: data.personId, ...outcome },
    );
  };
