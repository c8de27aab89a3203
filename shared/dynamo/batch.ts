import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chunksOf } from '../concurrency';
import { type RetryOptions, retryRemaining } from '../retry';
import type { Item } from './table';

type Key = { pk: string; sk: string };

/** DynamoDB's limits per BatchGetItem and per BatchWriteItem call. */
const BATCH_GET_KEYS = 100;
const BATCH_WRITE_ITEMS = 25;

/** Unprocessed keys and items are sent again with backoff; DynamoDB returns them when throttled. */
const UNPROCESSED_RETRY = { attempts: 10, backoff: { baseMs: 25, maxMs: 1000, jitter: true } };

export class UnprocessedItemsError extends Error {
  override readonly name = 'UnprocessedItemsError';
  constructor(operation: string, count: number) {
    super(`${operation}: ${count} items were still unprocessed after ${UNPROCESSED_RETRY.attempts} attempts`);
  }
}

export type BatchOptions = Pick<RetryOptions, 'sleep'>;

/** BatchGetItem in groups of 100, retrying unprocessed keys; `consistent` for checks before a write. */
export const batchGet = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  consistent: boolean,
  options: BatchOptions = {},
): Promise<Item[]> => {
  const unique = [...new Map(keys.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
  const found: Item[] = [];
  await Promise.all(
    chunksOf(unique, BATCH_GET_KEYS).map(async (group) => {
      const left = await retryRemaining(
        group as Item[],
        async (pending) => {
          const response = await db.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [...pending], ConsistentRead: consistent } } }),
          );
          found.push(...(response.Responses?.[tableName] ?? []));
          return response.UnprocessedKeys?.[tableName]?.Keys ?? [];
        },
        { ...UNPROCESSED_RETRY, ...options },
      );
      if (left.length > 0) throw new UnprocessedItemsError('BatchGetItem', left.length);
    }),
  );
  return found;
};

/** BatchWriteItem puts in groups of 25, retrying unprocessed items (for items no transaction needs to guard). */
export const batchPut = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Item[],
  options: BatchOptions = {},
): Promise<void> => {
  for (const group of chunksOf(items, BATCH_WRITE_ITEMS)) {
    const left = await retryRemaining(
      group.map((item) => ({ PutRequest: { Item: item } })),
      async (pending) => {
        const response = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: [...pending] } }));
        return (response.UnprocessedItems?.[tableName] ?? []) as { PutRequest: { Item: Item } }[];
      },
      { ...UNPROCESSED_RETRY, ...options },
    );
    if (left.length > 0) throw new UnprocessedItemsError('BatchWriteItem', left.length);
  }
};

/** BatchWriteItem deletes in groups of 25, retrying unprocessed keys (deleting what is not there is fine). */
export const batchDelete = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  options: BatchOptions = {},
): Promise<void> => {
  const unique = [...new Map(keys.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
  for (const group of chunksOf(unique, BATCH_WRITE_ITEMS)) {
    const left = await retryRemaining(
      group.map((key) => ({ DeleteRequest: { Key: key } })),
      async (pending) => {
        const response = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: [...pending] } }));
        return (response.UnprocessedItems?.[tableName] ?? []) as { DeleteRequest: { Key: Key } }[];
      },
      { ...UNPROCESSED_RETRY, ...options },
    );
    if (left.length > 0) throw new UnprocessedItemsError('BatchWriteItem', left.length);
  }
};
