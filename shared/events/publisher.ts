import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { retryRemaining } from '../retry';

export interface BusEntry {
  source: string;
  detailType: string;
  /** JSON string of the envelope `{ metadata, data }`. */
  detail: string;
}

export interface FailedEntry {
  index: number;
  errorCode: string;
  errorMessage: string;
}

export interface PublishOptions {
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** PutEvents takes at most 10 entries and 256 KB per call. */
const MAX_ENTRIES_PER_CALL = 10;
const MAX_BYTES_PER_CALL = 256 * 1024;

const entrySize = (entry: BusEntry): number =>
  Buffer.byteLength(entry.source) + Buffer.byteLength(entry.detailType) + Buffer.byteLength(entry.detail);

const callsOf = (indexes: readonly number[], entries: readonly BusEntry[]): number[][] => {
  const chunks: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const index of indexes) {
    const size = entrySize(entries[index] as BusEntry);
    if (current.length === MAX_ENTRIES_PER_CALL || (current.length > 0 && bytes + size > MAX_BYTES_PER_CALL)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};

/**
 * Publishes entries, retrying exactly the entries PutEvents reports as failed (a partial
 * failure still answers 200). Returns the entries that failed every attempt; the caller
 * decides what that means (the outbox relay reports them as batch item failures).
 */
export const publishEntries = async (
  client: EventBridgeClient,
  eventBusName: string,
  entries: readonly BusEntry[],
  options: PublishOptions = {},
): Promise<FailedEntry[]> => {
  const { maxAttempts = 4, baseDelayMs = 100, sleep } = options;
  let failures = new Map<number, FailedEntry>();
  const send = async (pending: readonly number[]) => {
    failures = new Map();
    for (const call of callsOf(pending, entries)) {
      const request: PutEventsRequestEntry[] = call.map((index) => {
        const entry = entries[index] as BusEntry;
        return { EventBusName: eventBusName, Source: entry.source, DetailType: entry.detailType, Detail: entry.detail };
      });
      try {
        const response = await client.send(new PutEventsCommand({ Entries: request }));
        (response.Entries ?? []).forEach((result, position) => {
          const index = call[position] as number;
          if (result.ErrorCode) {
            failures.set(index, { index, errorCode: result.ErrorCode, errorMessage: result.ErrorMessage ?? '' });
          }
        });
      } catch (error) {
        // The whole call failed (after the SDK's own retries): every entry in it is retried.
        for (const index of call) {
          failures.set(index, { index, errorCode: (error as Error).name, errorMessage: (error as Error).message });
        }
      }
    }
    return [...failures.keys()];
  };
  await retryRemaining(
    entries.map((_, index) => index),
    send,
    { attempts: maxAttempts, backoff: { baseMs: baseDelayMs, maxMs: 30_000 }, ...(sleep ? { sleep } : {}) },
  );
  return [...failures.values()];
};
