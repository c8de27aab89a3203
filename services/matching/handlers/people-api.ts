import middy from '@middy/core';
import { observability } from '../../../shared/observability';
import { loadDirectoryDependencies } from '../adapters/directory-dependencies';
import { createPeopleApiHandler } from './people-api-handler';

export const handler = middy(createPeopleApiHandler(loadDirectoryDependencies())).use(observability);
