import middy from '@middy/core';
import type { BusEvent } from '../../../shared/events/envelope';
import { observability } from '../../../shared/observability';
import { loadDirectoryDependencies } from '../adapters/directory-dependencies';
import { createHrDirectoryConsumer } from './hr-directory-consumer-handler';

export const handler = middy<BusEvent, void>(createHrDirectoryConsumer(loadDirectoryDependencies())).use(observability);
