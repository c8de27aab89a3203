import middy from '@middy/core';
import { observability } from '../../../shared/observability';
import { loadSchedulingDependencies } from '../adapters/dependencies';
import { loadLinkSigner } from '../adapters/link-wiring';
import { createEmailLinksHandler } from './email-links-handler';

export const handler = middy(
  createEmailLinksHandler(loadSchedulingDependencies({ links: await loadLinkSigner() })),
).use(observability);
