import middy from '@middy/core';
import type { BusEvent } from '../../../shared/events/envelope';
import { observability } from '../../../shared/observability';
import { loadEscalationDependencies } from '../adapters/dependencies';
import { createDirectoryProjectionConsumer } from './directory-projection-handler';

export const handler = middy<BusEvent, string>(createDirectoryProjectionConsumer(loadEscalationDependencies())).use(
  observability,
);
