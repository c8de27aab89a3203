import middy from '@middy/core';
import { observability } from '../../../shared/observability';
import { loadConfigurationDependencies } from '../adapters/configuration-dependencies';
import { createConfigurationApiHandler } from './configuration-api-handler';

export const handler = middy(createConfigurationApiHandler(loadConfigurationDependencies())).use(observability);
