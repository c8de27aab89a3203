import { readConfig, ServiceConfigSchema } from '../../../shared/config';
import { createDocumentClient } from '../../../shared/dynamo/client';
import { randomId, systemClock } from '../../../shared/ports';
import type { PairingDependencies } from '../domain/pods/ports';
import { createDynamoPairingRepository } from './pairing-repository';
import { createDynamoPeopleRepository } from './people-repository';
import { createDynamoProgrammeSettingsRepository } from './programme-settings-repository';
import { createDynamoRunRepository } from './run-repository';

/**
 * Branch-and-bound nodes a run may spend. The engine has no limit of its own (every result is
 * proven optimal), but a run answers over the HTTP API within 29 s, and domains where mentors
 * are plentiful and mentees scarce can need thousands of nodes at 2-20 ms each. At the limit
 * the run is stored with `optimality.proven: false` and its proven gap, and a commit of it is
 * refused (422): nothing unproven is ever applied.
 */
export const RUN_BRANCH_NODE_BUDGET = 800;

/** Production wiring of the pods, runs and reassignment functions, built once per cold start. */
export const loadPairingDependencies = (env: Record<string, string | undefined> = process.env): PairingDependencies => {
  const config = readConfig(ServiceConfigSchema, env);
  const options = {
    db: createDocumentClient(),
    tableName: config.TABLE_NAME,
    service: config.SERVICE_NAME,
    clock: systemClock,
    newId: randomId,
  };
  const programme = createDynamoProgrammeSettingsRepository(options);
  return {
    clock: systemClock,
    newId: randomId,
    people: createDynamoPeopleRepository(options),
    pairings: createDynamoPairingRepository({
      ...options,
      pastPairingRetentionMonths: async () => (await programme.matching()).repeatPenaltyMonths,
    }),
    runs: createDynamoRunRepository(options),
    programme,
    settings: { solver: { maxBranchNodes: RUN_BRANCH_NODE_BUDGET } },
  };
};
