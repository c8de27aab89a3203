/**
 * Escalations in DynamoDB: the escalation item, its listing copies, its comments and its events
 * (the outbox) are written in one transaction, so a reader never sees a listing that disagrees
 * with the escalation, and no state change is without its events.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { outboxContextOf, outboxPut } from '../../../shared/dynamo/outbox';
import { indexPage, queryAll } from '../../../shared/dynamo/pages';
import { type Item, type RepositoryOptions, recordOf } from '../../../shared/dynamo/table';
import { type TransactItem, TransactionCancelledError, transactWrite } from '../../../shared/dynamo/transactions';
import { applyOnce } from '../../../shared/events/idempotent-consumer';
import type { Page } from '../../../shared/pagination';
import { ConcurrentEscalationChangeError } from '../domain/escalations/errors';
import type { EscalationChange } from '../domain/escalations/lifecycle';
import type { Escalation, EscalationComment } from '../domain/escalations/model';
import type { EscalationRepository, WriteContext } from '../domain/ports';
import {
  commentKey,
  commentPrefix,
  escalationCopyKey,
  escalationKey,
  queueIndexKey,
  queuePartition,
  reporterIndexKey,
  reporterPartition,
  SLA_PARTITION,
  STATUS_PARTITION,
  slaIndexKey,
  statusIndexKey,
} from './keys';

const escalationOf = (item: Item): Escalation => recordOf<Escalation>(item);

const pageOf = (page: { items: Item[]; nextCursor?: string }): Page<Escalation> => ({
  items: page.items.map(escalationOf),
  ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
});

export const createDynamoEscalationRepository = (options: RepositoryOptions): EscalationRepository => {
  const { db, tableName } = options;

  /** The escalation item and its listing copies, each the whole record under its own index key. */
  const itemsOf = (escalation: Escalation): Item[] => {
    const { escalationId: id, createdAt, status, slaState } = escalation;
    return [
      { ...escalationKey(id), ...queueIndexKey(escalation.departmentId, status, createdAt, id), ...escalation },
      ...(escalation.reporterId
        ? [
            {
              ...escalationCopyKey(id, 'REPORTER'),
              ...reporterIndexKey(escalation.reporterId, createdAt, id),
              ...escalation,
            },
          ]
        : []),
      { ...escalationCopyKey(id, 'STATUS'), ...statusIndexKey(status, slaState, createdAt, id), ...escalation },
      { ...escalationCopyKey(id, 'SLA'), ...slaIndexKey(slaState, createdAt, id), ...escalation },
    ];
  };

  const commentPut = (comment: EscalationComment): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: { ...commentKey(comment.escalationId, comment.createdAt, comment.commentId), ...comment },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });

  const writeItems = (change: EscalationChange, context: WriteContext, condition: TransactItem['Put']) => {
    const [main, ...copies] = itemsOf(change.escalation);
    const outbox = outboxContextOf(options, context.correlationId);
    return [
      { Put: { ...condition, TableName: tableName, Item: main as Item } },
      ...copies.map((item): TransactItem => ({ Put: { TableName: tableName, Item: item } })),
      ...(change.comment ? [commentPut(change.comment)] : []),
      ...change.events.map((event) => outboxPut(event, outbox)),
    ];
  };

  return {
    async get(escalationId) {
      const found = await db.send(
        new GetCommand({ TableName: tableName, Key: escalationKey(escalationId), ConsistentRead: true }),
      );
      return found.Item ? escalationOf(found.Item) : undefined;
    },

    async comments(escalationId) {
      const items = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': escalationKey(escalationId).pk, ':prefix': commentPrefix },
        ConsistentRead: true,
      });
      return items.map((item) => recordOf<EscalationComment>(item));
    },

    async create(change, context) {
      const items = writeItems(change, context, {
        TableName: tableName,
        Item: {},
        ConditionExpression: 'attribute_not_exists(pk)',
      });
      try {
        if (context.consumedEvent) {
          return (await applyOnce(
            { db, tableName, consumer: context.consumedEvent.consumer, clock: options.clock },
            context.consumedEvent.eventId,
            items,
          )) === 'applied'
            ? 'created'
            : 'duplicate';
        }
        await transactWrite(db, items);
        return 'created';
      } catch (error) {
        // The id is taken: the escalation of this source event exists (its marker may have expired).
        if (error instanceof TransactionCancelledError && error.conditionFailedAt(0)) {
          if (context.consumedEvent) {
            await applyOnce(
              { db, tableName, consumer: context.consumedEvent.consumer, clock: options.clock },
              context.consumedEvent.eventId,
              [],
            );
          }
          return 'exists';
        }
        throw error;
      }
    },

    async update(change, context) {
      const items = writeItems(change, context, {
        TableName: tableName,
        Item: {},
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': change.escalation.version - 1 },
      });
      try {
        await transactWrite(db, items);
      } catch (error) {
        if (error instanceof TransactionCancelledError && error.conditionFailedAt(0)) {
          throw new ConcurrentEscalationChangeError(change.escalation.escalationId);
        }
        throw error;
      }
    },

    async listByDepartment({ departmentId, status, limit, cursor }) {
      return pageOf(
        await indexPage(db, {
          tableName,
          partition: queuePartition(departmentId),
          prefix: status ? `${status}#` : undefined,
          limit,
          cursor,
        }),
      );
    },

    async listByReporter({ reporterId, limit, cursor }) {
      return pageOf(await indexPage(db, { tableName, partition: reporterPartition(reporterId), limit, cursor }));
    },

    async list({ status, slaState, limit, cursor }) {
      // By status (then SLA state) when a status is asked for or nothing is; by SLA state alone otherwise.
      if (status || !slaState) {
        const prefix = status ? (slaState ? `${status}#${slaState}#` : `${status}#`) : undefined;
        return pageOf(await indexPage(db, { tableName, partition: STATUS_PARTITION, prefix, limit, cursor }));
      }
      return pageOf(
        await indexPage(db, { tableName, partition: SLA_PARTITION, prefix: `${slaState}#`, limit, cursor }),
      );
    },
  };
};
