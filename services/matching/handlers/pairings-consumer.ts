import middy from '@middy/core';
import type { BusEvent } from '../../../shared/events/envelope';
import { observability } from '../../../shared/observability';
import { loadPairingDependencies } from '../adapters/pairing-dependencies';
import { createPairingsConsumer } from './pairings-consumer-handler';

export const handler = middy<BusEvent, void>(createPairingsConsumer(loadPairingDependencies())).use(observability);
