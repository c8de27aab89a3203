import middy from '@middy/core';
import { observability } from '../../../shared/observability';
import { loadSchedulingDependencies } from '../adapters/dependencies';
import { createEmailLinksHandler } from './email-links-handler';

export const handler = middy(createEmailLinksHandler(await loadSchedulingDependencies({ links: true }))).use(
  observability,
);
