/**
 * The publisher against the local EventBridge with the real `@aws-sdk/client-eventbridge`
 * client. Partial failures are made by the bus's fault injector (`failEntry`, see
 * local/eventbridge/README.md): PutEvents then answers 200 with per-entry error codes, as AWS
 * does when it throttles or fails some entries.
 */

import { EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/environment';
import { type EventBridgeEvent, LocalEventBus } from '../../local/eventbridge/local-bus';
import { startEventBridgeServer } from '../../local/eventbridge/server';
import { startTestBus, type TestBus } from '../../test/support/bus';
import { relayOutbox } from './outbox-relay';
import { type BusEntry, publishEntries } from './publisher';

const entry = (id: string, padding = ''): BusEntry => ({
  source: 'mentoring.matching',
  detailType: 'Person.Registered',
  detail: JSON.stringify({ metadata: { id }, data: { padding } }),
});
const entries = (count: number, padding = '') =>
  Array.from({ length: count }, (_, index) => entry(`e-${index + 1}`, padding));
const idOf = (detail: string | undefined) => (JSON.parse(detail ?? '{}') as { metadata: { id: string } }).metadata.id;
const receivedIdsOf = (events: readonly EventBridgeEvent[]) =>
  events.map((event) => (event.detail as { metadata: { id: string } }).metadata.id);
/** Records the delays instead of waiting them out. */
const recordedSleep = () => {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
};

describe('publishEntries against the local EventBridge (real SDK client)', () => {
  let testBus: TestBus;
  const received: EventBridgeEvent[] = [];
  /** The ids of each PutEvents call the bus received, in order. */
  let calls: string[][] = [];
  /** Per entry id: how many more times the bus fails it (Infinity: always). */
  let failures = new Map<string, number>();

  beforeAll(async () => {
    testBus = await startTestBus({
      failEntry: (request: PutEventsRequestEntry, index: number) => {
        const id = idOf(request.Detail);
        if (index === 0) calls.push([]);
        calls.at(-1)?.push(id);
        const left = failures.get(id) ?? 0;
        if (left <= 0) return undefined;
        failures.set(id, left - 1);
        return { ErrorCode: 'ThrottlingException', ErrorMessage: `Injected failure of ${id}` };
      },
    });
    testBus.bus.addRule({
      name: 'everything',
      eventBusName: testBus.eventBusName,
      pattern: { source: [{ prefix: '' }] },
      target: { id: 'recorder', invoke: async (event) => void received.push(event) },
    });
  });
  afterAll(() => testBus.stop());
  afterEach(() => {
    received.length = 0;
    calls = [];
    failures = new Map();
  });

  const publish = async (batch: readonly BusEntry[], options: Parameters<typeof publishEntries>[3] = {}) => {
    const result = await publishEntries(testBus.client, testBus.eventBusName, batch, options);
    await testBus.bus.whenIdle();
    return result;
  };

  it('re-sends exactly the entries PutEvents failed, with backoff, until each has landed once', async () => {
    failures = new Map([
      ['e-2', 1],
      ['e-4', 2],
    ]);
    const { delays, sleep } = recordedSleep();
    const result = await publish(entries(5), { baseDelayMs: 50, sleep });

    expect(result).toEqual([]);
    expect(calls).toEqual([['e-1', 'e-2', 'e-3', 'e-4', 'e-5'], ['e-2', 'e-4'], ['e-4']]);
    expect(delays).toEqual([50, 100]);
    // None lost, none twice.
    expect(receivedIdsOf(received).sort()).toEqual(['e-1', 'e-2', 'e-3', 'e-4', 'e-5']);
    expect(received.every((event) => event.source === 'mentoring.matching')).toBe(true);
  });

  it('keeps to PutEvents limits (10 entries, 256 KB) per call, and retries failures across the calls', async () => {
    failures = new Map([
      ['e-7', 1],
      ['e-12', 1],
      ['e-23', 1],
    ]);
    const { sleep } = recordedSleep();
    expect(await publish(entries(23), { sleep })).toEqual([]);
    expect(calls.map((call) => call.length)).toEqual([10, 10, 3, 3]);
    expect(calls[3]).toEqual(['e-7', 'e-12', 'e-23']);
    const ids = receivedIdsOf(received);
    expect(ids).toHaveLength(23);
    expect(new Set(ids).size).toBe(23);

    // 100 KB each: the bus refuses a request over 256 KB as a whole, so these must go 2 + 1.
    calls = [];
    received.length = 0;
    expect(await publish(entries(3, 'x'.repeat(100 * 1024)), { sleep })).toEqual([]);
    expect(calls.map((call) => call.length)).toEqual([2, 1]);
    expect(receivedIdsOf(received).sort()).toEqual(['e-1', 'e-2', 'e-3']);
  });

  it('gives back the entries still failing after maxAttempts, with the error PutEvents reported', async () => {
    failures = new Map([['e-3', Number.POSITIVE_INFINITY]]);
    const { delays, sleep } = recordedSleep();
    const result = await publish(entries(4), { maxAttempts: 3, baseDelayMs: 10, sleep });

    expect(result).toEqual([{ index: 2, errorCode: 'ThrottlingException', errorMessage: 'Injected failure of e-3' }]);
    expect(calls).toEqual([['e-1', 'e-2', 'e-3', 'e-4'], ['e-3'], ['e-3']]);
    expect(delays).toEqual([10, 20]);
    expect(receivedIdsOf(received).sort()).toEqual(['e-1', 'e-2', 'e-4']);
  });

  it('surfaces what never got published to the outbox relay as batch item failures', async () => {
    failures = new Map([['e-2', Number.POSITIVE_INFINITY]]);
    const { sleep } = recordedSleep();
    const record = (sequenceNumber: string, id: string): DynamoDBRecord => ({
      eventName: 'INSERT',
      dynamodb: {
        SequenceNumber: sequenceNumber,
        NewImage: marshall({ pk: `OUTBOX#${id}`, sk: 'EVENT', ...entry(id), expiresAt: 1 }) as never,
      },
    });
    const response = await relayOutbox(
      { Records: [record('101', 'e-1'), record('102', 'e-2'), record('103', 'e-3')] },
      (batch) => publishEntries(testBus.client, testBus.eventBusName, batch, { maxAttempts: 2, sleep }),
    );
    await testBus.bus.whenIdle();

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '102' }] });
    expect(receivedIdsOf(received).sort()).toEqual(['e-1', 'e-3']);
  });
});

