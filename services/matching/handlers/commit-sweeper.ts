import middy from '@middy/core';
import { observability } from '../../../shared/observability';
import { loadPairingDependencies } from '../adapters/pairing-dependencies';
import { createCommitSweeper, type SweepSummary } from './commit-sweeper-handler';

export const handler = middy<unknown, SweepSummary>(createCommitSweeper(loadPairingDependencies())).use(observability);
