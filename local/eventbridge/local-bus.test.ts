import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type EventBridgeEvent,
  EventBusNotFoundError,
  LocalEventBus,
  type LocalEventBusOptions,
  PutEventsValidationError,
  type RuleTarget,
} from './local-bus';
import { InvalidEventPatternError } from './pattern-matcher';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const buses: LocalEventBus[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const newBus = (options: LocalEventBusOptions = {}) => {
  const bus = new LocalEventBus({ eventBusNames: ['platform'], retry: { baseDelayMs: 1 }, ...options });
  buses.push(bus);
  return bus;
};

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'local-eventbridge-'));
  dirs.push(dir);
  return dir;
};

/** A target that records what it receives and fails its first `failures` calls. */
const recordingTarget = (id: string, failures = 0) => {
  const received: EventBridgeEvent[] = [];
  const callTimes: number[] = [];
  let calls = 0;
  const target: RuleTarget & { received: EventBridgeEvent[]; callTimes: number[]; calls: () => number } = {
    id,
    received,
    callTimes,
    calls: () => calls,
    invoke: async (event) => {
      calls++;
      callTimes.push(performance.now());
      if (calls <= failures) throw new Error(`${id} failed call ${calls}`);
      received.push(event);
    },
  };
  return target;
};

const entry = (fields: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  EventBusName: 'platform',
  Source: 'mentoring.matching',
  DetailType: 'MatchProposed',
  Detail: JSON.stringify({ matchId: 'm-1', mentorId: 'p-1' }),
  ...fields,
});

describe('LocalEventBus: routing', () => {
  it('delivers to the matching rule only, with the event EventBridge builds', async () => {
    const bus = newBus({ region: 'eu-west-1' });
    const matching = recordingTarget('matching');
    const other = recordingTarget('other');
    bus.addRule({
      name: 'proposed',
      eventBusName: 'platform',
      pattern: { 'detail-type': ['MatchProposed'] },
      target: matching,
    });
    bus.addRule({
      name: 'declined',
      eventBusName: 'platform',
      pattern: { 'detail-type': ['MatchDeclined'] },
      target: other,
    });

    const result = bus.putEvents([entry({ Resources: ['arn:aws:dynamodb:eu-west-1:000000000000:table/t'] })]);
    await bus.whenIdle();

    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries[0]?.EventId).toMatch(UUID);
    expect(other.calls()).toBe(0);
    expect(matching.received).toHaveLength(1);
    const event = matching.received[0] as EventBridgeEvent;
    expect(event).toEqual({
      version: '0',
      id: result.Entries[0]?.EventId,
      'detail-type': 'MatchProposed',
      source: 'mentoring.matching',
      account: '000000000000',
      time: expect.stringMatching(ISO_SECONDS),
      region: 'eu-west-1',
      resources: ['arn:aws:dynamodb:eu-west-1:000000000000:table/t'],
      detail: { matchId: 'm-1', mentorId: 'p-1' },
    });
  });

  it('matches on nested detail fields', async () => {
    const bus = newBus();
    const target = recordingTarget('t');
    bus.addRule({ name: 'r', eventBusName: 'platform', pattern: { detail: { mentorId: ['p-2'] } }, target });
    bus.putEvents([entry(), entry({ Detail: JSON.stringify({ matchId: 'm-2', mentorId: 'p-2' }) })]);
    await bus.whenIdle();
    expect(target.received.map((event) => event.detail.matchId)).toEqual(['m-2']);
  });

  it('only routes to rules on the bus the entry names; a missing EventBusName means default', async () => {
    const bus = newBus();
    const onDefault = recordingTarget('default-target');
    const onPlatform = recordingTarget('platform-target');
    const everything = { source: [{ prefix: '' }] };
    bus.addRule({ name: 'all', pattern: everything, target: onDefault });
    bus.addRule({ name: 'all', eventBusName: 'platform', pattern: everything, target: onPlatform });

    bus.putEvents([entry({ EventBusName: undefined })]);
    bus.putEvents([entry({ EventBusName: 'arn:aws:events:eu-west-1:000000000000:event-bus/platform' })]);
    await bus.whenIdle();

    expect(onDefault.received).toHaveLength(1);
    expect(onPlatform.received).toHaveLength(1);
  });

  it('uses the entry Time, to the second, and the current time otherwise', async () => {
    const bus = newBus({ now: () => new Date('2030-01-02T03:04:05.678Z') });
    const target = recordingTarget('t');
    bus.addRule({ name: 'r', eventBusName: 'platform', pattern: { source: ['mentoring.matching'] }, target });
    bus.putEvents([entry({ Time: new Date('2024-05-01T10:20:30.456Z') }), entry()]);
    await bus.whenIdle();
    expect(target.received.map((event) => event.time).sort()).toEqual(['2024-05-01T10:20:30Z', '2030-01-02T03:04:05Z']);
  });

  it('delivers after putEvents has returned, and gives each target its own copy', async () => {
    const bus = newBus();
    const seenDuringPut: number[] = [];
    const mutating: RuleTarget = {
      id: 'mutating',
      invoke: async (event) => {
        (event.detail as Record<string, unknown>).matchId = 'changed';
      },
    };
    const reading = recordingTarget('reading');
    bus.addRule({ name: 'a', eventBusName: 'platform', pattern: { source: ['mentoring.matching'] }, target: mutating });
    bus.addRule({ name: 'b', eventBusName: 'platform', pattern: { source: ['mentoring.matching'] }, target: reading });

    bus.putEvents([entry()]);
    seenDuringPut.push(reading.calls());
    await bus.whenIdle();

    expect(seenDuringPut).toEqual([0]);
    expect(reading.received[0]?.detail.matchId).toBe('m-1');
    expect(bus.listRecentEvents()[0]?.event.detail.matchId).toBe('m-1');
  });

  it('validates rules like PutRule: bad pattern, unknown bus', () => {
    const bus = newBus();
    const target = recordingTarget('t');
    expect(() => bus.addRule({ name: 'r', pattern: { source: 'not-an-array' }, target })).toThrow(
      InvalidEventPatternError,
    );
    expect(() => bus.addRule({ name: 'r', pattern: '{"source": [', target })).toThrow(InvalidEventPatternError);
    expect(() => bus.addRule({ name: 'r', eventBusName: 'nope', pattern: { source: ['x'] }, target })).toThrow(
      EventBusNotFoundError,
    );
  });

  it('replaces a rule of the same name on the same bus, and removes rules', async () => {
    const bus = newBus();
    const first = recordingTarget('first');
    const second = recordingTarget('second');
    bus.addRule({ name: 'r', eventBusName: 'platform', pattern: { source: ['mentoring.matching'] }, target: first });
    bus.addRule({ name: 'r', eventBusName: 'platform', pattern: '{"source": ["mentoring.matching"]}', target: second });
    expect(bus.listRules()).toHaveLength(1);
    bus.putEvents([entry()]);
    await bus.whenIdle();
    expect(first.calls()).toBe(0);
    expect(second.received).toHaveLength(1);

    expect(bus.removeRule('r', 'platform')).toBe(true);
    bus.putEvents([entry()]);
    await bus.whenIdle();
    expect(second.received).toHaveLength(1);
  });
});

