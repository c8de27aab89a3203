/**
 * The local event source mapping for `outbox-stream` functions: polls the table's stream
 * (DescribeStream, GetShardIterator, GetRecords, following shards from parent to child),
 * keeps only what the CDK mapping's filter keeps (INSERTs whose NewImage `pk` begins with
 * `OUTBOX#`), invokes the relay with a real `DynamoDBStreamEvent`, honours
 * `batchItemFailures`, retries with backoff, dead-letters an exhausted batch the way the
 * on-failure destination does, and checkpoints each shard in the data folder.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type AttributeValue,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { OUTBOX_KEY_PREFIX } from '../shared/events/outbox';
import { functionArnOf, LOCAL_REGION } from './environment';
import type { InvocationOutcome } from './functions';

export interface OutboxRelayOptions {
  streams: DynamoDBStreamsClient;
  streamArn: string;
  functionKey: string;
  invoke: (functionKey: string, event: unknown) => Promise<InvocationOutcome>;
  /** Checkpoint file (JSON); without one, progress lives in memory only. */
  checkpointFile?: string;
  /** Lambda's default batch size for DynamoDB streams. */
  batchSize?: number;
  /** Lambda polls a shard about four times a second. */
  pollIntervalMs?: number;
  /** Attempts per batch before it is dead-lettered: the CDK mapping's retryAttempts (10) + 1. */
  maxAttempts?: number;
  /** Backoff before retry n is base * 2^(n-1), capped at maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  onDeadLetter?: (record: StreamDeadLetter) => void;
  onError?: (error: unknown) => void;
}

/** What Lambda's on-failure destination receives for a stream batch, plus the records themselves. */
export interface StreamDeadLetter {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted';
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: string; functionError: string };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
  /** Local addition: the batch's records, so a developer can see what was not relayed. */
  records: DynamoDBRecord[];
  lastError: string;
}

interface ShardProgress {
  /** The last sequence number processed (or deliberately skipped). */
  sequenceNumber?: string;
  /** A closed shard read to its end. */
  done?: boolean;
}

interface Checkpoint {
  streamArn: string;
  shards: Record<string, ShardProgress>;
}

export interface OutboxRelay {
  /** Resolves after a complete pass over every shard that found nothing new. */
  whenIdle(): Promise<void>;
  stop(): Promise<void>;
}

/** DynamoDB Local's ARNs name the region `ddblocal`; Lambda's events name the real one. */
const lambdaArnOf = (streamArn: string) => streamArn.replace(':ddblocal:', `:${LOCAL_REGION}:`);

/** The SDK's attribute values as Lambda's JSON has them (binary as base64). */
const toLambdaValue = (value: AttributeValue): unknown => {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((item) => Buffer.from(item).toString('base64')) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  const { $unknown: _unknown, ...plain } = value as AttributeValue & { $unknown?: unknown };
  return plain;
};
const toLambdaImage = (image: Record<string, AttributeValue>) =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaValue(value)]));

/** One stream record shaped as Lambda delivers it. */
export const toLambdaRecord = (record: StreamRecord, streamArn: string): DynamoDBRecord => {
  const data = record.dynamodb ?? {};
  const created = data.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: LOCAL_REGION,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
      ...(data.Keys ? { Keys: toLambdaImage(data.Keys) } : {}),
      ...(data.NewImage ? { NewImage: toLambdaImage(data.NewImage) } : {}),
      ...(data.OldImage ? { OldImage: toLambdaImage(data.OldImage) } : {}),
      SequenceNumber: data.SequenceNumber,
      SizeBytes: data.SizeBytes,
      StreamViewType: data.StreamViewType,
    },
    eventSourceARN: lambdaArnOf(streamArn),
    ...(record.userIdentity ? { userIdentity: record.userIdentity } : {}),
  } as DynamoDBRecord;
};

/** The event source mapping's filter: `{ eventName: ['INSERT'], dynamodb: { NewImage: { pk: { S: [{ prefix: 'OUTBOX#' }] } } } }`. */
export const isOutboxInsert = (record: StreamRecord): boolean =>
  record.eventName === 'INSERT' && (record.dynamodb?.NewImage?.pk?.S ?? '').startsWith(OUTBOX_KEY_PREFIX);

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

