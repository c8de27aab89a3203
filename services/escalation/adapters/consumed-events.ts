/** Consumed-event markers in the service's table (shared/events/idempotent-consumer.ts). */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { alreadyConsumed, applyOnce } from '../../../shared/events/idempotent-consumer';
import type { Clock } from '../../../shared/ports';
import type { ConsumedEvents } from '../domain/ports';

export const createDynamoConsumedEvents = (options: {
  db: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
}): ConsumedEvents => ({
  has: (consumer, eventId) => alreadyConsumed({ ...options, consumer }, eventId),
  async mark(consumer, eventId) {
    await applyOnce({ ...options, consumer }, eventId, []);
  },
});
