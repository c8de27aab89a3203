import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCancelledError } from '../../../shared/dynamo/transactions';
import type { OutboxContext } from '../../../shared/events/outbox';
import type { Clock, IdGenerator } from '../../../shared/ports';
import { keyAttributes } from './keys';

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

/** The stored item without its table and index keys (and TTL): the record itself. */
export const recordOf = <T>(item: Item): T => {
  const copy = { ...item };
  for (const key of [...keyAttributes, 'expiresAt']) delete copy[key];
  return copy as T;
};

/** Every page of a query (matching runs read whole index partitions; everything else pages itself). */
export const queryAll = async (db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> => {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
};

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** BatchGetItem in groups of 100, retrying unprocessed keys; `consistent` for checks before a write. */
export const batchGet = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  consistent: boolean,
): Promise<Item[]> => {
  const unique = [...new Map(keys.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
  const found: Item[] = [];
  await Promise.all(
    chunks(unique, 100).map(async (group) => {
      let pending: Item[] = group;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await pause(Math.min(1000, 25 * 2 ** attempt));
        const response = await db.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistent } } }),
        );
        found.push(...(response.Responses?.[tableName] ?? []));
        pending = response.UnprocessedKeys?.[tableName]?.Keys ?? [];
      }
    }),
  );
  return found;
};

/** BatchWriteItem puts in groups of 25, retrying unprocessed items (for items no transaction needs to guard). */
export const batchPut = async (db: DynamoDBDocumentClient, tableName: string, items: readonly Item[]) => {
  for (const group of chunks(items, 25)) {
    let pending = group.map((item) => ({ PutRequest: { Item: item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await pause(Math.min(1000, 25 * 2 ** attempt));
      const response = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (response.UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
  }
};

/**
 * Transactions touching the same item at the same moment are cancelled with
 * `TransactionConflict` (not a condition failure): retried here with jittered backoff.
 */
export const retryTransactionConflicts = async <T>(write: () => Promise<T>, attempts = 8): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const conflict =
        error instanceof TransactionCancelledError && error.reasons.some((reason) => reason === 'TransactionConflict');
      if (!conflict || attempt >= attempts) throw error;
      await pause(10 * 2 ** Math.min(attempt, 6) * (0.5 + Math.random()));
    }
  }
};

/** Opaque cursors over an index partition, checked when they come back. */
export const encodeCursor = (key: Item): string => Buffer.from(JSON.stringify(key)).toString('base64url');

/**
 * The index position a cursor names, if it is one this listing issued: same partition, and
 * inside the listing's sort-key prefix (a cursor from another domain's listing would make
 * DynamoDB refuse the query).
 */
export const decodeCursor = (
  cursor: string,
  partition: string,
  prefix: string | undefined,
  invalid: () => Error,
): Item => {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const valid =
      typeof key === 'object' &&
      key !== null &&
      Object.keys(key).sort().join(',') === 'gsi1pk,gsi1sk,pk,sk' &&
      Object.values(key).every((value) => typeof value === 'string') &&
      (key as Record<string, string>).gsi1pk === partition &&
      (!prefix || String((key as Record<string, string>).gsi1sk).startsWith(prefix));
    if (!valid) throw invalid();
    return key as Item;
  } catch {
    throw invalid();
  }
};

/**
 * One page of an index partition (optionally a sort-key prefix of it). It asks for one item
 * more than the page, so a cursor is given only when another item really follows.
 */
export const indexPage = async (
  db: DynamoDBDocumentClient,
  query: {
    tableName: string;
    partition: string;
    prefix?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
  invalidCursor: () => Error,
): Promise<{ items: Item[]; nextCursor?: string }> => {
  const { tableName, partition, prefix, limit, cursor } = query;
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: prefix ? 'gsi1pk = :partition AND begins_with(gsi1sk, :prefix)' : 'gsi1pk = :partition',
      ExpressionAttributeValues: { ':partition': partition, ...(prefix ? { ':prefix': prefix } : {}) },
      Limit: limit + 1,
      ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, partition, prefix, invalidCursor) } : {}),
    }),
  );
  const found = result.Items ?? [];
  const items = found.slice(0, limit);
  const last = items.at(-1);
  // Otherwise a LastEvaluatedKey means DynamoDB stopped at its 1 MB page before `limit`.
  const next =
    found.length > limit && last
      ? Object.fromEntries(keyAttributes.map((name) => [name, last[name]]))
      : result.LastEvaluatedKey;
  return { items, ...(next ? { nextCursor: encodeCursor(next) } : {}) };
};

/** What every repository of this table is built from. */
export interface RepositoryOptions {
  db: DynamoDBDocumentClient;
  tableName: string;
  service: string;
  clock: Clock;
  newId: IdGenerator;
}

/** The outbox context of a write made for a request or event with this correlation id. */
export const outboxContextOf = (options: RepositoryOptions, correlationId: string): OutboxContext => ({
  tableName: options.tableName,
  service: options.service,
  correlationId,
  clock: options.clock,
  newId: options.newId,
});
