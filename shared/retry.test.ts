import { describe, expect, it } from 'vitest';
import { forEachLimited } from './concurrency';
import { backoffDelay, retry, retryRemaining } from './retry';

const recordingSleep = () => {
  const pauses: number[] = [];
  return { pauses, sleep: async (ms: number) => void pauses.push(ms) };
};

describe('retry', () => {
  it('tries again only on retryable errors, up to the number of attempts, backing off in between', async () => {
    const { pauses, sleep } = recordingSleep();
    let calls = 0;
    const result = await retry(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('throttled');
        return 'done';
      },
      {
        attempts: 5,
        retryable: (error) => (error as Error).message === 'throttled',
        backoff: { baseMs: 10, maxMs: 15 },
        sleep,
      },
    );
    expect(result).toBe('done');
    expect(pauses).toEqual([10, 15]);

    await expect(
      retry(async () => Promise.reject(new Error('fatal')), { attempts: 5, retryable: () => false }),
    ).rejects.toThrow('fatal');
    let tries = 0;
    await expect(
      retry(
        async () => {
          tries += 1;
          throw new Error('throttled');
        },
        { attempts: 3, retryable: () => true },
      ),
    ).rejects.toThrow('throttled');
    expect(tries).toBe(3);
  });

  it('spreads pauses between half and one and a half times the exponential delay when jittered', () => {
    const backoff = { baseMs: 100, maxMs: 10_000, jitter: true };
    expect(backoffDelay(3, backoff, () => 0)).toBe(200);
    expect(backoffDelay(3, backoff, () => 1)).toBe(600);
    expect(backoffDelay(20, { baseMs: 100, maxMs: 1000 })).toBe(1000);
  });
});

describe('retryRemaining', () => {
  it('sends what is left until nothing is, and returns what is left after the last attempt', async () => {
    const sent: number[][] = [];
    const left = await retryRemaining(
      [1, 2, 3],
      async (pending) => {
        sent.push([...pending]);
        return pending.slice(1);
      },
      { attempts: 2 },
    );
    expect(sent).toEqual([
      [1, 2, 3],
      [2, 3],
    ]);
    expect(left).toEqual([3]);
    expect(await retryRemaining([1], async () => [], { attempts: 3 })).toEqual([]);
  });
});

describe('forEachLimited', () => {
  it('keeps at most `limit` in flight, and starts nothing new after a failure', async () => {
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    const work = async (item: number) => {
      started.push(item);
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight -= 1;
      if (item === 2) throw new Error('item 2 failed');
    };
    await expect(forEachLimited([1, 2, 3, 4, 5, 6, 7, 8], 2, work)).rejects.toThrow('item 2 failed');
    expect(most).toBe(2);
    expect(started.length).toBeLessThan(8);
    expect(inFlight).toBe(0);
  });
});
