import { EmployeeJoinedV1, EmployeeLeftV1, EmployeeUpdatedV1 } from '../../../shared/contracts/hr-directory-events';
import { parseBusEvent } from '../../../shared/events/consumer';
import type { BusEvent } from '../../../shared/events/envelope';
import { logger } from '../../../shared/observability';
import { type DirectoryDependencies, removePerson, upsertPerson } from '../domain/people/directory';
import { PersonNotFoundError } from '../domain/people/errors';
import { personInputFromHr } from '../domain/people/hr-directory';

const CONSUMER = 'hr-directory';
const contracts = [EmployeeJoinedV1, EmployeeUpdatedV1, EmployeeLeftV1] as const;

/**
 * Applies HR directory events to the people directory, each at most once (by the event's
 * envelope id). Errors are rethrown: the bus retries, then dead-letters the event.
 */
export const createHrDirectoryConsumer =
  (deps: DirectoryDependencies) =>
  async (event: BusEvent): Promise<void> => {
    const parsed = parseBusEvent(event, contracts);
    const { metadata } = parsed.detail;
    const context = {
      correlationId: metadata.correlationId,
      consumedEvent: { consumer: CONSUMER, eventId: metadata.id },
    };
    logger.appendKeys({ correlationId: metadata.correlationId, eventId: metadata.id });

    if (parsed.contract === EmployeeLeftV1) {
      const { employeeId } = parsed.detail.data as { employeeId: string };
      try {
        await removePerson(deps, employeeId, 'left-company', context);
      } catch (error) {
        // Someone we never knew left: nothing to end, but remember the event was handled.
        if (!(error instanceof PersonNotFoundError)) throw error;
        await deps.people.write(null, context);
      }
      return;
    }
    const { employee } = parsed.detail.data as { employee: Parameters<typeof personInputFromHr>[0] };
    const { personId, input } = personInputFromHr(employee);
    await upsertPerson(deps, personId, input, context);
  };
