/**
 * What end-to-end tests read back from a running platform: the developer view's JSON (bus
 * events with their rule deliveries, dead letters) and a real EventBridge client for it.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { expect, vi } from 'vitest';
import type { BusEventView, DeadLetterView } from '../../local/dev-view';
import { LOCAL_CREDENTIALS, LOCAL_EVENT_BUS_NAME, LOCAL_REGION } from '../../local/environment';
import type { TestPlatform } from '../support/platform';

export const busEvents = async (platform: TestPlatform): Promise<BusEventView[]> => {
  const response = await fetch(`${platform.urls.devView}/events`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { events: BusEventView[] }).events;
};

export const deadLetters = async (platform: TestPlatform): Promise<DeadLetterView[]> => {
  const response = await fetch(`${platform.urls.devView}/dead-letters`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { deadLetters: DeadLetterView[] }).deadLetters;
};

/** The envelope of a bus event (every event on this platform carries one). */
export interface EnvelopeView {
  metadata: { id: string; correlationId: string; service: string; version: number };
  data: Record<string, unknown>;
}
export const envelopeOf = (event: BusEventView): EnvelopeView => event.detail as EnvelopeView;

/** The people events (`mentoring.matching` `Person.*`) on the bus about one person, oldest first. */
export const personEvents = async (platform: TestPlatform, personId: string): Promise<BusEventView[]> =>
  (await busEvents(platform))
    .filter((event) => event.source === 'mentoring.matching' && event.detailType.startsWith('Person.'))
    .filter((event) => {
      const data = envelopeOf(event).data as { personId?: string; person?: { personId?: string } };
      return (data.personId ?? data.person?.personId) === personId;
    })
    .reverse();

/**
 * Waits for the platform to go quiet, then polls `check` until it passes: on a loaded
 * machine a stream record can surface a moment after a pass that found nothing.
 */
export const eventually = async <T>(platform: TestPlatform, check: () => Promise<T>, timeout = 20_000): Promise<T> => {
  await platform.whenIdle();
  return vi.waitFor(check, { timeout, interval: 100 });
};

/** A real EventBridge client on the platform's PutEvents endpoint. */
export const eventBridgeClientOf = (platform: TestPlatform) =>
  new EventBridgeClient({ endpoint: platform.urls.eventBridge, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

/** PutEvents of one entry on the platform bus, expected to be accepted. */
export const putOnBus = async (
  client: EventBridgeClient,
  entry: { source: string; detailType: string; detail: unknown },
): Promise<void> => {
  const result = await client.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: LOCAL_EVENT_BUS_NAME,
          Source: entry.source,
          DetailType: entry.detailType,
          Detail: JSON.stringify(entry.detail),
        },
      ],
    }),
  );
  expect(result.FailedEntryCount).toBe(0);
};
