import middy from '@middy/core';
import { observability } from '../../../shared/observability';
import { loadPulseDependencies } from '../adapters/dependencies';
import { createPulseSweeper } from './pulse-sweeper-handler';

export const handler = middy<unknown, unknown>(createPulseSweeper(loadPulseDependencies())).use(observability);
