import { readConfig, ServiceConfigSchema } from '../../../shared/config';
import { createDocumentClient } from '../../../shared/dynamo/client';
import { randomId, systemClock } from '../../../shared/ports';
import type { DirectoryDependencies } from '../domain/people/directory';
import { createDynamoPeopleRepository } from './people-repository';
import { createDynamoProgrammeSettingsRepository } from './programme-settings-repository';

/** Production wiring, built once per cold start from the environment the declaration sets. */
export const loadDirectoryDependencies = (
  env: Record<string, string | undefined> = process.env,
): DirectoryDependencies => {
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
    people: createDynamoPeopleRepository(options),
    programme: createDynamoProgrammeSettingsRepository(options),
  };
};
