import { readConfig, ServiceConfigSchema } from '../../../shared/config';
import { createDocumentClient } from '../../../shared/dynamo/client';
import { randomId, systemClock } from '../../../shared/ports';
import type { PairingDependencies } from '../domain/pods/ports';
import { createDynamoPairingRepository } from './pairing-repository';
import { createDynamoPeopleRepository } from './people-repository';
import { createDynamoRunRepository } from './run-repository';

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
  return {
    clock: systemClock,
    newId: randomId,
    people: createDynamoPeopleRepository(options),
    pairings: createDynamoPairingRepository(options),
    runs: createDynamoRunRepository(options),
  };
};
