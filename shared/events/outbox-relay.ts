import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { OUTBOX_KEY_PREFIX, type OutboxBatchRecord, type OutboxRecord, outboxEntriesOf } from './outbox';
import type { BusEntry, FailedEntry } from './publisher';

export type Publish = (entries: readonly BusEntry[]) => Promise<FailedEntry[]>;

const outboxItemOf = (record: DynamoDBRecord): Partial<OutboxRecord & OutboxBatchRecord> | undefined => {
  if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return undefined;
  const item = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>) as Partial<
    OutboxRecord & OutboxBatchRecord
  >;
  if (typeof item.pk !== 'string' || !item.pk.startsWith(OUTBOX_KEY_PREFIX)) return undefined;
  return item;
};

/**
 * Stream batch -> PutEvents. Records that are not new outbox items are skipped (the event
 * source filter already drops them; this is the same rule, kept here so the relay is
 * correct on its own). A batch record's events are published in their order. Entries that
 * still fail after the publisher's retries are reported as batch item failures (the record
 * holding them), so Lambda retries from there and nothing is lost; the events of that record
 * that did go out go out again, and consumers apply each event id once.
 */
export const relayOutbox = async (event: DynamoDBStreamEvent, publish: Publish): Promise<DynamoDBBatchResponse> => {
  const relayed: { sequenceNumber: string; entry: BusEntry }[] = [];
  for (const record of event.Records) {
    const outbox = outboxItemOf(record);
    if (!outbox) continue;
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    for (const entry of outboxEntriesOf(outbox)) relayed.push({ sequenceNumber, entry });
  }
  if (relayed.length === 0) return { batchItemFailures: [] };
  const failed = await publish(relayed.map((item) => item.entry));
  const failedRecords = [...new Set(failed.map((failure) => relayed[failure.index]?.sequenceNumber ?? ''))];
  return { batchItemFailures: failedRecords.map((itemIdentifier) => ({ itemIdentifier })) };
};
