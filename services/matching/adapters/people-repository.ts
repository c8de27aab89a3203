import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../../../shared/dynamo/batch';
import { outboxContextOf, outboxPut } from '../../../shared/dynamo/outbox';
import { indexPage } from '../../../shared/dynamo/pages';
import { type RepositoryOptions, recordOf } from '../../../shared/dynamo/table';
import { type TransactItem, TransactionCancelledError, transactWrite } from '../../../shared/dynamo/transactions';
import { applyOnce } from '../../../shared/events/idempotent-consumer';
import type { PeoplePage, PeopleRepository, PersonWrite, WriteContext } from '../domain/people/directory';
import { ConcurrentModificationError } from '../domain/people/errors';
import { type Person, PersonSchema } from '../domain/people/person';
import { DIRECTORY_PARTITION, directoryDomainPrefix, directoryIndexKey, personKey } from './keys';

const personFromItem = (item: Record<string, unknown>): Person => PersonSchema.parse(recordOf(item));

export const createDynamoPeopleRepository = (options: RepositoryOptions): PeopleRepository => {
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
      const page = await indexPage(db, {
        tableName,
        partition: DIRECTORY_PARTITION,
        prefix: domain ? directoryDomainPrefix(domain) : undefined,
        limit,
        cursor,
      });
      return { items: page.items.map(personFromItem), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },

    async versionsOf(personIds) {
      const items = await batchGet(db, tableName, personIds.map(personKey), true);
      return new Map(items.map((item) => [String(item.personId), Number(item.version)]));
    },

    async write(write: PersonWrite | null, context: WriteContext) {
      const outboxContext = outboxContextOf(options, context.correlationId);
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