const readCheckpoint = (file: string | undefined, streamArn: string): Checkpoint => {
  if (file) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Checkpoint;
      // A recreated table has a new stream: the old positions mean nothing there.
      if (saved.streamArn === streamArn) return saved;
    } catch {
      // No checkpoint yet.
    }
  }
  return { streamArn, shards: {} };
};

/** Written aside then renamed, so a crash never leaves half a checkpoint. */
const writeCheckpoint = (file: string | undefined, checkpoint: Checkpoint) => {
  if (!file) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(checkpoint, null, 2));
  renameSync(`${file}.tmp`, file);
};

/** Which outcome of the relay counts as success, and from which record to retry otherwise. */
const failedFrom = (
  outcome: InvocationOutcome,
  batch: DynamoDBRecord[],
): { index: number; error: string } | undefined => {
  if (!outcome.ok) return { index: 0, error: `${outcome.error.errorType}: ${outcome.error.errorMessage}` };
  const failures = (outcome.result as { batchItemFailures?: { itemIdentifier?: unknown }[] } | null)?.batchItemFailures;
  if (!Array.isArray(failures) || failures.length === 0) return undefined;
  const positions = failures.map((failure) =>
    batch.findIndex((record) => record.dynamodb?.SequenceNumber === failure.itemIdentifier),
  );
  // An empty, null or unknown identifier fails the whole batch, as Lambda does.
  if (positions.some((position) => position < 0)) return { index: 0, error: 'invalid batchItemFailures identifier' };
  return { index: Math.min(...positions), error: `${failures.length} batch item failure(s)` };
};

