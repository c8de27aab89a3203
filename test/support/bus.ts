/**
 * A local EventBridge for adapter tests: the platform's bus (named as in the platform), its
 * PutEvents server on a free port, and a real EventBridgeClient pointed at it.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LOCAL_CREDENTIALS, LOCAL_EVENT_BUS_NAME, LOCAL_REGION } from '../../local/environment';
import { LocalEventBus, type LocalEventBusOptions } from '../../local/eventbridge/local-bus';
import { startEventBridgeServer } from '../../local/eventbridge/server';

export interface TestBus {
  bus: LocalEventBus;
  /** `http://127.0.0.1:<port>`: the endpoint for EventBridgeClient / AWS_ENDPOINT_URL_EVENTBRIDGE. */
  endpoint: string;
  client: EventBridgeClient;
  eventBusName: string;
  stop(): Promise<void>;
}

/** Fast retries by default, so a failing target dead-letters within milliseconds. */
export const startTestBus = async (options: LocalEventBusOptions = {}): Promise<TestBus> => {
  const bus = new LocalEventBus({
    eventBusNames: [LOCAL_EVENT_BUS_NAME],
    ...options,
    retry: { maxAttempts: 3, baseDelayMs: 5, ...options.retry },
  });
  const server = await startEventBridgeServer({ bus, port: 0 });
  const client = new EventBridgeClient({ endpoint: server.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  return {
    bus,
    endpoint: server.url,
    client,
    eventBusName: LOCAL_EVENT_BUS_NAME,
    stop: async () => {
      client.destroy();
      await server.close();
      await bus.close();
    },
  };
};
