import middy from '@middy/core';
import type { BusEvent } from '../../../shared/events/envelope';
import { observability } from '../../../shared/observability';
import { loadMatchingDependencies } from '../adapters/dependencies';
import { createHrDirectoryConsumer } from './hr-directory-consumer-handler';

export const handler = middy<BusEvent, void>(createHrDirectoryConsumer(loadMatchingDependencies())).use(observability);
