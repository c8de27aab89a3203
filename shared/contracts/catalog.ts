import type { EventContract } from '../events/envelope';
import { escalationEvents } from './escalation-events';
import { hrDirectoryEvents } from './hr-directory-events';
import { matchingEvents } from './matching-events';
import { pulseEvents } from './pulse-events';
import { schedulingEvents } from './scheduling-events';

/** Every event contract on the bus, produced by the platform or sent in by other departments. */
export const eventCatalog: readonly EventContract[] = [
  ...matchingEvents,
  ...schedulingEvents,
  ...pulseEvents,
  ...hrDirectoryEvents,
  ...escalationEvents,
];
