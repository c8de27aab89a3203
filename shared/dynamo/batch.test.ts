/** Unprocessed keys and items (DynamoDB's answer when throttled), with a client that plays them back. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { batchDelete, batchGet, batchPut, UnprocessedItemsError } from './batch';

const noWait = { sleep: async () => undefined };

/** A document client whose answers are scripted, recording what was sent. */
const scriptedClient = (answers: ((input: Record<string, unknown>) => unknown)[]) => {
  const sent: Record<string, unknown>[] = [];
  const client = {
    send: async (command: { input: Record<string, unknown> }) => {
      sent.push(command.input);
      const answer = answers.shift();
      if (!answer) throw new Error('no scripted answer left');
      return answer(command.input);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, sent };
};

describe('batchGet', () => {
  it('asks again for the unprocessed keys only, and returns every item', async () => {
    const keys = [
      { pk: 'A', sk: '1' },
      { pk: 'B', sk: '1' },
      { pk: 'A', sk: '1' },
    ];
    const { client, sent } = scriptedClient([
      () => ({ Responses: { t: [{ pk: 'A', sk: '1' }] }, UnprocessedKeys: { t: { Keys: [{ pk: 'B', sk: '1' }] } } }),
      () => ({ Responses: { t: [{ pk: 'B', sk: '1' }] } }),
    ]);
    const items = await batchGet(client, 't', keys, true, noWait);
    expect(items).toHaveLength(2);
    const keysSent = sent.map((input) => (input.RequestItems as { t: { Keys: unknown[] } }).t.Keys);
    expect(keysSent[0]).toHaveLength(2);
    expect(keysSent[1]).toEqual([{ pk: 'B', sk: '1' }]);
  });

  it('gives up with UnprocessedItemsError when DynamoDB keeps refusing', async () => {
    const stuck = () => ({ Responses: { t: [] }, UnprocessedKeys: { t: { Keys: [{ pk: 'A', sk: '1' }] } } });
    const { client, sent } = scriptedClient(Array.from({ length: 10 }, () => stuck));
    await expect(batchGet(client, 't', [{ pk: 'A', sk: '1' }], false, noWait)).rejects.toBeInstanceOf(
      UnprocessedItemsError,
    );
    expect(sent).toHaveLength(10);
  });
});

describe('batchPut', () => {
  it('writes in groups of 25 and resends the unprocessed items', async () => {
    const items = Array.from({ length: 30 }, (_, index) => ({ pk: `P${index}`, sk: 'S' }));
    const { client, sent } = scriptedClient([
      (input) => {
        const [first] = (input.RequestItems as { t: unknown[] }).t;
        return { UnprocessedItems: { t: [first] } };
      },
      () => ({}),
      () => ({}),
    ]);
    await batchPut(client, 't', items, noWait);
    expect(sent.map((input) => (input.RequestItems as { t: unknown[] }).t.length)).toEqual([25, 1, 5]);
  });
});

describe('batchDelete', () => {
  it('deletes each key once, in groups of 25, resending the unprocessed deletes', async () => {
    const keys = [...Array.from({ length: 26 }, (_, index) => ({ pk: `P${index}`, sk: 'S' })), { pk: 'P0', sk: 'S' }];
    const { client, sent } = scriptedClient([
      (input) => {
        const [first] = (input.RequestItems as { t: unknown[] }).t;
        return { UnprocessedItems: { t: [first] } };
      },
      () => ({}),
      () => ({}),
    ]);
    await batchDelete(client, 't', keys, noWait);
    const requests = sent.map((input) => (input.RequestItems as { t: { DeleteRequest: { Key: unknown } }[] }).t);
    expect(requests.map((group) => group.length)).toEqual([25, 1, 1]);
    expect(requests[1]?.[0]).toEqual({ DeleteRequest: { Key: { pk: 'P0', sk: 'S' } } });
  });
});
