import middy from '@middy/core';
import type { BusEvent } from '../../../shared/events/envelope';
import { observability } from '../../../shared/observability';
import { loadPairingDependencies } from '../adapters/pairing-dependencies';
import { createOffboardingConsumer } from './offboarding-consumer-handler';

export const handler = middy<BusEvent, void>(createOffboardingConsumer(loadPairingDependencies())).use(observability);
