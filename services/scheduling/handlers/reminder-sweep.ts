import middy from '@middy/core';
import { observability } from '../../../shared/observability';
import { loadSchedulingDependencies } from '../adapters/dependencies';
import type { SweepSummary } from '../domain/sweep';
import { createReminderSweep } from './reminder-sweep-handler';

export const handler = middy<unknown, SweepSummary>(
  createReminderSweep(await loadSchedulingDependencies({ email: true, links: true })),
).use(observability);
