import middy from '@middy/core';
import { observability } from '../../../shared/observability';
import { loadPulseDependencies } from '../adapters/dependencies';
import { createMentoringApiHandler } from './mentoring-api-handler';

export const handler = middy(createMentoringApiHandler(loadPulseDependencies())).use(observability);
