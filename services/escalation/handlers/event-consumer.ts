import middy from '@middy/core';
import type { BusEvent } from '../../../shared/events/envelope';
import { observability } from '../../../shared/observability';
import { loadEventConsumerDependencies } from '../adapters/escalation-dependencies';
import { createEventConsumer } from './event-consumer-handler';

export const handler = middy<BusEvent, unknown>(createEventConsumer(loadEventConsumerDependencies())).use(
  observability,
);
