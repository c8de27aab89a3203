import middy from '@middy/core';
import type { BusEvent } from '../../../shared/events/envelope';
import { observability } from '../../../shared/observability';
import { loadPulseDependencies } from '../adapters/dependencies';
import { createProjectionConsumer } from './projection-consumer-handler';

export const handler = middy<BusEvent, void>(createProjectionConsumer(loadPulseDependencies())).use(observability);