describe('LocalEventBus: PutEvents validation', () => {
  it('fails bad entries one by one with AWS codes, accepts the rest, and counts the failures', async () => {
    const bus = newBus();
    const target = recordingTarget('t');
    bus.addRule({ name: 'r', eventBusName: 'platform', pattern: { source: [{ prefix: '' }] }, target });

    const result = bus.putEvents([
      entry(),
      entry({ Source: undefined }),
      entry({ DetailType: '' }),
      entry({ Detail: undefined }),
      entry({ Detail: '[1, 2, 3]' }),
      entry({ Detail: 'not json at all' }),
      entry({ Source: 'mentoring.people' }),
    ]);
    await bus.whenIdle();

    expect(result.FailedEntryCount).toBe(5);
    expect(result.Entries[0]?.EventId).toMatch(UUID);
    expect(result.Entries.slice(1, 6)).toEqual([
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.',
      },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
    ]);
    expect(result.Entries[6]?.EventId).toMatch(UUID);
    expect(target.received.map((event) => event.source).sort()).toEqual(['mentoring.matching', 'mentoring.people']);
    expect(bus.listRecentEvents()).toHaveLength(2);
  });

  it('refuses a whole request with no entries, more than 10, or over 256 KB', () => {
    const bus = newBus();
    expect(() => bus.putEvents([])).toThrow(PutEventsValidationError);
    expect(() => bus.putEvents(Array.from({ length: 11 }, () => entry()))).toThrow(/less than or equal to 10/);
    const big = JSON.stringify({ text: 'x'.repeat(130 * 1024) });
    expect(() => bus.putEvents([entry({ Detail: big }), entry({ Detail: big })])).toThrow(
      'Total size of the entries in the request is over the limit.',
    );
    // Exactly at the limit is still fine (AWS counts Source, DetailType, Detail and Resources).
    const source = 's';
    const detailType = 'd';
    const exact = JSON.stringify({ t: 'x'.repeat(256 * 1024 - 10) });
    expect(Buffer.byteLength(exact) + 2).toBe(256 * 1024);
    expect(bus.putEvents([entry({ Source: source, DetailType: detailType, Detail: exact })]).FailedEntryCount).toBe(0);
    expect(bus.listRecentEvents()).toHaveLength(1);
  });

  it('fails entries chosen by the fault injector, after validation, until it is removed', async () => {
    const calls: number[] = [];
    const bus = newBus({
      failEntry: (_entry, index) => {
        calls.push(index);
        return index === 1 ? { ErrorCode: 'InternalFailure', ErrorMessage: 'Injected failure' } : undefined;
      },
    });
    const target = recordingTarget('t');
    bus.addRule({ name: 'r', eventBusName: 'platform', pattern: { source: [{ prefix: '' }] }, target });

    const first = bus.putEvents([entry(), entry({ Source: 'b' }), entry({ Source: undefined })]);
    expect(first.FailedEntryCount).toBe(2);
    expect(first.Entries[1]).toEqual({ ErrorCode: 'InternalFailure', ErrorMessage: 'Injected failure' });
    expect(first.Entries[2]?.ErrorCode).toBe('InvalidArgument');
    expect(calls).toEqual([0, 1]);

    bus.setPutEventsFaultInjector(undefined);
    const second = bus.putEvents([entry(), entry({ Source: 'b' })]);
    expect(second.FailedEntryCount).toBe(0);
    await bus.whenIdle();
    expect(target.received.map((event) => event.source)).toEqual(['mentoring.matching', 'mentoring.matching', 'b']);
  });

  it('accepts and drops events for an unknown bus, as AWS does; rejects them when configured to', () => {
    const accepting = newBus();
    const accepted = accepting.putEvents([entry({ EventBusName: 'typo-bus' })]);
    expect(accepted.FailedEntryCount).toBe(0);
    expect(accepted.Entries[0]?.EventId).toMatch(UUID);
    expect(accepting.listRecentEvents()[0]?.droppedReason).toMatch(/typo-bus does not exist/);

    const rejecting = newBus({ unknownEventBus: 'reject' });
    const rejected = rejecting.putEvents([entry({ EventBusName: 'typo-bus' }), entry()]);
    expect(rejected.FailedEntryCount).toBe(1);
    expect(rejected.Entries[0]).toEqual({
      ErrorCode: 'ResourceNotFoundException',
      ErrorMessage: 'Event bus typo-bus does not exist.',
    });
    expect(rejected.Entries[1]?.EventId).toMatch(UUID);
  });
});

