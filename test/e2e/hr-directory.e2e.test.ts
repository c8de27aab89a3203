/**
 * HR directory events through the local platform: PutEvents (real SDK) on the platform bus,
 * the rule declared by the matching service's subscription, the real hr-directory consumer
 * in its worker, DynamoDB Local, and the outbox relayed back to the bus. Poison events are
 * retried and end as dead letters.
 */

import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEventView } from '../../local/dev-view';
import { matchingService } from '../../services/matching/declaration';
import { EmployeeJoinedV1, EmployeeLeftV1, EmployeeUpdatedV1 } from '../../shared/contracts/hr-directory-events';
import { testDomains } from '../builders/people';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import {
  busEvents,
  deadLetters,
  envelopeOf,
  eventBridgeClientOf,
  eventually,
  personEvents,
  putOnBus,
} from './dev-view';

const RULE = 'matching-hr-directory-changes';
const CONSUMER = 'matching-hr-directory-consumer';
/** For tests that start a function: tsx compiles it in its worker, slow on a loaded machine. */
const coldStart = { timeout: 90_000 };

const employee = (employeeId: string, overrides: Record<string, unknown> = {}) => ({
  employeeId,
  name: 'Grace Hopper',
  email: `${employeeId}@example.com`,
  timezone: 'America/New_York',
  domain: 'backend',
  level: 8,
  ...overrides,
});

let clock = Date.parse('2026-11-24T09:00:00Z');
const nextMinute = () => {
  clock += 60_000;
  return new Date(clock).toISOString();
};
/** An HR event as HR's system would put it on the bus; each happened a minute after the last, unless told when. */
const hrEvent = (
  contract: typeof EmployeeJoinedV1 | typeof EmployeeUpdatedV1 | typeof EmployeeLeftV1,
  id: string,
  data: unknown,
  correlationId = `corr-${id}`,
  occurredAt = nextMinute(),
) => ({
  source: contract.source,
  detailType: contract.detailType,
  detail: {
    metadata: { id, version: 1, occurredAt, correlationId, service: 'hr.directory' },
    data,
  },
});

