import middy from '@middy/core';
import type { BusEvent } from '../../../shared/events/envelope';
import { observability } from '../../../shared/observability';
import { loadRunnerDependencies } from '../adapters/pairing-dependencies';
import { createMatchingRunner } from './matching-runner-handler';

export const handler = middy<BusEvent, void>(createMatchingRunner(loadRunnerDependencies())).use(observability);
