import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { relayOutbox } from './outbox-relay';
import type { BusEntry, FailedEntry } from './publisher';

const streamRecord = (sequence: string, image: Record<string, unknown>, eventName: 'INSERT' | 'MODIFY' = 'INSERT') =>
  ({
    eventName,
    dynamodb: { SequenceNumber: sequence, NewImage: marshall(image) as never },
  }) as DynamoDBRecord;

const outboxImage = (id: string) => ({
  pk: `OUTBOX#${id}`,
  sk: 'EVENT',
  source: 'mentoring.matching',
  detailType: 'Person.Registered',
  detail: JSON.stringify({ metadata: { id }, data: {} }),
  expiresAt: 1,
});

const batchImage = (ids: string[]) => ({
  pk: `OUTBOX#${ids[0]}`,
  sk: 'EVENTS',
  entries: JSON.stringify(
    ids.map((id) => ({
      source: 'mentoring.matching',
      detailType: 'Person.Registered',
      detail: JSON.stringify({ metadata: { id }, data: {} }),
    })),
  ),
  expiresAt: 1,
});

describe('relayOutbox', () => {
  const batch: DynamoDBStreamEvent = {
    Records: [
      streamRecord('100', outboxImage('a')),
      streamRecord('101', { pk: 'PERSON#x', sk: 'PROFILE' }),
      streamRecord('102', outboxImage('b'), 'MODIFY'),
      streamRecord('103', outboxImage('c')),
    ],
  };

  it('publishes only new outbox records, in stream order', async () => {
    const published: BusEntry[] = [];
    const result = await relayOutbox(batch, async (entries) => {
      published.push(...entries);
      return [];
    });
    expect(published.map((entry) => JSON.parse(entry.detail).metadata.id)).toEqual(['a', 'c']);
    expect(published[0]).toMatchObject({ source: 'mentoring.matching', detailType: 'Person.Registered' });
    expect(result.batchItemFailures).toEqual([]);
  });

  it('reports the records whose entries could not be published, so Lambda retries them', async () => {
    const result = await relayOutbox(
      batch,
      async (): Promise<FailedEntry[]> => [{ index: 1, errorCode: 'InternalFailure', errorMessage: 'try again' }],
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '103' }]);
  });

  const withBatch: DynamoDBStreamEvent = {
    Records: [
      streamRecord('200', outboxImage('a')),
      streamRecord('201', batchImage(['b1', 'b2', 'b3'])),
      streamRecord('202', outboxImage('c')),
    ],
  };

  it('publishes the events of a batch record in their order, between the records around it', async () => {
    const published: BusEntry[] = [];
    const result = await relayOutbox(withBatch, async (entries) => {
      published.push(...entries);
      return [];
    });
    expect(published.map((entry) => JSON.parse(entry.detail).metadata.id)).toEqual(['a', 'b1', 'b2', 'b3', 'c']);
    expect(result.batchItemFailures).toEqual([]);
  });

  it('reports a batch record once when any of its events could not be published (all of it is retried)', async () => {
    const result = await relayOutbox(
      withBatch,
      async (): Promise<FailedEntry[]> => [
        { index: 2, errorCode: 'InternalFailure', errorMessage: 'try again' },
        { index: 3, errorCode: 'InternalFailure', errorMessage: 'try again' },
      ],
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '201' }]);
  });
});