describe('LocalEventBus: retries and dead letters', () => {
  it('retries a failing target and records the delivery once it succeeds', async () => {
    const bus = newBus();
    const target = recordingTarget('flaky', 2);
    bus.addRule({
      name: 'r',
      eventBusName: 'platform',
      pattern: { source: ['mentoring.matching'] },
      target,
      retry: { maxAttempts: 3 },
    });

    bus.putEvents([entry()]);
    await bus.whenIdle();

    expect(target.calls()).toBe(3);
    expect(target.received).toHaveLength(1);
    expect(bus.listDeadLetters()).toEqual([]);
    expect(bus.listRecentEvents()[0]?.deliveries).toEqual([
      expect.objectContaining({ ruleName: 'r', targetId: 'flaky', status: 'delivered', attempts: 3 }),
    ]);
  });

  it('waits longer before each retry (exponential backoff)', async () => {
    const bus = newBus();
    const target = recordingTarget('slow-to-recover', 2);
    bus.addRule({
      name: 'r',
      eventBusName: 'platform',
      pattern: { source: ['mentoring.matching'] },
      target,
      retry: { maxAttempts: 3, baseDelayMs: 25 },
    });
    bus.putEvents([entry()]);
    await bus.whenIdle();

    const [first, second, third] = target.callTimes as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(20);
    expect(third - second).toBeGreaterThanOrEqual(45);
  });

  it('writes a dead letter when the attempts are exhausted', async () => {
    const bus = newBus({ now: () => new Date('2030-01-02T03:04:05.000Z') });
    const target = recordingTarget('broken', Number.POSITIVE_INFINITY);
    bus.addRule({
      name: 'notify',
      eventBusName: 'platform',
      pattern: { source: ['mentoring.matching'] },
      target,
      retry: { maxAttempts: 3 },
    });

    const { Entries } = bus.putEvents([entry()]);
    await bus.whenIdle();

    expect(target.calls()).toBe(3);
    const deadLetters = bus.listDeadLetters();
    expect(deadLetters).toEqual([
      {
        id: expect.stringMatching(UUID),
        event: expect.objectContaining({ id: Entries[0]?.EventId, detail: { matchId: 'm-1', mentorId: 'p-1' } }),
        eventBusName: 'platform',
        ruleName: 'notify',
        targetId: 'broken',
        attempts: 3,
        lastError: 'broken failed call 3',
        failedAt: '2030-01-02T03:04:05.000Z',
      },
    ]);
    expect(bus.listRecentEvents()[0]?.deliveries[0]).toMatchObject({
      status: 'dead-lettered',
      attempts: 3,
      lastError: 'broken failed call 3',
      deadLetterId: deadLetters[0]?.id,
    });
  });

  it('redrives a dead letter to the rule’s target, and answers false for an unknown id', async () => {
    const bus = newBus();
    let healthy = false;
    const received: EventBridgeEvent[] = [];
    const target: RuleTarget = {
      id: 'recovering',
      invoke: async (event) => {
        if (!healthy) throw new Error('down');
        received.push(event);
      },
    };
    bus.addRule({
      name: 'r',
      eventBusName: 'platform',
      pattern: { source: ['mentoring.matching'] },
      target,
      retry: { maxAttempts: 2 },
    });
    const { Entries } = bus.putEvents([entry()]);
    await bus.whenIdle();
    const [deadLetter] = bus.listDeadLetters();
    expect(deadLetter).toBeDefined();

    healthy = true;
    expect(await bus.redriveDeadLetter('no-such-id')).toBe(false);
    expect(await bus.redriveDeadLetter(deadLetter?.id as string)).toBe(true);
    await bus.whenIdle();

    expect(received.map((event) => event.id)).toEqual([Entries[0]?.EventId]);
    expect(bus.listDeadLetters()).toEqual([]);
    expect(bus.listRecentEvents()[0]?.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await bus.redriveDeadLetter(deadLetter?.id as string)).toBe(false);
  });

  it('writes a new dead letter when a redrive fails again', async () => {
    const bus = newBus();
    const target = recordingTarget('broken', Number.POSITIVE_INFINITY);
    bus.addRule({
      name: 'r',
      eventBusName: 'platform',
      pattern: { source: ['mentoring.matching'] },
      target,
      retry: { maxAttempts: 1 },
    });
    bus.putEvents([entry()]);
    await bus.whenIdle();
    const [first] = bus.listDeadLetters();

    await bus.redriveDeadLetter(first?.id as string);
    await bus.whenIdle();

    const after = bus.listDeadLetters();
    expect(after).toHaveLength(1);
    expect(after[0]?.id).not.toBe(first?.id);
    expect(after[0]?.event.id).toBe(first?.event.id);
    expect(target.calls()).toBe(2);
  });

  it('whenIdle resolves at once when nothing is in flight, and waits for slow targets', async () => {
    const bus = newBus();
    await bus.whenIdle();
    let finished = false;
    bus.addRule({
      name: 'r',
      eventBusName: 'platform',
      pattern: { source: ['mentoring.matching'] },
      target: {
        id: 'slow',
        invoke: () =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              finished = true;
              resolve();
            }, 30),
          ),
      },
    });
    bus.putEvents([entry()]);
    await bus.whenIdle();
    expect(finished).toBe(true);
  });

  it('close() stops pending retries and marks them interrupted', async () => {
    const bus = newBus();
    const target = recordingTarget('broken', Number.POSITIVE_INFINITY);
    bus.addRule({
      name: 'r',
      eventBusName: 'platform',
      pattern: { source: ['mentoring.matching'] },
      target,
      retry: { maxAttempts: 5, baseDelayMs: 60_000 },
    });
    bus.putEvents([entry()]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The next retry is a minute away: close() must not wait for it.
    const outcome = await Promise.race([
      bus.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(resolve, 5_000, 'waiting for the retry')),
    ]);
    expect(outcome).toBe('closed');
    expect(target.calls()).toBe(1);
    expect(bus.listRecentEvents()[0]?.deliveries[0]?.status).toBe('interrupted');
    expect(bus.listDeadLetters()).toEqual([]);
  });
});

