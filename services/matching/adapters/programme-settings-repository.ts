import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RepositoryOptions } from '../../../shared/dynamo/table';
import {
  type DomainList,
  defaultMatchingSettings,
  type ProgrammeSettingsRepository,
  SettingsChangedError,
  type StoredMatchingSettings,
} from '../domain/settings/programme-settings';
import { settingsKey } from './keys';

/**
 * The programme settings as two items (the domain list, the matching settings), each replaced
 * whole under the version it was read at, so two admins saving at once cannot lose a change.
 */
export const createDynamoProgrammeSettingsRepository = (
  options: Pick<RepositoryOptions, 'db' | 'tableName'>,
): ProgrammeSettingsRepository => {
  const { db, tableName } = options;
  const read = async (name: 'DOMAINS' | 'MATCHING') =>
    (await db.send(new GetCommand({ TableName: tableName, Key: settingsKey(name), ConsistentRead: true }))).Item;
  const save = async (name: 'DOMAINS' | 'MATCHING', value: { version: number }) => {
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...settingsKey(name), ...value },
          ...(value.version === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :previous',
                ExpressionAttributeValues: { ':previous': value.version - 1 },
              }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new SettingsChangedError('Someone else saved these settings at the same time; read them again.');
      }
      throw error;
    }
  };
  return {
    async domains(): Promise<DomainList> {
      const item = await read('DOMAINS');
      if (!item) return { domains: [], version: 0 };
      return {
        domains: (item.domains as DomainList['domains']) ?? [],
        version: Number(item.version),
        ...(item.updatedAt ? { updatedAt: String(item.updatedAt) } : {}),
        ...(item.updatedBy ? { updatedBy: String(item.updatedBy) } : {}),
      };
    },
    saveDomains: (list) => save('DOMAINS', list),
    async matching(): Promise<StoredMatchingSettings> {
      const item = await read('MATCHING');
      if (!item) return defaultMatchingSettings;
      const { pk: _pk, sk: _sk, ...settings } = item;
      return settings as unknown as StoredMatchingSettings;
    },
    saveMatching: (settings) => save('MATCHING', settings),
  };
};

/** The same contract in memory (handler tests). */
export const createInMemoryProgrammeSettings = (
  initial: { domains?: DomainList['domains']; matching?: StoredMatchingSettings } = {},
) => {
  let domains: DomainList = initial.domains ? { domains: initial.domains, version: 1 } : { domains: [], version: 0 };
  let matching: StoredMatchingSettings = initial.matching ?? defaultMatchingSettings;
  const repository: ProgrammeSettingsRepository = {
    domains: async () => structuredClone(domains),
    async saveDomains(list) {
      if (list.version !== domains.version + 1) throw new SettingsChangedError('The domain list changed meanwhile.');
      domains = structuredClone(list);
    },
    matching: async () => structuredClone(matching),
    async saveMatching(settings) {
      if (settings.version !== matching.version + 1) throw new SettingsChangedError('The settings changed meanwhile.');
      matching = structuredClone(settings);
    },
  };
  return repository;
};
