import middy from '@middy/core';
import { observability } from '../../../shared/observability';
import { loadMatchingDependencies } from '../adapters/dependencies';
import { createPeopleApiHandler } from './people-api-handler';

export const handler = middy(createPeopleApiHandler(loadMatchingDependencies())).use(observability);
