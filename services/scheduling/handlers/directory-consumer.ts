import middy from '@middy/core';
import type { BusEvent } from '../../../shared/events/envelope';
import { observability } from '../../../shared/observability';
import { loadSchedulingDependencies } from '../adapters/dependencies';
import { loadEmail } from '../adapters/email-wiring';
import { createDirectoryConsumer } from './directory-consumer-handler';

export const handler = middy<BusEvent, void>(
  createDirectoryConsumer(loadSchedulingDependencies({ email: loadEmail() })),
).use(observability);
