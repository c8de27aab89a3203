/**
 * Webhook deliveries on the local EventBridge, set up with the real `@aws-sdk/client-eventbridge`
 * through the escalation service's adapter (exactly as in AWS), delivering to an HTTPS receiver:
 * the department's events only, with the connection's credentials, retried when the receiver is
 * down, dead-lettered when it stays down or refuses, kept across a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeConnectionCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEventBridgeWebhooks } from '../../services/escalation/adapters/webhook-deliveries';
import { receiverCertificate, startWebhookReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../environment';
import { createApiDestinations } from './api-destinations';
import { LocalEventBus } from './local-bus';
import { type EventBridgeServer, startEventBridgeServer } from './server';

const BUS = 'mentoring-platform';
const settings = { eventBusName: BUS, roleArn: 'arn:aws:iam::000000000000:role/webhooks' };

const startBus = async (dataDir: string) => {
  const bus = new LocalEventBus({ eventBusNames: [BUS], retry: { maxAttempts: 3, baseDelayMs: 5 } });
  const apiDestinations = createApiDestinations({
    bus,
    region: LOCAL_REGION,
    account: '000000000000',
    dataFile: join(dataDir, 'api-destinations.json'),
    trustedCertificates: [receiverCertificate],
  });
  const server = await startEventBridgeServer({ bus, apiDestinations });
  const client = new EventBridgeClient({ endpoint: server.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  return { bus, server, client };
};

const escalationEvent = (departmentId: string, escalationId: string) => ({
  EventBusName: BUS,
  Source: 'mentoring.escalation',
  DetailType: 'Escalation.Routed',
  Detail: JSON.stringify({ metadata: { id: escalationId, version: 1 }, data: { escalationId, departmentId } }),
});

describe('webhook deliveries on the local EventBridge', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'api-destinations-'));
  let receiver: WebhookReceiver;
  let bus: LocalEventBus;
  let server: EventBridgeServer;
  let client: EventBridgeClient;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    ({ bus, server, client } = await startBus(dataDir));
  });
  afterEach(() => {
    receiver.received.length = 0;
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
    await bus.close();
    await receiver.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const put = async (...entries: ReturnType<typeof escalationEvent>[]) => {
    const result = await client.send(new PutEventsCommand({ Entries: entries }));
    expect(result.FailedEntryCount).toBe(0);
    await bus.whenIdle();
  };

  it('POSTs each of the department’s events, as EventBridge builds it, with the API key header', async () => {
    const webhooks = createEventBridgeWebhooks(client, settings);
    await webhooks.configure('it', {
      url: receiver.url,
      auth: { kind: 'api-key', headerName: 'X-Api-Key', value: 'k-1' },
    });
    await webhooks.configure('it', {
      url: receiver.url,
      auth: { kind: 'api-key', headerName: 'X-Api-Key', value: 'k-1' },
    });
    await put(escalationEvent('it', 'esc-1'), escalationEvent('hr', 'esc-2'));
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request).toMatchObject({ method: 'POST', path: '/rest/webhooks/escalations' });
    expect(request?.headers['x-api-key']).toBe('k-1');
    expect(request?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({
      source: 'mentoring.escalation',
      'detail-type': 'Escalation.Routed',
      detail: { data: { escalationId: 'esc-1', departmentId: 'it' } },
    });
    // The secret is never given back.
    const described = await client.send(new DescribeConnectionCommand({ Name: 'escalation-webhook-it' }));
    expect(JSON.stringify(described)).not.toContain('k-1');
  });

  it('switches to new credentials and endpoint, or keeps the credentials when none are given', async () => {
    const webhooks = createEventBridgeWebhooks(client, settings);
    await webhooks.configure('it', { url: receiver.url, auth: { kind: 'basic', username: 'bot', password: 'pw' } });
    await webhooks.configure('it', { url: `${receiver.url}/v2` });
    await put(escalationEvent('it', 'esc-3'));
    expect(receiver.received[0]?.path).toBe('/rest/webhooks/escalations/v2');
    expect(receiver.received[0]?.headers.authorization).toBe(`Basic ${Buffer.from('bot:pw').toString('base64')}`);
  });

  it('retries while the receiver fails, then dead-letters; a refusal (400) is dead-lettered at once', async () => {
    receiver.answerNext(503, 503);
    await put(escalationEvent('it', 'esc-4'));
    expect(receiver.received).toHaveLength(3);
    expect(bus.listDeadLetters()).toHaveLength(0);
    receiver.received.length = 0;
    receiver.answerNext(503, 503, 503);
    await put(escalationEvent('it', 'esc-5'));
    expect(receiver.received).toHaveLength(3);
    receiver.received.length = 0;
    receiver.answerNext(400);
    await put(escalationEvent('it', 'esc-6'));
    expect(receiver.received).toHaveLength(1);
    const letters = bus.listDeadLetters().map((letter) => [letter.ruleName, letter.attempts, letter.lastError]);
    expect(letters).toEqual([
      ['escalation-webhook-it', 1, `${receiver.url}/v2 answered 400`],
      ['escalation-webhook-it', 3, `${receiver.url}/v2 answered 503`],
    ]);
  });

  it('delivers nothing once removed, and refuses targets that are not API destinations', async () => {
    const webhooks = createEventBridgeWebhooks(client, settings);
    await webhooks.configure('hr', { url: receiver.url, auth: { kind: 'api-key', headerName: 'X-Key', value: 'h' } });
    await webhooks.configure('hr', null);
    await webhooks.configure('hr', null);
    await put(escalationEvent('hr', 'esc-7'));
    expect(receiver.received).toHaveLength(0);
    const refused = await client.send(
      new PutTargetsCommand({
        Rule: 'escalation-webhook-it',
        EventBusName: BUS,
        Targets: [{ Id: 'tracker', Arn: 'arn:aws:lambda:eu-west-1:000000000000:function:x' }],
      }),
    );
    expect(refused.FailedEntryCount).toBe(1);
  });

  it('keeps every webhook across a restart', async () => {
    client.destroy();
    await server.close();
    await bus.close();
    ({ bus, server, client } = await startBus(dataDir));
    await put(escalationEvent('it', 'esc-8'));
    expect(receiver.received.map((request) => JSON.parse(request.body).detail.data.escalationId)).toEqual(['esc-8']);
  });
});
