import { EscalationRaisedV1 } from '../../../shared/contracts/escalation-events';
import { UnacceptableEventError } from '../../../shared/events/consumer';
import type { BusEvent, EventContract } from '../../../shared/events/envelope';
import { automaticContracts } from '../domain/automatic';
import { directoryContracts } from '../domain/directory';
import type { EscalationDependencies } from '../domain/ports';
import type { SignalDependencies } from '../domain/signals';
import { createAutomaticEscalationConsumer } from './automatic-escalations-handler';
import { createDirectoryProjectionConsumer } from './directory-projection-handler';
import { createThemeDetector } from './theme-detector-handler';

const covers = (contracts: readonly EventContract[], event: BusEvent) =>
  contracts.some((contract) => contract.source === event.source && contract.detailType === event['detail-type']);

/**
 * One function for the events that only touch the service's table: other services' events that
 * raise escalations, matching's directory events, and our own `Escalation.Raised` (themes).
 * Each has its own rule and keeps its own once-only guarantee; a failure is rethrown, so the
 * bus retries that event and then dead-letters it.
 */
export const createEventConsumer = (deps: SignalDependencies & EscalationDependencies) => {
  const automatic = createAutomaticEscalationConsumer(deps);
  const directory = createDirectoryProjectionConsumer(deps);
  const themes = createThemeDetector(deps);
  return async (event: BusEvent): Promise<unknown> => {
    if (covers(automaticContracts, event)) return automatic(event);
    if (covers(directoryContracts, event)) return directory(event);
    if (covers([EscalationRaisedV1], event)) return themes(event);
    throw new UnacceptableEventError(`The escalation event consumer takes no ${event.source} ${event['detail-type']}`);
  };
};
