import { PutEventsCommand, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBridgeEvent } from '../../local/eventbridge/local-bus';
import { startTestBus, type TestBus } from '../support/bus';

describe('test/support startTestBus', () => {
  let testBus: TestBus;
  const received: EventBridgeEvent[] = [];

  beforeAll(async () => {
    testBus = await startTestBus();
    testBus.bus.addRule({
      name: 'people',
      eventBusName: testBus.eventBusName,
      pattern: { source: ['mentoring.matching'] },
      target: { id: 'recorder', invoke: async (event) => void received.push(event) },
    });
  });
  afterAll(() => testBus.stop());

  it('takes PutEvents from the real SDK client and delivers to matching rules', async () => {
    const result = await testBus.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: testBus.eventBusName,
            Source: 'mentoring.matching',
            DetailType: 'Person.Registered',
            Detail: '{"a":1}',
          },
          { EventBusName: testBus.eventBusName, Source: 'elsewhere', DetailType: 'Other', Detail: '{}' },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(0);
    await testBus.bus.whenIdle();
    expect(received.map((event) => event['detail-type'])).toEqual(['Person.Registered']);

    const test = await testBus.client.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify({ source: ['mentoring.matching'] }),
        Event: JSON.stringify({ ...received[0] }),
      }),
    );
    expect(test.Result).toBe(true);
  });
});
