/**
 * The local platform wired from fixture declarations: routes, bus rules with retries and dead
 * letters, outbox relay, schedules on demand, the developer view.
 */

import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/environment';
import { fixtureServices } from '../support/fixtures/declarations';
import { startTestPlatform, type TestPlatform } from '../support/platform';

describe('local platform built from declarations (fixtures)', () => {
  let platform: TestPlatform;
  let eventBridge: EventBridgeClient;

  beforeAll(async () => {
    platform = await startTestPlatform({ services: fixtureServices, delivery: { maxAttempts: 3, baseBackoffMs: 20 } });
    eventBridge = new EventBridgeClient({
      endpoint: platform.urls.eventBridge,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  });
  afterAll(async () => {
    eventBridge.destroy();
    await platform.stop();
  });

  const received = async (id: string) => {
    const { Item } = await platform.dynamodb.send(
      new GetItemCommand({
        TableName: platform.tables.alpha,
        Key: { pk: { S: `RECEIVED#${id}` }, sk: { S: 'EVENT' } },
      }),
    );
    return Item;
  };

  const publish = (id: string, data: Record<string, unknown>) =>
    eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'mentoring-platform',
            Source: 'fixture.source',
            DetailType: 'Fixture.Happened',
            Detail: JSON.stringify({ metadata: { id }, data }),
          },
        ],
      }),
    );

  it('serves the declared routes behind the JWT authorizer', async () => {
    expect((await platform.api('/items/1', { token: null })).status).toBe(401);
    const response = await platform.api('/items/1', { as: { sub: 'p-1', groups: ['employee'] } });
    expect(response.status).toBe(200);
    const { event } = (await response.json()) as {
      event: { requestContext: { authorizer: { jwt: { claims: Record<string, string> } } } };
    };
    expect(event.requestContext.authorizer.jwt.claims['cognito:groups']).toBe('[employee]');

    const discovery = await fetch(platform.urls.openIdConfiguration);
    expect(await discovery.json()).toMatchObject({ issuer: platform.urls.issuer, jwks_uri: platform.urls.jwks });
    expect(((await (await fetch(platform.urls.jwks)).json()) as { keys: unknown[] }).keys).toHaveLength(1);
  });

  it('delivers bus events to the subscribed function through PutEvents', async () => {
    const sent = await publish('evt-ok', { hello: 'world' });
    expect(sent.FailedEntryCount).toBe(0);
    await platform.whenIdle();
    const item = await received('evt-ok');
    const event = JSON.parse(item?.event?.S ?? '{}');
    expect(event).toMatchObject({
      source: 'fixture.source',
      'detail-type': 'Fixture.Happened',
      detail: { metadata: { id: 'evt-ok' }, data: { hello: 'world' } },
    });
  });

  it('retries a failing target, dead-letters it, and redrives it from the developer view', async () => {
    await publish('evt-flaky', { failTimes: 1 });
    await publish('evt-poison', { fail: true });
    await platform.whenIdle();

    expect((await received('evt-flaky'))?.attempts?.N).toBe('2');
    expect((await received('evt-poison'))?.attempts?.N).toBe('3');
    const { deadLetters } = (await (await fetch(`${platform.urls.devView}/dead-letters`)).json()) as {
      deadLetters: { id: string; kind: string; redrivable: boolean; error: string }[];
    };
    const letter = deadLetters.find((candidate) => candidate.kind === 'rule');
    expect(letter).toMatchObject({ redrivable: true, error: expect.stringContaining('refused event evt-poison') });

    const redrive = await fetch(
      `${platform.urls.devView}/dead-letters/${encodeURIComponent(letter?.id ?? '')}/redrive`,
      {
        method: 'POST',
      },
    );
    expect(redrive.status).toBe(202);
    await platform.whenIdle();
    expect(Number((await received('evt-poison'))?.attempts?.N)).toBeGreaterThan(3);

    const { events } = (await (await fetch(`${platform.urls.devView}/events`)).json()) as {
      events: { detailType: string; deliveries: { rule: string; status: string }[] }[];
    };
    expect(events.some((event) => event.deliveries.some((delivery) => delivery.rule === 'alpha-fixture-events'))).toBe(
      true,
    );
  });

  it('relays outbox items written to the table', async () => {
    await platform.dynamodb.send(
      new PutItemCommand({ TableName: platform.tables.alpha, Item: { pk: { S: 'OUTBOX#e2e' }, sk: { S: 'EVENT' } } }),
    );
    await platform.whenIdle();
    const recent = platform.functions.recentInvocations().filter((entry) => entry.functionKey === 'alpha-relay');
    expect(recent.length).toBeGreaterThan(0);
  });

  it('runs a schedule on demand with the Scheduler payload', async () => {
    const response = await fetch(`${platform.urls.devView}/schedules/alpha/nightly/run`, { method: 'POST' });
    expect(response.status).toBe(200);
    const scheduled = platform.scheduler.schedules().find((schedule) => schedule.name === 'nightly');
    expect(scheduled?.lastFiredAt).toBeTruthy();
    expect((await fetch(`${platform.urls.devView}/schedules/alpha/missing/run`, { method: 'POST' })).status).toBe(404);
  });

  it('shows it all on the developer page', async () => {
    const page = await fetch(platform.urls.devView);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('local developer view');
  });
});
