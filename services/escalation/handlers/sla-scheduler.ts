import middy from '@middy/core';
import type { BusEvent } from '../../../shared/events/envelope';
import { observability } from '../../../shared/observability';
import { loadScheduleDependencies } from '../adapters/schedule-dependencies';
import { createSlaSchedulerConsumer } from './sla-scheduler-handler';

export const handler = middy<BusEvent, { created: number; deleted: number }>(
  createSlaSchedulerConsumer(loadScheduleDependencies()),
).use(observability);