export const startOutboxRelay = (options: OutboxRelayOptions): OutboxRelay => {
  const { streams, streamArn, functionKey } = options;
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const maxAttempts = options.maxAttempts ?? 11;
  const baseBackoffMs = options.baseBackoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  const checkpoint = readCheckpoint(options.checkpointFile, streamArn);
  const iterators = new Map<string, string>();
  const aborter = new AbortController();
  /** Waiters resolve after a quiet pass that started after they asked (it saw their writes). */
  let idleWaiters: { afterPass: number; resolve: () => void }[] = [];
  let passesStarted = 0;
  let wake: (() => void) | undefined;

  const progressOf = (shardId: string): ShardProgress => {
    checkpoint.shards[shardId] ??= {};
    return checkpoint.shards[shardId];
  };

  const listShards = async (): Promise<Shard[]> => {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return shards;
  };

  const iteratorFor = async (shardId: string): Promise<string | undefined> => {
    const cached = iterators.get(shardId);
    if (cached) return cached;
    const last = progressOf(shardId).sequenceNumber;
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        // No checkpoint: from the oldest record still in the stream, so nothing written is lost.
        ...(last
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: last }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  };

  const deadLetter = (batch: DynamoDBRecord[], shardId: string, attempts: number, error: string, requestId: string) => {
    const first = batch[0];
    const last = batch[batch.length - 1];
    const arrival = (record: DynamoDBRecord | undefined) =>
      new Date((record?.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000).toISOString();
    options.onDeadLetter?.({
      requestContext: {
        requestId,
        functionArn: functionArnOf(functionKey),
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: attempts,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: first?.dynamodb?.SequenceNumber ?? '',
        endSequenceNumber: last?.dynamodb?.SequenceNumber ?? '',
        approximateArrivalOfFirstRecord: arrival(first),
        approximateArrivalOfLastRecord: arrival(last),
        batchSize: batch.length,
        streamArn: lambdaArnOf(streamArn),
      },
      records: batch,
      lastError: error,
    });
  };

  /** Invokes the relay until the batch is through or exhausted; records checkpoint as they succeed. */
  const deliver = async (shardId: string, records: StreamRecord[]) => {
    let pending = records;
    let attempt = 0;
    while (pending.length > 0 && !aborter.signal.aborted) {
      attempt++;
      const batch = pending.map((record) => toLambdaRecord(record, streamArn));
      const event: DynamoDBStreamEvent = { Records: batch };
      const outcome = await options.invoke(functionKey, event);
      const failure = failedFrom(outcome, batch);
      if (!failure) {
        progressOf(shardId).sequenceNumber = pending[pending.length - 1]?.dynamodb?.SequenceNumber;
        writeCheckpoint(options.checkpointFile, checkpoint);
        return;
      }
      // Records before the first failure are done; the retry starts at the failed one.
      if (failure.index > 0) {
        progressOf(shardId).sequenceNumber = pending[failure.index - 1]?.dynamodb?.SequenceNumber;
        writeCheckpoint(options.checkpointFile, checkpoint);
        pending = pending.slice(failure.index);
      }
      if (attempt >= maxAttempts) {
        deadLetter(
          pending.map((record) => toLambdaRecord(record, streamArn)),
          shardId,
          attempt,
          failure.error,
          outcome.requestId,
        );
        progressOf(shardId).sequenceNumber = pending[pending.length - 1]?.dynamodb?.SequenceNumber;
        writeCheckpoint(options.checkpointFile, checkpoint);
        return;
      }
      await sleep(Math.min(maxBackoffMs, baseBackoffMs * 2 ** (attempt - 1)), aborter.signal);
    }
  };

  /** Reads one batch from a shard; answers whether anything new was seen. */
  const pollShard = async (shard: Shard): Promise<boolean> => {
    const shardId = shard.ShardId as string;
    let iterator: string | undefined;
    let response: GetRecordsCommandOutput;
    try {
      iterator = await iteratorFor(shardId);
      if (!iterator) {
        progressOf(shardId).done = true;
        writeCheckpoint(options.checkpointFile, checkpoint);
        return false;
      }
      response = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }));
    } catch (error) {
      iterators.delete(shardId);
      if (error instanceof TrimmedDataAccessException) {
        // The checkpoint points at records the stream no longer holds: start from what it has.
        delete progressOf(shardId).sequenceNumber;
        return true;
      }
      if (error instanceof ExpiredIteratorException) return true;
      throw error;
    }
    const records = response.Records ?? [];
    if (response.NextShardIterator) iterators.set(shardId, response.NextShardIterator);
    else iterators.delete(shardId);

    const selected = records.filter(isOutboxInsert);
    if (selected.length > 0) await deliver(shardId, selected);
    if (records.length > 0 && !aborter.signal.aborted) {
      // Filtered-out records are consumed too, exactly as the mapping's filter drops them.
      progressOf(shardId).sequenceNumber = records[records.length - 1]?.dynamodb?.SequenceNumber;
      writeCheckpoint(options.checkpointFile, checkpoint);
    }
    if (!response.NextShardIterator) {
      // A closed shard read to its end: its children may start.
      progressOf(shardId).done = true;
      writeCheckpoint(options.checkpointFile, checkpoint);
      return true;
    }
    return records.length > 0;
  };

  /** One pass over the readable shards: a child shard waits until its parent is done. */
  const pass = async (): Promise<boolean> => {
    const shards = await listShards();
    const known = new Set(shards.map((shard) => shard.ShardId));
    let busy = false;
    for (const shard of shards) {
      const shardId = shard.ShardId as string;
      if (checkpoint.shards[shardId]?.done) continue;
      const parent = shard.ParentShardId;
      if (parent && known.has(parent) && !checkpoint.shards[parent]?.done) continue;
      if (await pollShard(shard)) busy = true;
      if (aborter.signal.aborted) break;
    }
    return busy;
  };

  const loop = (async () => {
    while (!aborter.signal.aborted) {
      const passNumber = ++passesStarted;
      let busy = false;
      try {
        busy = await pass();
      } catch (error) {
        if (!aborter.signal.aborted) options.onError?.(error);
      }
      if (!busy) {
        const ready = idleWaiters.filter((waiter) => waiter.afterPass <= passNumber);
        idleWaiters = idleWaiters.filter((waiter) => waiter.afterPass > passNumber);
        for (const waiter of ready) waiter.resolve();
      }
      if (busy || aborter.signal.aborted) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        void sleep(pollIntervalMs, aborter.signal).then(resolve);
      });
      wake = undefined;
    }
  })();

  return {
    whenIdle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push({ afterPass: passesStarted + 1, resolve });
        wake?.();
      }),
    stop: async () => {
      aborter.abort();
      wake?.();
      await loop;
      for (const waiter of idleWaiters) waiter.resolve();
      idleWaiters = [];
    },
  };
};