describe('HR directory events on the local bus reach the matching service', () => {
  let platform: TestPlatform;
  let eventBridge: EventBridgeClient;

  beforeAll(async () => {
    platform = await startTestPlatform({ services: [matchingService] });
    eventBridge = eventBridgeClientOf(platform);
    const admin = { sub: 'admin-1', groups: ['admin', 'employee'] };
    expect((await platform.api('/domains', { method: 'PUT', as: admin, json: { domains: testDomains } })).status).toBe(
      200,
    );
  });
  afterAll(async () => {
    eventBridge?.destroy();
    await platform?.stop();
  });

  const storedItem = async (pk: string, sk: string) => {
    const { Item } = await platform.dynamodb.send(
      new GetItemCommand({
        TableName: platform.tables.matching,
        Key: { pk: { S: pk }, sk: { S: sk } },
        ConsistentRead: true,
      }),
    );
    return Item ? unmarshall(Item) : undefined;
  };
  /** The bus's record of the HR event with this envelope id (newest first). */
  const hrEventRecords = async (id: string) =>
    (await busEvents(platform)).filter(
      (event) => event.source === 'hr.directory' && envelopeOf(event).metadata.id === id,
    );

  it('registers a joiner from Employee.Joined and relays Person.Registered to the bus, once', coldStart, async () => {
    await putOnBus(
      eventBridge,
      hrEvent(EmployeeJoinedV1, 'hr-join-grace', { employee: employee('grace') }, 'hr-corr-7'),
    );

    const person = await eventually(platform, async () => {
      const item = await storedItem('PERSON#grace', 'PROFILE');
      expect(item).toBeDefined();
      return item;
    });
    expect(person).toMatchObject({ name: 'Grace Hopper', level: 8, status: 'active', version: 1, roles: ['employee'] });
    expect(await storedItem('CONSUMED#hr-directory#hr-join-grace', 'MARKER')).toBeDefined();

    const [record] = await hrEventRecords('hr-join-grace');
    expect(record?.deliveries).toEqual([{ rule: RULE, status: 'delivered', attempts: 1 }]);

    const registered = await eventually(platform, async () => {
      const events = await personEvents(platform, 'grace');
      expect(events.map((event) => event.detailType)).toEqual(['Person.Registered']);
      return events[0] as BusEventView;
    });
    expect(envelopeOf(registered)).toMatchObject({
      // The HR event's correlation id travels on to the event it caused.
      metadata: { correlationId: 'hr-corr-7', service: 'matching', version: 1 },
      data: { person: { personId: 'grace', email: 'grace@example.com', domain: 'backend' } },
    });
    // Still once when everything has settled: relayed exactly once.
    await platform.whenIdle();
    expect(await personEvents(platform, 'grace')).toHaveLength(1);
  });

  it('applies a redelivered HR event once, and offboards a leaver with Person.Offboarded', coldStart, async () => {
    await putOnBus(eventBridge, hrEvent(EmployeeJoinedV1, 'hr-join-alan', { employee: employee('alan') }));
    await eventually(platform, async () => expect(await personEvents(platform, 'alan')).toHaveLength(1));

    // The same envelope id again (HR retried): nothing changes, nothing is published.
    await putOnBus(
      eventBridge,
      hrEvent(EmployeeJoinedV1, 'hr-join-alan', { employee: employee('alan', { level: 9 }) }),
    );
    await eventually(platform, async () =>
      expect((await hrEventRecords('hr-join-alan')).map((event) => event.deliveries[0]?.status)).toEqual([
        'delivered',
        'delivered',
      ]),
    );
    expect(await storedItem('PERSON#alan', 'PROFILE')).toMatchObject({ level: 8, version: 1 });

    await putOnBus(eventBridge, hrEvent(EmployeeLeftV1, 'hr-left-alan', { employeeId: 'alan' }));
    const events = await eventually(platform, async () => {
      const found = await personEvents(platform, 'alan');
      expect(found.map((event) => event.detailType)).toEqual(['Person.Registered', 'Person.Offboarded']);
      return found;
    });
    expect(envelopeOf(events[1] as BusEventView).data).toEqual({ personId: 'alan', reason: 'left-company' });
    expect(await storedItem('PERSON#alan', 'PROFILE')).toMatchObject({ status: 'offboarded', version: 2 });
  });

  it('applies HR events by when they happened, not by when they arrive', coldStart, async () => {
    const at = (time: string) => `2026-11-25T${time}:00.000Z`;
    const put = (contract: Parameters<typeof hrEvent>[0], id: string, data: unknown, time: string) =>
      putOnBus(eventBridge, hrEvent(contract, id, data, `corr-${id}`, at(time)));
    const settled = async (ids: string[]) =>
      eventually(platform, async () => {
        for (const id of ids) expect((await hrEventRecords(id))[0]?.deliveries[0]?.status).toBe('delivered');
      });

    // Left (10:05) arrives before Joined (10:00): the person stays gone, and nobody hears of them.
    await put(EmployeeLeftV1, 'ord-left-ida', { employeeId: 'ida' }, '10:05');
    await settled(['ord-left-ida']);
    await put(EmployeeJoinedV1, 'ord-join-ida', { employee: employee('ida') }, '10:00');
    await settled(['ord-join-ida']);
    expect(await storedItem('PERSON#ida', 'PROFILE')).toMatchObject({ status: 'offboarded' });

    // Updated level 5 (11:00) arrives before Joined level 3 (10:00): level 5 stays, one Person.Registered.
    await put(EmployeeUpdatedV1, 'ord-upd-jan', { employee: employee('jan', { level: 5 }) }, '11:00');
    await settled(['ord-upd-jan']);
    await put(EmployeeJoinedV1, 'ord-join-jan', { employee: employee('jan', { level: 3 }) }, '10:00');
    await settled(['ord-join-jan']);
    expect(await storedItem('PERSON#jan', 'PROFILE')).toMatchObject({ status: 'active', level: 5 });

    // A late Updated (12:00) after Left (11:30) does not re-register the leaver.
    await put(EmployeeLeftV1, 'ord-left-jan', { employeeId: 'jan' }, '11:30');
    await settled(['ord-left-jan']);
    await put(EmployeeUpdatedV1, 'ord-upd2-jan', { employee: employee('jan', { level: 6 }) }, '12:00');
    await settled(['ord-upd2-jan']);
    expect(await storedItem('PERSON#jan', 'PROFILE')).toMatchObject({ status: 'offboarded' });

    await platform.whenIdle();
    expect(await personEvents(platform, 'ida')).toEqual([]);
    const jan = await personEvents(platform, 'jan');
    expect(jan.map((event) => event.detailType)).toEqual(['Person.Registered', 'Person.Offboarded']);
    expect(envelopeOf(jan[0] as BusEventView).data).toMatchObject({ person: { level: 5 } });
  });

  it('retries an event that breaks its contract, then dead-letters it, writing nothing', async () => {
    // The rule matches (source, detail-type, version 1), but the data is not an Employee.Joined.
    const poison = hrEvent(EmployeeJoinedV1, 'hr-poison-1', { employee: { employeeId: 'mallory', level: 'senior' } });
    // Valid for the contract, invalid for the directory (no such time zone).
    const unfit = hrEvent(EmployeeJoinedV1, 'hr-unfit-1', { employee: employee('trudy', { timezone: 'Moon/Base' }) });
    // Valid in form, but not one of the programme's domains.
    const astrology = hrEvent(EmployeeJoinedV1, 'hr-unfit-2', { employee: employee('zed', { domain: 'astrology' }) });
    await putOnBus(eventBridge, poison);
    await putOnBus(eventBridge, unfit);
    await putOnBus(eventBridge, astrology);

    const letters = await eventually(platform, async () => {
      const found = (await deadLetters(platform)).filter((letter) => letter.kind === 'rule' && letter.origin === RULE);
      expect(found).toHaveLength(3);
      return found;
    });
    const letterOf = (id: string) =>
      letters.find((letter) => (letter.payload as { detail: { metadata: { id: string } } }).detail.metadata.id === id);
    expect(letterOf('hr-poison-1')).toMatchObject({
      redrivable: true,
      error: expect.stringMatching(/UnacceptableEventError: Invalid Employee\.Joined v1 .*employee\.name/),
      payload: { source: 'hr.directory', 'detail-type': 'Employee.Joined' },
    });
    expect(letterOf('hr-unfit-1')?.error).toMatch(/UnacceptableEventError: HR employee trudy .*timezone/);
    expect(letterOf('hr-unfit-2')?.error).toMatch(/UnacceptableEventError: HR employee zed .*domain.*astrology/);

    // Three attempts each (Lambda's two async retries), all failed invocations of the consumer.
    for (const id of ['hr-poison-1', 'hr-unfit-1', 'hr-unfit-2']) {
      const [record] = await hrEventRecords(id);
      expect(record?.deliveries).toEqual([
        { rule: RULE, status: 'dead-lettered', attempts: 3, error: expect.stringContaining('UnacceptableEventError') },
      ]);
    }
    const failed = platform.functions
      .recentInvocations()
      .filter((invocation) => invocation.functionKey === CONSUMER && !invocation.ok);
    expect(failed).toHaveLength(9);
    expect(failed.every((invocation) => invocation.errorType === 'UnacceptableEventError')).toBe(true);

    expect(await storedItem('PERSON#mallory', 'PROFILE')).toBeUndefined();
    expect(await storedItem('PERSON#trudy', 'PROFILE')).toBeUndefined();
    expect(await personEvents(platform, 'trudy')).toEqual([]);
  });
});
