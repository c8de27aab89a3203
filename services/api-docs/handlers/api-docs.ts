import middy from '@middy/core';
import { observability } from '../../../shared/observability';
import { systemClock } from '../../../shared/ports';
import { allServices } from '../../index';
import { createApiDocsHandler } from './api-docs-handler';

export const handler = middy(createApiDocsHandler(allServices, systemClock)).use(observability);
