import { PersonOffboardedV1, PersonUpdatedV1 } from '../../../shared/contracts/matching-events';
import { parseBusEvent } from '../../../shared/events/consumer';
import type { BusEvent } from '../../../shared/events/envelope';
import { logger } from '../../../shared/observability';
import { reconcilePairingsOf } from '../domain/pods/offboarding';
import type { PairingDependencies } from '../domain/pods/ports';

/** Directory fields whose change can break a hard rule of a pairing in force. */
const ruleFields = new Set(['domain', 'level', 'projectIds', 'managerId', 'roles', 'timezone', 'workingHours']);

/**
 * Our own directory events, from the bus: Person.Offboarded ends the leaver's pairings;
 * Person.Updated ends the pairings a change (domain, level, project, manager, roles, hours) now
 * breaks. Each event is applied once; the mentees who lost their mentor are re-matched at once
 * where a mentor has room. While a run is being committed the change is recorded as deferred (the
 * commit, or the commit sweeper, applies it), so a long commit never sends it to the dead-letter
 * queue. Other errors are rethrown: Lambda retries, then dead-letters the event.
 */
export const createPairingsConsumer =
  (deps: PairingDependencies) =>
  async (event: BusEvent): Promise<void> => {
    const parsed = parseBusEvent(event, [PersonOffboardedV1, PersonUpdatedV1] as const);
    const { metadata } = parsed.detail;
    logger.appendKeys({ correlationId: metadata.correlationId, eventId: metadata.id });
    let personId: string;
    let kind: 'offboarding' | 'directory-change';
    if (parsed.contract === PersonOffboardedV1) {
      personId = (parsed.detail.data as { personId: string }).personId;
      kind = 'offboarding';
    } else {
      const data = parsed.detail.data as { person: { personId: string }; changedFields: string[] };
      if (!data.changedFields.some((field) => ruleFields.has(field))) return;
      personId = data.person.personId;
      kind = 'directory-change';
    }
    const outcome = await reconcilePairingsOf(deps, kind, {
      personId,
      eventId: metadata.id,
      correlationId: metadata.correlationId,
    });
    logger.info(
      outcome.ended === 'deferred'
        ? 'Pairing change deferred until the run being committed frees the slot'
        : 'Pairings reconciled with the directory',
      { personId, kind, ...outcome },
    );
  };
