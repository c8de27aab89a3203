import middy from '@middy/core';
import type { BusEvent } from '../../../shared/events/envelope';
import { observability } from '../../../shared/observability';
import { loadEscalationDependencies } from '../adapters/dependencies';
import { createAutomaticEscalationConsumer } from './automatic-escalations-handler';

export const handler = middy<BusEvent, string>(createAutomaticEscalationConsumer(loadEscalationDependencies())).use(
  observability,
);
