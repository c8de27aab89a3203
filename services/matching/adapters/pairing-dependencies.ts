import { readConfig, ServiceConfigSchema } from '../../../shared/config';
import { createDocumentClient } from '../../../shared/dynamo/client';
import { randomId, systemClock } from '../../../shared/ports';
import type { PairingDependencies } from '../domain/pods/ports';
import { loadHighsMipSolver } from './highs-mip-solver';
import { createDynamoImportRepository } from './import-repository';
import { createDynamoPairingRepository } from './pairing-repository';
import { createDynamoPeopleRepository } from './people-repository';
import { createDynamoProgrammeSettingsRepository } from './programme-settings-repository';
import { createDynamoRunRepository } from './run-repository';

/**
 * The time a run's search may take in the runner (a Lambda of up to 15 minutes): the engine has
 * no limit of its own (every result is proven optimal), but domains where mentors are plentiful
 * and mentees scarce can need many thousands of branch-and-bound nodes. When the budget runs out
 * the run is stored with `optimality.proven: false` and its proven gap, and a commit of it is
 * refused: nothing unproven is ever applied. The rest (reading the directory, storing the result,
 * a commit) fits in the remaining minutes for 50,000 people.
 */
export const RUN_SEARCH_BUDGET_MS = 8 * 60 * 1000;

/** Production wiring of the pods, runs and reassignment functions, built once per cold start. */
export const loadPairingDependencies = (
  env: Record<string, string | undefined> = process.env,
  settings: PairingDependencies['settings'] = {},
): PairingDependencies => {
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
    imports: createDynamoImportRepository(options),
    settings,
  };
};

/** The runner's wiring: the search gets its time budget, and HiGHS for the domains its own search finds hard. */
export const loadRunnerDependencies = (env: Record<string, string | undefined> = process.env): PairingDependencies => ({
  ...loadPairingDependencies(env, { solver: { timeBudgetMs: RUN_SEARCH_BUDGET_MS } }),
  loadMipSolver: loadHighsMipSolver,
});
