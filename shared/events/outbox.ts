/**
 * The outbox, the part the domain uses: an event a state change implies, and the record the
 * relay turns into one PutEvents entry. Pure: the DynamoDB write is shared/dynamo/outbox.ts.
 */

import type { Clock, IdGenerator } from '../ports';
import type * as z from '../zod';
import { detailSchemaOf, type EventContract, type EventDetail } from './envelope';

/** Outbox records live this long; the relay reads them from the stream within seconds. */
const OUTBOX_RETENTION_SECONDS = 7 * 24 * 3600;

export const OUTBOX_KEY_PREFIX = 'OUTBOX#';

/** The item the outbox relay turns into one PutEvents entry. */
export interface OutboxRecord {
  pk: string;
  sk: string;
  source: string;
  detailType: string;
  /** The JSON `detail`: `{ metadata, data }`. */
  detail: string;
  expiresAt: number;
}

/** One event of an outbox batch record, as PutEvents takes it. */
export interface OutboxEntry {
  source: string;
  detailType: string;
  detail: string;
}

/**
 * Several events of one state change in one item (a bulk write: a roster import's batch), which
 * the relay publishes in their order. Each keeps its own `metadata.id`, so a record published
 * again after a partial failure is deduplicated by consumers like any redelivery.
 */
export interface OutboxBatchRecord {
  pk: string;
  sk: string;
  /** JSON array of OutboxEntry, in the order they are to be published. */
  entries: string;
  expiresAt: number;
}

/**
 * An outbox batch record stays well below DynamoDB's 400 KB item limit: a larger set of events
 * is split into several records.
 */
export const OUTBOX_BATCH_MAX_BYTES = 300 * 1024;

export interface PendingEvent<TContract extends EventContract = EventContract> {
  contract: TContract;
  data: z.infer<TContract['data']>;
}

/** Pairs a contract with its data, type-checked against that contract. */
export const pendingEvent = <TContract extends EventContract>(
  contract: TContract,
  data: z.infer<TContract['data']>,
): PendingEvent<TContract> => ({ contract, data });

export interface EventOrigin {
  service: string;
  correlationId: string;
  clock: Clock;
  newId: IdGenerator;
}

/**
 * The outbox record of an event. The event is validated against its contract here, so a
 * producer cannot publish what its consumers would reject.
 */
export const outboxRecordOf = (event: PendingEvent, origin: EventOrigin): OutboxRecord => {
  const now = origin.clock();
  const detail: EventDetail<EventContract> = {
    metadata: {
      id: origin.newId(),
      version: event.contract.version,
      occurredAt: now.toISOString(),
      correlationId: origin.correlationId,
      service: origin.service,
    },
    data: event.data,
  };
  detailSchemaOf(event.contract).parse(detail);
  return {
    pk: `${OUTBOX_KEY_PREFIX}${detail.metadata.id}`,
    sk: 'EVENT',
    source: event.contract.source,
    detailType: event.contract.detailType,
    detail: JSON.stringify(detail),
    expiresAt: Math.floor(now.getTime() / 1000) + OUTBOX_RETENTION_SECONDS,
  };
};

/** Indexes of items grouped in order, a new group whenever the next would pass `maxBytes` (next fit). */
const groupsBySize = (sizes: readonly number[], maxBytes: number): number[][] => {
  const groups: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  sizes.forEach((size, index) => {
    if (current.length > 0 && bytes + size > maxBytes) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  });
  if (current.length > 0) groups.push(current);
  return groups;
};

const recordBytes = (record: OutboxRecord) =>
  Buffer.byteLength(record.detail) + record.source.length + record.detailType.length + 64;

/**
 * An upper bound on the bytes an event takes in an outbox record: its data, plus room for its
 * metadata (ids, clock, correlation id, names). For callers that must know how many items their
 * events will take before the records are made.
 */
export const outboxBytesBound = (event: PendingEvent): number => Buffer.byteLength(JSON.stringify(event.data)) + 2048;

/**
 * How many items outboxRecordsOf makes of events of (at most) these sizes: next fit never
 * needs more groups when items shrink, so a count from outboxBytesBound is an upper bound.
 */
export const outboxItemCount = (sizes: readonly number[]): number => groupsBySize(sizes, OUTBOX_BATCH_MAX_BYTES).length;

/**
 * The outbox records of several events written together: as few batch records as fit under
 * OUTBOX_BATCH_MAX_BYTES, events in their order (a group of one stays a plain OutboxRecord).
 * One item instead of one per event keeps a bulk transaction small.
 */
export const outboxRecordsOf = (
  events: readonly PendingEvent[],
  origin: EventOrigin,
): (OutboxRecord | OutboxBatchRecord)[] => {
  const singles = events.map((event) => outboxRecordOf(event, origin));
  return groupsBySize(singles.map(recordBytes), OUTBOX_BATCH_MAX_BYTES).map((indexes) => {
    const group = indexes.map((index) => singles[index] as OutboxRecord);
    const [first] = group;
    if (!first) throw new Error('An empty outbox group');
    if (group.length === 1) return first;
    const entries: OutboxEntry[] = group.map(({ source, detailType, detail }) => ({ source, detailType, detail }));
    // Keyed by its first event's id: unique, and an OUTBOX# item like any other for the stream filter.
    return { pk: first.pk, sk: 'EVENTS', entries: JSON.stringify(entries), expiresAt: first.expiresAt };
  });
};

/** The entries an outbox item holds, in order: one for a plain record, several for a batch record. */
export const outboxEntriesOf = (item: Partial<OutboxRecord & OutboxBatchRecord>): OutboxEntry[] => {
  if (typeof item.entries === 'string') return JSON.parse(item.entries) as OutboxEntry[];
  if (typeof item.source === 'string' && typeof item.detailType === 'string' && typeof item.detail === 'string') {
    return [{ source: item.source, detailType: item.detailType, detail: item.detail }];
  }
  return [];
};
