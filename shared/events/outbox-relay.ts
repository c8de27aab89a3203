import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { OUTBOX_KEY_PREFIX, type OutboxRecord } from './outbox';
import type { BusEntry, FailedEntry } from './publisher';

export type Publish = (entries: readonly BusEntry[]) => Promise<FailedEntry[]>;

const outboxRecordOf = (record: DynamoDBRecord): OutboxRecord | undefined => {
  if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return undefined;
  const item = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>) as Partial<OutboxRecord>;
  if (typeof item.pk !== 'string' || !item.pk.startsWith(OUTBOX_KEY_PREFIX)) return undefined;
  return item as OutboxRecord;
};

/**
 * Stream batch -> PutEvents. Records that are not new outbox items are skipped (the event
 * source filter already drops them; this is the same rule, kept here so the relay is
 * correct on its own). Entries that still fail after the publisher's retries are reported
 * as batch item failures, so Lambda retries from there and nothing is lost.
 */
export const relayOutbox = async (event: DynamoDBStreamEvent, publish: Publish): Promise<DynamoDBBatchResponse> => {
  const relayed: { sequenceNumber: string; entry: BusEntry }[] = [];
  for (const record of event.Records) {
    const outbox = outboxRecordOf(record);
    if (!outbox) continue;
    relayed.push({
      sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
      entry: { source: outbox.source, detailType: outbox.detailType, detail: outbox.detail },
    });
  }
  if (relayed.length === 0) return { batchItemFailures: [] };
  const failed = await publish(relayed.map((item) => item.entry));
  return {
    batchItemFailures: failed.map((failure) => ({
      itemIdentifier: relayed[failure.index]?.sequenceNumber ?? '',
    })),
  };
};
