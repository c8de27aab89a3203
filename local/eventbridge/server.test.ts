import { connect } from 'node:net';
import {
  EventBridgeClient,
  EventBridgeServiceException,
  InvalidEventPatternException,
  PutEventsCommand,
  type PutEventsRequestEntry,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EventBridgeEvent, LocalEventBus } from './local-bus';
import { type EventBridgeServer, startEventBridgeServer } from './server';

let bus: LocalEventBus;
let server: EventBridgeServer;
let client: EventBridgeClient;
const received: EventBridgeEvent[] = [];

beforeAll(async () => {
  bus = new LocalEventBus({ eventBusNames: ['platform'], retry: { baseDelayMs: 1 } });
  bus.addRule({
    name: 'all-matching-events',
    eventBusName: 'platform',
    pattern: { source: ['mentoring.matching'] },
    target: {
      id: 'recorder',
      invoke: async (event) => {
        received.push(event);
      },
    },
  });
  server = await startEventBridgeServer({ bus, port: 0, host: '127.0.0.1' });
  client = new EventBridgeClient({
    endpoint: server.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await server.close();
  await bus.close();
});

afterEach(() => {
  bus.setPutEventsFaultInjector(undefined);
  received.length = 0;
});

const entry = (fields: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  EventBusName: 'platform',
  Source: 'mentoring.matching',
  DetailType: 'MatchProposed',
  Detail: JSON.stringify({ matchId: 'm-1' }),
  ...fields,
});

/** What the SDK threw, for assertions on its class and fields. */
const rejectionOf = async (promise: Promise<unknown>): Promise<EventBridgeServiceException> => {
  try {
    await promise;
  } catch (error) {
    return error as EventBridgeServiceException;
  }
  throw new Error('expected the call to fail');
};

const testPattern = (EventPattern: string, Event: string) =>
  client.send(new TestEventPatternCommand({ EventPattern, Event }));

const testEvent = JSON.stringify({
  id: 'e1',
  account: '000000000000',
  source: 'mentoring.matching',
  time: '2024-05-01T10:20:30Z',
  region: 'eu-west-1',
  resources: [],
  'detail-type': 'MatchProposed',
  detail: { matchId: 'm-1', score: 0.82 },
});

describe('EventBridge server: PutEvents through @aws-sdk/client-eventbridge', () => {
  it('accepts entries, answers EventIds and delivers the events', async () => {
    const response = await client.send(
      new PutEventsCommand({
        Entries: [
          entry(),
          entry({ Detail: JSON.stringify({ matchId: 'm-2' }), Time: new Date('2024-05-01T10:20:30Z') }),
        ],
      }),
    );
    await bus.whenIdle();

    expect(response.$metadata.httpStatusCode).toBe(200);
    expect(response.FailedEntryCount).toBe(0);
    expect(response.Entries).toHaveLength(2);
    const ids = response.Entries?.map((result) => result.EventId);
    expect(received.map((event) => event.id).sort()).toEqual([...(ids as string[])].sort());
    const second = received.find((event) => event.detail.matchId === 'm-2');
    // Time travels as epoch seconds on the wire and comes back as AWS's ISO form.
    expect(second?.time).toBe('2024-05-01T10:20:30Z');
    expect(second?.region).toBe('eu-west-1');
  });

  it('reports a partial failure from the fault injector in FailedEntryCount and Entries', async () => {
    bus.setPutEventsFaultInjector((_entry, index) =>
      index === 1 ? { ErrorCode: 'InternalFailure', ErrorMessage: 'Injected for the test' } : undefined,
    );
    const response = await client.send(
      new PutEventsCommand({ Entries: [entry(), entry({ Detail: '{"matchId":"lost"}' }), entry()] }),
    );
    await bus.whenIdle();

    expect(response.FailedEntryCount).toBe(1);
    expect(response.Entries?.[0]?.EventId).toBeDefined();
    expect(response.Entries?.[1]).toEqual({ ErrorCode: 'InternalFailure', ErrorMessage: 'Injected for the test' });
    expect(response.Entries?.[2]?.EventId).toBeDefined();
    expect(received.map((event) => event.detail.matchId)).toEqual(['m-1', 'm-1']);
  });

  it('answers AWS’s per-entry validation errors', async () => {
    const response = await client.send(new PutEventsCommand({ Entries: [entry({ Detail: 'not json' }), entry()] }));
    expect(response.FailedEntryCount).toBe(1);
    expect(response.Entries?.[0]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
  });

  it('makes the SDK throw ValidationException for more than 10 entries', async () => {
    const error = await rejectionOf(
      client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry()) })),
    );
    expect(error).toBeInstanceOf(EventBridgeServiceException);
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(/less than or equal to 10/);
  });
});

describe('EventBridge server: TestEventPattern through @aws-sdk/client-eventbridge', () => {
  it('answers true for a matching pattern', async () => {
    const response = await testPattern(
      JSON.stringify({ source: ['mentoring.matching'], detail: { score: [{ numeric: ['>=', 0.8] }] } }),
      testEvent,
    );
    expect(response.Result).toBe(true);
  });

  it('answers false for a pattern that does not match', async () => {
    const response = await testPattern(JSON.stringify({ detail: { score: [{ numeric: ['<', 0.5] }] } }), testEvent);
    expect(response.Result).toBe(false);
  });

  it('makes the SDK throw InvalidEventPatternException for an invalid pattern', async () => {
    const error = await rejectionOf(testPattern(JSON.stringify({ source: 'mentoring.matching' }), testEvent));
    expect(error).toBeInstanceOf(InvalidEventPatternException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe('Event pattern is not valid. Reason: "source" must be an object or an array');
  });

  it('makes the SDK throw ValidationException for an event that is not JSON or lacks required fields', async () => {
    const pattern = JSON.stringify({ source: ['mentoring.matching'] });
    for (const event of ['not json', JSON.stringify({ source: 'mentoring.matching', detail: {} })]) {
      const error = await rejectionOf(testPattern(pattern, event));
      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe('Parameter Event is not valid.');
    }
  });
});

describe('EventBridge server: raw HTTP', () => {
  const post = (target: string | undefined, body: string) =>
    fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        ...(target ? { 'x-amz-target': target } : {}),
      },
      body,
    });

  it('answers 400 UnknownOperationException for an operation it does not implement', async () => {
    for (const target of ['AWSEvents.PutRule', 'SomethingElse.PutEvents', undefined]) {
      const response = await post(target, '{}');
      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
      expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
    }
  });

  it('answers 400 SerializationException for a body that is not JSON', async () => {
    const response = await post('AWSEvents.PutEvents', '{"Entries": [');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'SerializationException' });
  });

  it('serves a small JSON status on GET / and GET /health', async () => {
    for (const path of ['/', '/health']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: 'ok',
        service: 'eventbridge',
        eventBuses: ['default', 'platform'],
        rules: 1,
      });
    }
  });

  it('closes even while a client is still sending a request', async () => {
    const ownBus = new LocalEventBus();
    const own = await startEventBridgeServer({ bus: ownBus });
    // A request that announces 1000 bytes and sends 2: the server is left waiting for the rest.
    const socket = connect(own.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.on('error', () => {});
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSEvents.PutEvents\r\nContent-Length: 1000\r\n\r\n{"');
    await new Promise((resolve) => setTimeout(resolve, 20));

    // Without closing the half-sent request's connection, close() would wait for it forever.
    const outcome = await Promise.race([
      own.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(resolve, 5_000, 'still waiting for the client')),
    ]);
    expect(outcome).toBe('closed');
    socket.destroy();
    await ownBus.close();
  });
});
