import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  MAX_TRANSACTION_ITEMS,
  type TransactItem,
  TransactionCancelledError,
  transactWrite,
} from '../dynamo/transactions';
import type { Clock } from '../ports';

/** How long a consumer remembers an event id; longer than any retry or replay window we use. */
const MARKER_RETENTION_SECONDS = 35 * 24 * 3600;

export interface ConsumerContext {
  db: DynamoDBDocumentClient;
  tableName: string;
  /** Names the effect: one consumer may apply an event once, another consumer again. */
  consumer: string;
  clock: Clock;
}

const markerKey = (consumer: string, eventId: string) => ({ pk: `CONSUMED#${consumer}#${eventId}`, sk: 'MARKER' });

export const alreadyConsumed = async (context: ConsumerContext, eventId: string): Promise<boolean> => {
  const found = await context.db.send(
    new GetCommand({ TableName: context.tableName, Key: markerKey(context.consumer, eventId), ConsistentRead: true }),
  );
  return found.Item !== undefined;
};

/**
 * Applies an event's effects exactly once, keyed by the event's id: the effects and a
 * marker for the id are written in one transaction whose marker Put fails if the id was
 * seen. A redelivered event therefore changes nothing, even if two deliveries race.
 * Any other failure is rethrown, so the bus retries and, in the end, dead-letters it.
 */
export const applyOnce = async (
  context: ConsumerContext,
  eventId: string,
  effects: readonly TransactItem[],
): Promise<'applied' | 'duplicate'> => {
  if (effects.length + 1 > MAX_TRANSACTION_ITEMS) {
    throw new Error(`An event's effects must fit one transaction; got ${effects.length} items`);
  }
  const marker: TransactItem = {
    Put: {
      TableName: context.tableName,
      Item: {
        ...markerKey(context.consumer, eventId),
        consumedAt: context.clock().toISOString(),
        expiresAt: Math.floor(context.clock().getTime() / 1000) + MARKER_RETENTION_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  try {
    await transactWrite(context.db, [...effects, marker]);
    return 'applied';
  } catch (error) {
    if (error instanceof TransactionCancelledError && error.conditionFailedAt(effects.length)) return 'duplicate';
    throw error;
  }
};
