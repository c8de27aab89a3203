/**
 * The one retry helper of the platform. Optimistic writes retry at once (each attempt re-reads
 * and re-decides on fresh data); throttles, transaction conflicts and partial batches back off.
 */

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface Backoff {
  /** The pause before the first retry; it doubles on each one. */
  baseMs: number;
  maxMs: number;
  /** Spread the pauses (0.5-1.5x) so writers that collided do not collide again in step. */
  jitter?: boolean;
}

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  /** Which failures are worth another try (default: none, so only `retryRemaining` retries). */
  retryable?: (error: unknown) => boolean;
  /** No pause between tries when absent. */
  backoff?: Backoff;
  /** Injected in tests so nothing waits for real. */
  sleep?: (ms: number) => Promise<void>;
}

/** The pause before retry number `retry` (1 for the first retry). */
export const backoffDelay = (retry: number, backoff: Backoff, random: () => number = Math.random): number => {
  const delay = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (retry - 1));
  return backoff.jitter ? delay * (0.5 + random()) : delay;
};

const pauseBefore = async (retry: number, options: RetryOptions) => {
  if (options.backoff) await (options.sleep ?? sleep)(backoffDelay(retry, options.backoff));
};

/** Runs `work` again while it fails with an error `retryable` accepts, up to `attempts` tries in all. */
export const retry = async <T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) await pauseBefore(attempt - 1, options);
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt >= options.attempts || !options.retryable?.(error)) throw error;
    }
  }
};

/**
 * For calls that succeed in part (BatchGetItem's unprocessed keys, BatchWriteItem's unprocessed
 * items, PutEvents' failed entries): sends what is left until nothing is, up to `attempts`
 * sends. Returns what was still left after the last one (empty when everything went through).
 */
export const retryRemaining = async <T>(
  items: readonly T[],
  send: (pending: readonly T[]) => Promise<readonly T[]>,
  options: Omit<RetryOptions, 'retryable'>,
): Promise<T[]> => {
  let pending: readonly T[] = items;
  for (let attempt = 1; attempt <= options.attempts && pending.length > 0; attempt++) {
    if (attempt > 1) await pauseBefore(attempt - 1, options);
    pending = await send(pending);
  }
  return [...pending];
};
