import middy from '@middy/core';
import { observability } from '../../../shared/observability';
import { loadEscalationDependencies } from '../adapters/escalation-dependencies';
import { createSlaTimer } from './sla-timer-handler';

export const handler = middy<unknown, string>(createSlaTimer(loadEscalationDependencies())).use(observability);
