import type { EventContract } from '../events/envelope';
import { hrDirectoryEvents } from './hr-directory-events';
import { matchingEvents } from './matching-events';
import { pulseEvents } from './pulse-events';

/** Every event contract on the bus, produced by the platform or sent in by other departments. */
export const eventCatalog: readonly EventContract[] = [...matchingEvents, ...pulseEvents, ...hrDirectoryEvents];
