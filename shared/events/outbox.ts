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
