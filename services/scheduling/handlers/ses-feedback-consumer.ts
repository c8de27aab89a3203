import middy from '@middy/core';
import type { BusEvent } from '../../../shared/events/envelope';
import { observability } from '../../../shared/observability';
import { loadSchedulingDependencies } from '../adapters/dependencies';

import { createSesFeedbackConsumer } from './ses-feedback-consumer-handler';

export const handler = middy<BusEvent, void>(createSesFeedbackConsumer(loadSchedulingDependencies())).use(
  observability,
);
