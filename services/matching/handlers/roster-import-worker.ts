import middy from '@middy/core';
import type { BusEvent } from '../../../shared/events/envelope';
import { observability } from '../../../shared/observability';
import { loadDirectoryDependencies } from '../adapters/directory-dependencies';
import { createRosterImportWorker } from './roster-import-worker-handler';

export const handler = middy<BusEvent, void>(createRosterImportWorker(loadDirectoryDependencies())).use(observability);
