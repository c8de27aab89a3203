/**
 * The one place the platform meets the local EventBridge (local/eventbridge/): the platform's
 * bus with its PutEvents server, a rule per declared subscription (its target invokes the
 * function; a function error makes the bus retry and then dead-letter), and the views the
 * developer page needs.
 */
import { join } from 'node:path';
import type { EventPattern } from '../shared/declaration';
import type { BusEventView, DeadLetterView } from './dev-view';
import { LOCAL_ACCOUNT_ID, LOCAL_EVENT_BUS_NAME, LOCAL_REGION } from './environment';
import { createApiDestinations } from './eventbridge/api-destinations';
import { type EventBridgeEvent, LocalEventBus } from './eventbridge/local-bus';
import { startEventBridgeServer } from './eventbridge/server';

export interface PlatformBusOptions {
  /** Where the bus keeps its recent events and dead letters across restarts. */
  dataDir?: string;
  port: number;
  host: string;
  /**
   * Attempts per rule delivery: 3 by default, as in AWS, where a throwing function invoked
   * asynchronously is retried twice by Lambda (ASYNC_INVOKE_RETRY_ATTEMPTS in infra) before
   * its event goes to the dead-letter queue.
   */
  delivery?: { maxAttempts?: number; baseBackoffMs?: number };
  /** Extra certificate authorities API destinations trust (a test receiver's self-signed certificate). */
  trustedCertificates?: readonly string[];
}

export interface PlatformBus {
  bus: LocalEventBus;
  /** The PutEvents endpoint (`AWS_ENDPOINT_URL_EVENTBRIDGE`). */
  endpoint: string;
  addRule(rule: { name: string; pattern: EventPattern; invoke: (event: EventBridgeEvent) => Promise<void> }): void;
  events(): BusEventView[];
  deadLetters(): DeadLetterView[];
  redrive(id: string): Promise<boolean>;
  whenIdle(): Promise<void>;
  stop(): Promise<void>;
}

export const startPlatformBus = async (options: PlatformBusOptions): Promise<PlatformBus> => {
  const bus = new LocalEventBus({
    region: LOCAL_REGION,
    account: LOCAL_ACCOUNT_ID,
    eventBusNames: [LOCAL_EVENT_BUS_NAME],
    retry: {
      maxAttempts: options.delivery?.maxAttempts ?? 3,
      baseDelayMs: options.delivery?.baseBackoffMs ?? 200,
    },
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  // Webhook deliveries functions set up at run time: kept beside the bus's own data.
  const apiDestinations = createApiDestinations({
    bus,
    region: LOCAL_REGION,
    account: LOCAL_ACCOUNT_ID,
    ...(options.dataDir ? { dataFile: join(options.dataDir, 'api-destinations.json') } : {}),
    ...(options.trustedCertificates ? { trustedCertificates: options.trustedCertificates } : {}),
  });
  const server = await startEventBridgeServer({ bus, port: options.port, host: options.host, apiDestinations });

  return {
    bus,
    endpoint: server.url,
    addRule: ({ name, pattern, invoke }) =>
      bus.addRule({ name, eventBusName: LOCAL_EVENT_BUS_NAME, pattern, target: { id: name, invoke } }),
    events: () =>
      bus.listRecentEvents().map((record) => ({
        id: record.event.id,
        time: record.event.time,
        source: record.event.source,
        detailType: record.event['detail-type'],
        detail: record.event.detail,
        deliveries: record.deliveries.map((delivery) => ({
          rule: delivery.ruleName,
          status: delivery.status,
          attempts: delivery.attempts,
          ...(delivery.lastError ? { error: delivery.lastError } : {}),
        })),
        ...(record.droppedReason ? { droppedReason: record.droppedReason } : {}),
      })),
    deadLetters: () =>
      bus.listDeadLetters().map((letter) => ({
        id: letter.id,
        kind: 'rule' as const,
        origin: letter.ruleName,
        error: letter.lastError,
        failedAt: letter.failedAt,
        redrivable: true,
        payload: letter.event,
      })),
    redrive: (id) => bus.redriveDeadLetter(id),
    whenIdle: () => bus.whenIdle(),
    stop: async () => {
      await server.close();
      await bus.close();
    },
  };
};
