import { EmployeeJoinedV1, EmployeeLeftV1, EmployeeUpdatedV1 } from '../../../shared/contracts/hr-directory-events';
import { parseBusEvent, UnacceptableEventError } from '../../../shared/events/consumer';
import type { BusEvent } from '../../../shared/events/envelope';
import { logger } from '../../../shared/observability';
import { applyHrEvent, type DirectoryDependencies } from '../domain/people/directory';
import { InvalidPersonFieldError } from '../domain/people/errors';
import { personInputFromHr } from '../domain/people/hr-directory';
import { PersonIdSchema } from '../domain/people/person';
import { type HrChange, sourceVersion } from '../domain/people/person-changes';

const CONSUMER = 'hr-directory';
const contracts = [EmployeeJoinedV1, EmployeeUpdatedV1, EmployeeLeftV1] as const;

/**
 * Applies HR directory events to the people directory, each at most once (by the event's
 * envelope id) and by when it happened (`metadata.occurredAt`, ties broken by the event id):
 * EventBridge does not keep order, so an event older than what is stored changes nothing.
 * Errors are rethrown: the bus retries, then dead-letters the event.
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
    const version = sourceVersion(metadata.occurredAt, metadata.id);
    let change: HrChange;
    if (parsed.contract === EmployeeLeftV1) {
      const { employeeId } = parsed.detail.data as { employeeId: string };
      if (!PersonIdSchema().safeParse(employeeId).success) {
        throw new UnacceptableEventError(`HR employee id ${JSON.stringify(employeeId)} is not a valid person id`);
      }
      change = { kind: 'left', personId: employeeId, version };
    } else {
      const { employee } = parsed.detail.data as { employee: Parameters<typeof personInputFromHr>[0] };
      const { personId, input } = personInputFromHr(employee);
      change = { kind: parsed.contract === EmployeeJoinedV1 ? 'joined' : 'updated', personId, input, version };
    }
    try {
      const outcome = await applyHrEvent(deps, change, context);
      logger.info('HR directory event applied', { personId: change.personId, outcome: outcome.kind });
    } catch (error) {
      // HR's record breaks the directory's rules (an unknown domain, the person as their own manager).
      if (error instanceof InvalidPersonFieldError) {
        throw new UnacceptableEventError(
          `HR employee ${change.personId} is not a valid directory record: ${error.message}`,
        );
      }
      throw error;
    }
  };
