/**
 * Reading an index partition a page at a time, with opaque cursors. A cursor is checked in full
 * when it comes back (the index's key attributes and nothing else, the listing's partition and
 * sort-key prefix, key lengths DynamoDB accepts), so a forged one is a 400, never a 500.
 */
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { standardTable } from '../declaration';
import { InvalidCursorError } from '../pagination';
import { type Item, keyAttributes } from './table';

/** Every page of a query (for reads that need a whole partition; listings page themselves). */
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

export const encodeCursor = (key: Item): string => Buffer.from(JSON.stringify(key)).toString('base64url');

/** DynamoDB's limits on key values: 2048 bytes for a partition key, 1024 for a sort key. */
const MAX_KEY_BYTES = { partition: 2048, sort: 1024 };

const isKeyValue = (value: unknown, maxBytes: number): value is string =>
  typeof value === 'string' && value.length > 0 && Buffer.byteLength(value) <= maxBytes;

/**
 * The index position a cursor names, if it is one this listing could have issued: exactly the
 * table's and index's key attributes, every one a non-empty string DynamoDB accepts, in the
 * listing's partition and inside its sort-key prefix.
 */
export const decodeCursor = (cursor: string, listing: { partition: string; prefix?: string | undefined }): Item => {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new InvalidCursorError();
  const fields = key as Record<string, unknown>;
  const valid =
    Object.keys(fields).sort().join(',') === [...keyAttributes].sort().join(',') &&
    isKeyValue(fields.pk, MAX_KEY_BYTES.partition) &&
    isKeyValue(fields.sk, MAX_KEY_BYTES.sort) &&
    isKeyValue(fields.gsi1pk, MAX_KEY_BYTES.partition) &&
    isKeyValue(fields.gsi1sk, MAX_KEY_BYTES.sort) &&
    fields.gsi1pk === listing.partition &&
    (!listing.prefix || fields.gsi1sk.startsWith(listing.prefix));
  if (!valid) throw new InvalidCursorError();
  return fields;
};

export interface IndexPageQuery {
  tableName: string;
  partition: string;
  /** Only sort keys that begin with this (a domain, say). */
  prefix?: string | undefined;
  limit: number;
  cursor?: string | undefined;
  /** Newest (largest sort key) first. */
  descending?: boolean;
}

/**
 * One page of an index partition (optionally a sort-key prefix of it). It asks for one item
 * more than the page, so a cursor is given only when another item really follows.
 */
export const indexPage = async (
  db: DynamoDBDocumentClient,
  query: IndexPageQuery,
): Promise<{ items: Item[]; nextCursor?: string }> => {
  const { tableName, partition, prefix, limit, cursor } = query;
  const [index] = standardTable.globalIndexes;
  if (!index) throw new Error('The standard table has no index');
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression: prefix
        ? `${index.partitionKey} = :partition AND begins_with(${index.sortKey}, :prefix)`
        : `${index.partitionKey} = :partition`,
      ExpressionAttributeValues: { ':partition': partition, ...(prefix ? { ':prefix': prefix } : {}) },
      Limit: limit + 1,
      ...(query.descending ? { ScanIndexForward: false } : {}),
      ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, { partition, prefix }) } : {}),
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
