import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTable, type TestTable, uniqueName } from '../test/support/dynamodb';
import { alphaService } from '../test/support/fixtures/declarations';
import { localFunctionsOf, runtimeEnvironmentOf } from './environment';
import { type LocalFunctions, startLocalFunctions } from './functions';
import { type OutboxRelay, type StreamDeadLetter, startOutboxRelay } from './outbox-relay';

describe('local outbox relay (DynamoDB Local stream -> relay function)', () => {
  const prefix = uniqueName('relay');
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-test-'));
  const checkpointFile = join(dataDir, 'checkpoints', 'alpha-relay.json');
  let table: TestTable;
  let functions: LocalFunctions;
  let relay: OutboxRelay;
  const deliveries: DynamoDBStreamEvent[] = [];
  const deadLetters: StreamDeadLetter[] = [];

  const start = () =>
    startOutboxRelay({
      streams: table.streamsClient,
      streamArn: table.streamArn,
      functionKey: 'alpha-relay',
      invoke: (key, event) => {
        deliveries.push(event as DynamoDBStreamEvent);
        return functions.invoke(key, event);
      },
      checkpointFile,
      pollIntervalMs: 50,
      maxAttempts: 3,
      baseBackoffMs: 10,
      onDeadLetter: (record) => deadLetters.push(record),
    });

  const put = (pk: string, extra: Record<string, { N: string }> = {}) =>
    table.client.send(
      new PutItemCommand({ TableName: table.tableName, Item: { pk: { S: pk }, sk: { S: 'EVENT' }, ...extra } }),
    );

  const relayed = async (pk: string) => {
    const { Items } = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `RELAYED#${pk}` } },
      }),
    );
    return Items ?? [];
  };

  const relayedKeys = (events: DynamoDBStreamEvent[]) =>
    events.flatMap((event) => event.Records.map((record) => record.dynamodb?.NewImage?.pk?.S));

  beforeAll(async () => {
    table = await createTestTable(alphaService.table, `${prefix}-alpha`);
    const endpoints = { dynamodb: table.endpoint, eventbridge: 'http://127.0.0.1:9', ses: 'http://127.0.0.1:9' };
    functions = startLocalFunctions({
      functions: localFunctionsOf([alphaService]),
      repoRoot: process.cwd(),
      environmentOf: (fn) => runtimeEnvironmentOf(fn, endpoints, prefix),
      logs: 'silent',
    });
    relay = start();
  });
  afterAll(async () => {
    await relay.stop();
    await functions.stop();
    await table.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers new outbox items, and only those, as a Lambda DynamoDBStreamEvent', async () => {
    await put('PERSON#1');
    await put('OUTBOX#1');
    // A change to an outbox item is not a new event: the filter keeps INSERTs only.
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: { pk: { S: 'OUTBOX#1' }, sk: { S: 'EVENT' } },
        UpdateExpression: 'SET touched = :yes',
        ExpressionAttributeValues: { ':yes': { BOOL: true } },
      }),
    );
    await relay.whenIdle();

    expect(relayedKeys(deliveries)).toEqual(['OUTBOX#1']);
    const [item] = await relayed('OUTBOX#1');
    const record = JSON.parse(item?.record?.S ?? '{}');
    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      awsRegion: 'eu-west-1',
      eventSourceARN: expect.stringMatching(/^arn:aws:dynamodb:eu-west-1:000000000000:table\/.+\/stream\//),
      dynamodb: {
        Keys: { pk: { S: 'OUTBOX#1' }, sk: { S: 'EVENT' } },
        NewImage: { pk: { S: 'OUTBOX#1' }, sk: { S: 'EVENT' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(typeof record.dynamodb.ApproximateCreationDateTime).toBe('number');
    expect(record.dynamodb.SequenceNumber).toMatch(/^\d+$/);
  });

  it('retries from the first failed record until the relay succeeds', async () => {
    deliveries.length = 0;
    await put('OUTBOX#2', { failTimes: { N: '2' } });
    await put('OUTBOX#3');
    await relay.whenIdle();

    const [item] = await relayed('OUTBOX#2');
    expect(item?.attempts?.N).toBe('3');
    expect(await relayed('OUTBOX#3')).toHaveLength(1);
    expect(deadLetters).toHaveLength(0);
  });

  it('dead-letters a batch that keeps failing, like the on-failure destination, and moves on', async () => {
    await put('OUTBOX#poison', { failTimes: { N: '99' } });
    await relay.whenIdle();
    await put('OUTBOX#4');
    await relay.whenIdle();

    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
      DDBStreamBatchInfo: { batchSize: 1, streamArn: expect.stringContaining(':eu-west-1:') },
    });
    expect(deadLetters[0]?.records[0]?.dynamodb?.NewImage?.pk?.S).toBe('OUTBOX#poison');
    expect(await relayed('OUTBOX#poison')).toHaveLength(0);
    expect(await relayed('OUTBOX#4')).toHaveLength(1);
  });

  it('keeps its place across a restart: nothing lost, nothing replayed', async () => {
    await relay.stop();
    const saved = JSON.parse(readFileSync(checkpointFile, 'utf8'));
    expect(saved.streamArn).toBe(table.streamArn);

    await put('OUTBOX#5'); // written while the relay is down
    deliveries.length = 0;
    relay = start();
    await relay.whenIdle();

    expect(relayedKeys(deliveries)).toEqual(['OUTBOX#5']);
    expect(await relayed('OUTBOX#5')).toHaveLength(1);
  });
});
