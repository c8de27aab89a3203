import middy from '@middy/core';
import type { BusEvent } from '../../../shared/events/envelope';
import { observability } from '../../../shared/observability';
import { loadPulseDependencies } from '../adapters/dependencies';
import { createResultsReleaser } from './results-releaser-handler';

export const handler = middy<BusEvent, void>(createResultsReleaser(loadPulseDependencies())).use(observability);
