import { readConfig, ServiceConfigSchema } from '../../../shared/config';
import { createDocumentClient } from '../../../shared/dynamo/client';
import { randomId, systemClock } from '../../../shared/ports';
import type { ImportDependencies } from '../domain/people/roster-import';
import { createDynamoImportRepository } from './import-repository';
import { createDynamoPeopleRepository } from './people-repository';
import { createDynamoProgrammeSettingsRepository } from './programme-settings-repository';

/** Production wiring, built once per cold start from the environment the declaration sets. */
export const loadDirectoryDependencies = (
  env: Record<string, string | undefined> = process.env,
): ImportDependencies => {
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
    imports: createDynamoImportRepository(options),
  };
};
