import middy from '@middy/core';
import { observability } from '../../../shared/observability';
import { loadPairingDependencies } from '../adapters/pairing-dependencies';
import { createMatchingApiHandler } from './matching-api-handler';

export const handler = middy(createMatchingApiHandler(loadPairingDependencies())).use(observability);
