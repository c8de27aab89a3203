import { parseBusEvent } from '../../../shared/events/consumer';
import type { BusEvent } from '../../../shared/events/envelope';
import { logger } from '../../../shared/observability';
import { project, projectedEvents } from '../domain/directory/projection';
import type { PulseDependencies } from '../domain/ports';

const CONSUMER = 'pulse-projection';

/**
 * Keeps pulse's view of people, pods, mentorships, email preferences and completed 1:1s from
 * other services' events, each applied once (by its envelope id). Errors are rethrown: the bus
 * retries, then dead-letters the event.
 */
export const createProjectionConsumer =
  (deps: Pick<PulseDependencies, 'directory'>) =>
  async (event: BusEvent): Promise<void> => {
    const parsed = parseBusEvent(event, projectedEvents);
    const { metadata } = parsed.detail;
    logger.appendKeys({ correlationId: metadata.correlationId, eventId: metadata.id });
    const outcome = await project(deps.directory, parsed, {
      correlationId: metadata.correlationId,
      consumedEvent: { consumer: CONSUMER, eventId: metadata.id },
    });
    if (outcome === 'stale')
      logger.info('Ignored an event older than what is stored', { detailType: event['detail-type'] });
  };
