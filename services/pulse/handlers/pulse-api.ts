import middy from '@middy/core';
import { observability } from '../../../shared/observability';
import { loadPulseDependencies } from '../adapters/dependencies';
import { createPulseApiHandler } from './pulse-api-handler';

export const handler = middy(createPulseApiHandler(loadPulseDependencies())).use(observability);
