import middy from '@middy/core';
import type { BusEvent } from '../../../shared/events/envelope';
import { observability } from '../../../shared/observability';
import { loadNotifierDependencies } from '../adapters/notifier-dependencies';
import { createNotifier } from './notifier-handler';

export const handler = middy<BusEvent, number>(createNotifier(loadNotifierDependencies())).use(observability);
