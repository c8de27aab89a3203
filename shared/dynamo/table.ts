import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { standardTable } from '../declaration';
import type { Clock, IdGenerator } from '../ports';

/** What every repository of a service table is built from. */
export interface RepositoryOptions {
  db: DynamoDBDocumentClient;
  tableName: string;
  /** The service that owns the table (its events' `metadata.service`). */
  service: string;
  clock: Clock;
  newId: IdGenerator;
}

export type Item = Record<string, unknown>;

/** The table and index key attributes of the standard table layout (`standardTable`). */
export const keyAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

/** The stored item without its table and index keys (and TTL): the record itself. */
export const recordOf = <T>(item: Item): T => {
  const copy = { ...item };
  for (const key of [...keyAttributes, standardTable.timeToLiveAttribute]) delete copy[key];
  return copy as T;
};
