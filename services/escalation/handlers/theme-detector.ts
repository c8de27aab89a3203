import middy from '@middy/core';
import type { BusEvent } from '../../../shared/events/envelope';
import { observability } from '../../../shared/observability';
import { loadSignalDependencies } from '../adapters/dependencies';
import { createThemeDetector } from './theme-detector-handler';

export const handler = middy<BusEvent, { signals: number; circles: number }>(
  createThemeDetector(loadSignalDependencies()),
).use(observability);
