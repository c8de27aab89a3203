import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type TransactItem, TransactionCancelledError, transactWrite } from '../../../shared/dynamo/transactions';
import { applyOnce } from '../../../shared/events/idempotent-consumer';
import { outboxPut } from '../../../shared/events/outbox';
import type { Clock, IdGenerator } from '../../../shared/ports';
import { ConcurrentModificationError, InvalidCursorError } from '../domain/errors';
import type { PeoplePage, PeopleRepository, PersonWrite, WriteContext } from '../domain/people-directory';
import { type Person, PersonSchema } from '../domain/person';
import { DIRECTORY_PARTITION, directoryDomainPrefix, directoryIndexKey, keyAttributes, personKey } from './keys';

export interface DynamoPeopleRepositoryOptions {
  db: DynamoDBDocumentClient;
  tableName: string;
  service: string;
  clock: Clock;
  newId: IdGenerator;
}

const withoutKeys = (item: Record<string, unknown>): Record<string, unknown> => {
  const copy = { ...item };
  for (const key of keyAttributes) delete copy[key];
  return copy;
};

const personFromItem = (item: Record<string, unknown>): Person => PersonSchema.parse(withoutKeys(item));

/** Cursors are the index position, opaque to clients and checked when they come back. */
const encodeCursor = (key: Record<string, unknown>): string => Buffer.from(JSON.stringify(key)).toString('base64url');
const decodeCursor = (cursor: string, domain: string | undefined): Record<string, unknown> => {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const valid =
      typeof key === 'object' &&
      key !== null &&
      Object.keys(key).sort().join(',') === 'gsi1pk,gsi1sk,pk,sk' &&
      Object.values(key).every((value) => typeof value === 'string') &&
      (key as Record<string, string>).gsi1pk === DIRECTORY_PARTITION &&
      // A cursor from another domain's listing is outside this query: DynamoDB would refuse it.
      (!domain || String((key as Record<string, string>).gsi1sk).startsWith(directoryDomainPrefix(domain)));
    if (!valid) throw new InvalidCursorError();
    return key as Record<string, unknown>;
  } catch {
    throw new InvalidCursorError();
  }
};

/** Where a listing stands after an item: the index key of that item. */
const indexPositionOf = (item: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(keyAttributes.map((name) => [name, item[name]]));

export const createDynamoPeopleRepository = (options: DynamoPeopleRepositoryOptions): PeopleRepository => {
  const { db, tableName } = options;

  const personPut = (write: PersonWrite): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: {
        ...personKey(write.person.personId),
        ...directoryIndexKey(write.person.domain, write.person.personId),
        ...write.person,
      },
      ...(write.expectedVersion === null
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': write.expectedVersion },
          }),
    },
  });

  return {
    async get(personId) {
      const found = await db.send(
        new GetCommand({ TableName: tableName, Key: personKey(personId), ConsistentRead: true }),
      );
      return found.Item ? personFromItem(found.Item) : undefined;
    },

    async list({ limit, cursor, domain }): Promise<PeoplePage> {
      const result = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: domain
            ? 'gsi1pk = :partition AND begins_with(gsi1sk, :prefix)'
            : 'gsi1pk = :partition',
          ExpressionAttributeValues: {
            ':partition': DIRECTORY_PARTITION,
            ...(domain ? { ':prefix': directoryDomainPrefix(domain) } : {}),
          },
          // One more than asked: a cursor is given only when another item really follows, so a
          // client never fetches an empty last page.
          Limit: limit + 1,
          ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, domain) } : {}),
        }),
      );
      const found = result.Items ?? [];
      const items = found.slice(0, limit);
      const last = items.at(-1);
      // Otherwise a LastEvaluatedKey means DynamoDB stopped at its 1 MB page size before `limit`.
      const next = found.length > limit && last ? indexPositionOf(last) : result.LastEvaluatedKey;
      return {
        items: items.map(personFromItem),
        ...(next ? { nextCursor: encodeCursor(next) } : {}),
      };
    },

    async write(write: PersonWrite | null, context: WriteContext) {
      const outboxContext = {
        tableName,
        service: options.service,
        correlationId: context.correlationId,
        clock: options.clock,
        newId: options.newId,
      };
      const items = write ? [personPut(write), ...write.events.map((event) => outboxPut(event, outboxContext))] : [];
      try {
        if (context.consumedEvent) {
          return await applyOnce(
            { db, tableName, consumer: context.consumedEvent.consumer, clock: options.clock },
            context.consumedEvent.eventId,
            items,
          );
        }
        await transactWrite(db, items);
        return 'applied';
      } catch (error) {
        if (write && error instanceof TransactionCancelledError && error.conditionFailedAt(0)) {
          throw new ConcurrentModificationError(write.person.personId);
        }
        throw error;
      }
    },
  };
};