describe('LocalEventBus: developer view and persistence', () => {
  it('keeps a bounded, newest-first record of recent events with their deliveries', async () => {
    const bus = newBus({ recentEventLimit: 3 });
    bus.addRule({
      name: 'r',
      eventBusName: 'platform',
      pattern: { detail: { n: [{ numeric: ['>=', 3] }] } },
      target: recordingTarget('t'),
    });
    for (let n = 1; n <= 5; n++) bus.putEvents([entry({ Detail: JSON.stringify({ n }) })]);
    await bus.whenIdle();

    const recent = bus.listRecentEvents();
    expect(recent.map((record) => record.event.detail.n)).toEqual([5, 4, 3]);
    expect(recent.every((record) => record.eventBusName === 'platform')).toBe(true);
    expect(recent.map((record) => record.deliveries.map((delivery) => delivery.status))).toEqual([
      ['delivered'],
      ['delivered'],
      ['delivered'],
    ]);
    // Copies: changing what was listed changes nothing inside the bus.
    (recent[0] as { eventBusName: string }).eventBusName = 'changed';
    expect(bus.listRecentEvents()[0]?.eventBusName).toBe('platform');
  });

  it('records events that matched no rule, with no deliveries', () => {
    const bus = newBus();
    bus.putEvents([entry()]);
    expect(bus.listRecentEvents()[0]?.deliveries).toEqual([]);
  });

  it('persists recent events and dead letters in dataDir and loads them at start', async () => {
    const dataDir = tempDir();
    const first = newBus({ dataDir });
    first.addRule({
      name: 'r',
      eventBusName: 'platform',
      pattern: { source: ['mentoring.matching'] },
      target: recordingTarget('broken', Number.POSITIVE_INFINITY),
      retry: { maxAttempts: 2 },
    });
    first.putEvents([entry()]);
    await first.whenIdle();
    await first.close();

    const second = newBus({ dataDir });
    expect(second.listDeadLetters()).toEqual(first.listDeadLetters());
    expect(second.listRecentEvents()).toEqual(first.listRecentEvents());
    expect(second.listDeadLetters()).toHaveLength(1);

    // A dead letter from before the restart can be redriven once the rule is registered again.
    const target = recordingTarget('fixed');
    second.addRule({ name: 'r', eventBusName: 'platform', pattern: { source: ['mentoring.matching'] }, target });
    expect(await second.redriveDeadLetter(second.listDeadLetters()[0]?.id as string)).toBe(true);
    await second.whenIdle();
    expect(target.received).toHaveLength(1);
    await second.close();

    const third = newBus({ dataDir });
    expect(third.listDeadLetters()).toEqual([]);
    expect(third.listRecentEvents()[0]?.deliveries[0]?.status).toBe('delivered');
  });

  it('marks deliveries that were under way at a restart as interrupted', async () => {
    const dataDir = tempDir();
    const first = newBus({ dataDir, saveRecentEventsEveryMs: 10 });
    first.addRule({
      name: 'r',
      eventBusName: 'platform',
      pattern: { source: ['mentoring.matching'] },
      target: { id: 'never-answers', invoke: () => new Promise<void>(() => {}) },
    });
    first.putEvents([entry()]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // No close(): the process "dies" with the delivery still pending.
    buses.splice(buses.indexOf(first), 1);

    const second = newBus({ dataDir });
    expect(second.listRecentEvents()[0]?.deliveries[0]?.status).toBe('interrupted');
  });

  it('saves recent events in one write per interval rather than at every event, and everything at close', async () => {
    const dataDir = tempDir();
    const saved = () => {
      const file = join(dataDir, 'recent-events.json');
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown[]).length : 0;
    };
    const bus = newBus({ dataDir, saveRecentEventsEveryMs: 50 });
    bus.putEvents([entry()]);
    bus.putEvents([entry()]);
    expect(saved()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(saved()).toBe(2);
    bus.putEvents([entry()]);
    await bus.close();
    expect(saved()).toBe(3);
  });

  it('starts empty when the data files are missing or unreadable', async () => {
    const dataDir = tempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dataDir, 'dead-letters.json'), '{ not json');
    const bus = newBus({ dataDir });
    expect(bus.listDeadLetters()).toEqual([]);
    expect(bus.listRecentEvents()).toEqual([]);
  });
});
