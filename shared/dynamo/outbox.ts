/** The outbox, the part adapters use: the Put that records an event in the state change's transaction. */
import { type EventOrigin, outboxRecordOf, type PendingEvent } from '../events/outbox';
import type { RepositoryOptions } from './table';
import type { TransactItem } from './transactions';

export interface OutboxContext extends EventOrigin {
  tableName: string;
}

export const outboxPut = (event: PendingEvent, context: OutboxContext): TransactItem => ({
  Put: { TableName: context.tableName, Item: outboxRecordOf(event, context) },
});

/** The outbox context of a write made for a request or event with this correlation id. */
export const outboxContextOf = (options: RepositoryOptions, correlationId: string): OutboxContext => ({
  tableName: options.tableName,
  service: options.service,
  correlationId,
  clock: options.clock,
  newId: options.newId,
});
