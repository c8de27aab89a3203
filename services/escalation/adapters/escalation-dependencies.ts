/**
 * Production wiring of the functions that only touch the table, built once per cold start from
 * the environment the declaration sets. (Each function's wiring imports only the SDK clients it
 * uses: a smaller bundle and a faster cold start.)
 */
import { readConfig, ServiceConfigSchema } from '../../../shared/config';
import { createDocumentClient } from '../../../shared/dynamo/client';
import type { RepositoryOptions } from '../../../shared/dynamo/table';
import { randomId, systemClock } from '../../../shared/ports';
import type { EscalationDependencies } from '../domain/ports';
import type { SignalDependencies } from '../domain/signals';
import { createDynamoConfigurationRepository } from './configuration-repository';
import { createDynamoDirectoryRepository } from './directory-repository';
import { createDynamoEscalationRepository } from './escalation-repository';
import { createDynamoThemeRepository } from './theme-repository';

export type Env = Record<string, string | undefined>;

export const repositoryOptionsOf = (env: Env): RepositoryOptions => {
  const config = readConfig(ServiceConfigSchema, env);
  return {
    db: createDocumentClient(),
    tableName: config.TABLE_NAME,
    service: config.SERVICE_NAME,
    clock: systemClock,
    newId: randomId,
  };
};

export const escalationDependenciesOf = (options: RepositoryOptions): EscalationDependencies => ({
  escalations: createDynamoEscalationRepository(options),
  directory: createDynamoDirectoryRepository(options),
  configuration: createDynamoConfigurationRepository(options),
  clock: systemClock,
  newId: randomId,
});

export const loadEscalationDependencies = (env: Env = process.env): EscalationDependencies =>
  escalationDependenciesOf(repositoryOptionsOf(env));

/** The event consumer: escalations, the directory and themes. */
export const loadEventConsumerDependencies = (env: Env = process.env): SignalDependencies & EscalationDependencies => {
  const options = repositoryOptionsOf(env);
  return { ...escalationDependenciesOf(options), themes: createDynamoThemeRepository(options) };
};
