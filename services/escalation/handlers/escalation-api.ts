import middy from '@middy/core';
import { observability } from '../../../shared/observability';
import { loadEscalationDependencies } from '../adapters/escalation-dependencies';
import { createEscalationApiHandler } from './escalation-api-handler';

export const handler = middy(createEscalationApiHandler(loadEscalationDependencies())).use(observability);
