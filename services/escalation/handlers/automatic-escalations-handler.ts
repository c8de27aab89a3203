import { parseBusEvent } from '../../../shared/events/consumer';
import type { BusEvent } from '../../../shared/events/envelope';
import { logger } from '../../../shared/observability';
import { automaticContracts, automaticSourceOf, raiseAutomaticEscalation } from '../domain/automatic';
import type { EscalationDependencies } from '../domain/ports';

export const AUTOMATIC_ESCALATIONS_CONSUMER = 'automatic-escalations';

/**
 * `Mentee.AtRisk`, `OneOnOne.Overdue` and `PulseScore.Dropped` become escalations, one per
 * source event however often it is delivered. Errors are rethrown: the bus retries, then
 * dead-letters the event.
 */
export const createAutomaticEscalationConsumer =
  (deps: EscalationDependencies) =>
  async (event: BusEvent): Promise<'created' | 'exists' | 'duplicate'> => {
    const parsed = parseBusEvent(event, automaticContracts);
    const { metadata } = parsed.detail;
    logger.appendKeys({ correlationId: metadata.correlationId, eventId: metadata.id });
    const outcome = await raiseAutomaticEscalation(deps, automaticSourceOf(parsed), {
      correlationId: metadata.correlationId,
      consumedEvent: { consumer: AUTOMATIC_ESCALATIONS_CONSUMER, eventId: metadata.id },
    });
    logger.info('Automatic escalation', { detailType: parsed.contract.detailType, outcome });
    return outcome;
  };
