import { parseBusEvent } from '../../../shared/events/consumer';
import type { BusEvent } from '../../../shared/events/envelope';
import { logger } from '../../../shared/observability';
import { directoryChangeOf, directoryContracts } from '../domain/directory';
import type { DirectoryRepository } from '../domain/ports';

export const DIRECTORY_CONSUMER = 'directory-projection';

/** Matching's `Person.*`, `Pod.*` and `Mentorship.*` keep this service's view of people and pods, each once. */
export const createDirectoryProjectionConsumer =
  (deps: { directory: DirectoryRepository }) =>
  async (event: BusEvent): Promise<'applied' | 'duplicate'> => {
    const parsed = parseBusEvent(event, directoryContracts);
    const { metadata } = parsed.detail;
    logger.appendKeys({ correlationId: metadata.correlationId, eventId: metadata.id });
    return deps.directory.apply(directoryChangeOf(parsed), {
      correlationId: metadata.correlationId,
      consumedEvent: { consumer: DIRECTORY_CONSUMER, eventId: metadata.id },
    });
  };
