/**
 * The local platform with the real service declarations and handlers: the people API behind
 * the JWT authorizer, the outbox relayed to the bus, HR events consumed from the bus, the demo
 * seed, persistence across a restart, and --reset.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/environment';
import { demoRoster, seedDemo } from '../../local/seed/demo';
import { personBody, testDomains } from '../builders/people';
import { uniqueName } from '../support/dynamodb';
import { startTestPlatform, type TestPlatform } from '../support/platform';

const admin = { sub: 'admin-1', groups: ['admin', 'employee'] };

describe('local platform with the real services', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'platform-services-'));
  const tablePrefix = uniqueName('services');
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startTestPlatform({ dataDir, tablePrefix });
    expect((await platform.api('/domains', { method: 'PUT', as: admin, json: { domains: testDomains } })).status).toBe(
      200,
    );
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves health and the OpenAPI document without a token', async () => {
    const health = await platform.api('/health', { token: null });
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const openApi = await platform.api('/openapi.json', { token: null });
    expect(((await openApi.json()) as { paths: Record<string, unknown> }).paths).toHaveProperty('/people/{personId}');
  });

  it('writes a person through the API and relays Person.Registered to the bus', async () => {
    const created = await platform.api('/people/ada', { method: 'PUT', as: admin, json: personBody() });
    expect(created.status).toBe(201);

    expect((await platform.api('/people/ada', { as: { sub: 'ada', groups: ['employee'] } })).status).toBe(200);
    expect((await platform.api('/people/ada', { as: { sub: 'bob', groups: ['employee'] } })).status).toBe(404);
    expect((await platform.api('/people', { as: { sub: 'bob', groups: ['employee'] } })).status).toBe(403);
    expect((await platform.api('/people/ada', { token: null })).status).toBe(401);

    await platform.whenIdle();
    const { events } = (await (await fetch(`${platform.urls.devView}/events`)).json()) as {
      events: { source: string; detailType: string; detail: { data: { personId?: string } } }[];
    };
    expect(events).toContainEqual(
      expect.objectContaining({ source: 'mentoring.matching', detailType: 'Person.Registered' }),
    );
  });

  it('applies HR directory events sent to the bus', async () => {
    const eventBridge = new EventBridgeClient({
      endpoint: platform.urls.eventBridge,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const result = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'mentoring-platform',
            Source: 'hr.directory',
            DetailType: 'Employee.Joined',
            Detail: JSON.stringify({
              metadata: {
                id: 'hr-1',
                version: 1,
                occurredAt: new Date().toISOString(),
                correlationId: 'c-1',
                service: 'hr.directory',
              },
              data: {
                employee: {
                  employeeId: 'grace',
                  name: 'Grace Hopper',
                  email: 'grace@example.com',
                  timezone: 'America/New_York',
                  domain: 'backend',
                  level: 8,
                },
              },
            }),
          },
        ],
      }),
    );
    eventBridge.destroy();
    expect(result.FailedEntryCount).toBe(0);
    await platform.whenIdle();
    const grace = await platform.api('/people/grace', { as: admin });
    expect(grace.status).toBe(200);
    expect(await grace.json()).toMatchObject({ name: 'Grace Hopper', level: 8 });
  });

  it('seeds the demo organisation through the API, idempotently', async () => {
    const token = await platform.mintToken(admin);
    const first = await seedDemo(platform.urls.api, token);
    expect(first).toMatchObject({ created: demoRoster().length, rejected: 0 });
    // Two leave, HR moves someone to another domain; seeding again changes none of it.
    for (const personId of ['p-026', 'p-030']) {
      expect((await platform.api(`/people/${personId}`, { method: 'DELETE', as: admin })).status).toBe(204);
    }
    const moved = (await (await platform.api('/people/p-027', { as: admin })).json()) as { domain: string };
    const newDomain = moved.domain === 'data' ? 'design' : 'data';
    const put = await platform.api('/people/p-027', {
      method: 'PUT',
      as: admin,
      json: { ...moved, domain: newDomain },
    });
    expect(put.status).toBe(200);
    const again = await seedDemo(platform.urls.api, token);
    expect(again).toMatchObject({ importId: first.importId, resubmitted: true });
    for (const personId of ['p-026', 'p-030']) {
      expect(await (await platform.api(`/people/${personId}`, { as: admin })).json()).toMatchObject({
        status: 'offboarded',
      });
    }
    expect(await (await platform.api('/people/p-027', { as: admin })).json()).toMatchObject({ domain: newDomain });
    // Two imports of the whole demo roster through the import job: ~15 s on a quiet machine, twice that
    // and more on a busy one, where the default 30 s once ran out.
  }, 90_000);

  it('keeps data, bus history and the issuer key across a restart, and --reset wipes them', async () => {
    const port = Number(new URL(platform.urls.api).port);
    const token = await platform.mintToken(admin);
    await platform.stop();

    platform = await startTestPlatform({ dataDir, tablePrefix, ports: { http: port } });
    const after = await platform.api('/people/ada', { token });
    expect(after.status).toBe(200);

    await platform.stop();
    platform = await startTestPlatform({ dataDir, tablePrefix, ports: { http: port }, reset: true });
    // A new issuer key: the old token is refused; the tables were recreated empty.
    expect((await platform.api('/people/ada', { token })).status).toBe(401);
    expect((await platform.api('/people/ada', { as: admin })).status).toBe(404);
  });
});