describe('publishEntries when PutEvents itself fails', () => {
  it('retries the whole call while the endpoint is down, and publishes once it is back', async () => {
    const bus = new LocalEventBus({ eventBusNames: ['platform'] });
    const received: EventBridgeEvent[] = [];
    bus.addRule({
      name: 'everything',
      eventBusName: 'platform',
      pattern: { source: [{ prefix: '' }] },
      target: { id: 'recorder', invoke: async (event) => void received.push(event) },
    });
    // A port that was free a moment ago, with nothing listening on it yet.
    const probe = await startEventBridgeServer({ bus, port: 0 });
    const port = probe.port;
    await probe.close();
    const client = new EventBridgeClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    let server: Awaited<ReturnType<typeof startEventBridgeServer>> | undefined;
    try {
      const down = await publishEntries(client, 'platform', entries(2), { maxAttempts: 2, sleep: async () => {} });
      expect(down.map((failure) => failure.index)).toEqual([0, 1]);
      expect(down.every((failure) => failure.errorCode.length > 0 && failure.errorMessage.length > 0)).toBe(true);

      // Down on the first attempt, back before the retry.
      const back = await publishEntries(client, 'platform', entries(2), {
        maxAttempts: 2,
        sleep: async () => {
          server = await startEventBridgeServer({ bus, port });
        },
      });
      await bus.whenIdle();
      expect(back).toEqual([]);
      expect(receivedIdsOf(received).sort()).toEqual(['e-1', 'e-2']);
    } finally {
      client.destroy();
      await server?.close();
      await bus.close();
    }
  });
});
