/** The outbox, the part adapters use: the Put that records an event in the state change's transaction. */
import { type EventOrigin, outboxRecordOf, outboxRecordsOf, type PendingEvent } from '../events/outbox';
import type { RepositoryOptions } from './table';
import type { TransactItem } from './transactions';

export interface OutboxContext extends EventOrigin {
  tableName: string;
}

export const outboxPut = (event: PendingEvent, context: OutboxContext): TransactItem => ({
  Put: { TableName: context.tableName, Item: outboxRecordOf(event, context) },
});

/**
 * The Puts that record several events of one state change in as few items as fit (see
 * outboxRecordsOf): for bulk transactions, where every item counts against the 100-item limit.
 */
export const outboxPuts = (events: readonly PendingEvent[], context: OutboxContext): TransactItem[] =>
  outboxRecordsOf(events, context).map((item) => ({ Put: { TableName: context.tableName, Item: item } }));

/** The outbox context of a write made for a request or event with this correlation id. */
export const outboxContextOf = (options: RepositoryOptions, correlationId: string): OutboxContext => ({
  tableName: options.tableName,
  service: options.service,
  correlationId,
  clock: options.clock,
  newId: options.newId,
});
