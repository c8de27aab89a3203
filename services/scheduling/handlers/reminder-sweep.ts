import middy from '@middy/core';
import { observability } from '../../../shared/observability';
import { loadSchedulingDependencies } from '../adapters/dependencies';
import { loadEmail } from '../adapters/email-wiring';
import { loadLinkSigner } from '../adapters/link-wiring';
import type { SweepSummary } from '../domain/sweep';
import { createReminderSweep } from './reminder-sweep-handler';

export const handler = middy<unknown, SweepSummary>(
  createReminderSweep(loadSchedulingDependencies({ email: loadEmail(), links: await loadLinkSigner() })),
).use(observability);
