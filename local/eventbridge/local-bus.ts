/**
 * An in-process EventBridge: buses, rules with one target each, PutEvents with AWS's per-entry
 * validation, asynchronous delivery with retries and a dead-letter store, and a bounded record
 * of recent events for the developer view. The HTTP face the AWS SDK talks to is server.ts.
 *
 * Delivery is at-least-once and asynchronous as in AWS: putEvents answers before any target
 * runs. Unlike AWS (which retries for up to 24 hours), retries here are few and fast so a
 * failing handler shows up in seconds; `whenIdle()` lets tests wait for every delivery.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import {
  type CompiledEventPattern,
  compileEventPattern,
  type EventPattern,
  parseEventPattern,
} from './pattern-matcher';

/** The event a target receives, exactly as EventBridge builds it from a PutEvents entry. */
export interface EventBridgeEvent<TDetail = Record<string, unknown>> {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO 8601 to the second, `2024-05-01T10:20:30Z`, as AWS writes it. */
  time: string;
  region: string;
  resources: string[];
  detail: TDetail;
}

export interface RuleTarget {
  id: string;
  invoke(event: EventBridgeEvent): Promise<void>;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Wait before the second attempt; doubled for each further attempt. */
  baseDelayMs: number;
  /** Upper bound for one wait. */
  maxDelayMs: number;
}

export interface RuleDefinition {
  name: string;
  /** Defaults to `default`. The bus must exist (see `eventBusNames` / `createEventBus`). */
  eventBusName?: string;
  /** A pattern object or its JSON text; validated like PutRule (InvalidEventPatternError). */
  pattern: EventPattern | string;
  target: RuleTarget;
  retry?: Partial<RetryPolicy>;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'dead-lettered' | 'interrupted';

/** What one rule's target did with one event. */
export interface DeliveryRecord {
  ruleName: string;
  targetId: string;
  status: DeliveryStatus;
  attempts: number;
  lastError?: string;
  deadLetterId?: string;
  updatedAt: string;
}

/** One accepted event, the rules it matched and how each delivery went (developer view). */
export interface RecentEventRecord {
  event: EventBridgeEvent;
  eventBusName: string;
  receivedAt: string;
  /** Set when the event went nowhere although accepted (AWS drops events for unknown buses). */
  droppedReason?: string;
  /** One per matching rule; empty when no rule matched. */
  deliveries: DeliveryRecord[];
}

export interface DeadLetterRecord {
  id: string;
  event: EventBridgeEvent;
  eventBusName: string;
  ruleName: string;
  targetId: string;
  attempts: number;
  lastError: string;
  failedAt: string;
}

export interface PutEventsResult {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

/** What a fault injector returns to fail an entry (as AWS does with e.g. InternalFailure). */
export interface InjectedEntryFailure {
  ErrorCode: string;
  ErrorMessage: string;
}

export type PutEventsFaultInjector = (entry: PutEventsRequestEntry, index: number) => InjectedEntryFailure | undefined;

export interface LocalEventBusOptions {
  /** `region` of the events built; default eu-west-1. */
  region?: string;
  /** `account` of the events built; default 000000000000. */
  account?: string;
  /** Buses that exist besides `default`. */
  eventBusNames?: string[];
  /** Default retry policy for rules that set none: 4 attempts, 200 ms doubling, at most 5 s. */
  retry?: Partial<RetryPolicy>;
  /** How many recent events the developer view keeps; default 200. */
  recentEventLimit?: number;
  /** How many dead letters are kept (oldest dropped first); default 1000. */
  deadLetterLimit?: number;
  /** When set, recent events and dead letters are kept as JSON files here across restarts. */
  dataDir?: string;
  /**
   * Recent events (the developer view) are saved at most this often, default 500 ms: rewriting
   * the file at every event and delivery blocked the process for most of a bulk import's time.
   * Dead letters, and every change at close(), are saved at once; 0 saves everything at once.
   */
  saveRecentEventsEveryMs?: number;
  /** Test hook: fail chosen entries of a PutEvents call after AWS's own validation passed. */
  failEntry?: PutEventsFaultInjector;
  /**
   * PutEvents naming a bus that does not exist. AWS accepts such an entry (it returns an
   * EventId and drops the event), which is the default here too; the recent-events record says
   * it was dropped. `reject` answers ResourceNotFoundException for the entry instead.
   */
  unknownEventBus?: 'accept' | 'reject';
  /** Clock, for tests. */
  now?: () => Date;
}

/** PutEvents failed as a whole (AWS: HTTP 400 ValidationException); no entry was accepted. */
export class PutEventsValidationError extends Error {
  override readonly name = 'PutEventsValidationError';
  readonly code = 'ValidationException';
}

/** A rule was put on a bus that does not exist (AWS: ResourceNotFoundException). */
export class EventBusNotFoundError extends Error {
  override readonly name = 'EventBusNotFoundError';
  readonly code = 'ResourceNotFoundException';
  constructor(eventBusName: string) {
    super(`Event bus ${eventBusName} does not exist.`);
  }
}

const DEFAULT_BUS = 'default';
const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 };
const MAX_ENTRIES = 10;
/** AWS's limit on the summed size of a request's entries (see entrySize). */
const MAX_REQUEST_BYTES = 256 * 1024;
const RECENT_EVENTS_FILE = 'recent-events.json';
const DEAD_LETTERS_FILE = 'dead-letters.json';

interface Rule {
  name: string;
  eventBusName: string;
  compiled: CompiledEventPattern;
  target: RuleTarget;
  retry: RetryPolicy;
}

interface Sleeper {
  timer: NodeJS.Timeout;
  wake: () => void;
}

export class LocalEventBus {
  private readonly region: string;
  private readonly account: string;
  private readonly defaultRetry: RetryPolicy;
  private readonly recentEventLimit: number;
  private readonly deadLetterLimit: number;
  private readonly dataDir: string | undefined;
  private readonly saveRecentEventsEveryMs: number;
  private saveTimer: NodeJS.Timeout | undefined;
  private readonly unknownEventBus: 'accept' | 'reject';
  private readonly now: () => Date;
  private faultInjector: PutEventsFaultInjector | undefined;

  private readonly buses = new Set<string>([DEFAULT_BUS]);
  /** Rules by bus, then by name (a rule name is unique on its bus, as in AWS). */
  private readonly rules = new Map<string, Map<string, Rule>>();
  /** Oldest first; trimmed to recentEventLimit. */
  private recentEvents: RecentEventRecord[] = [];
  /** Oldest first; trimmed to deadLetterLimit. */
  private deadLetters: DeadLetterRecord[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly sleepers = new Set<Sleeper>();
  private closed = false;

  constructor(options: LocalEventBusOptions = {}) {
    this.region = options.region ?? 'eu-west-1';
    this.account = options.account ?? '000000000000';
    this.defaultRetry = { ...DEFAULT_RETRY, ...options.retry };
    this.recentEventLimit = options.recentEventLimit ?? 200;
    this.deadLetterLimit = options.deadLetterLimit ?? 1_000;
    this.dataDir = options.dataDir;
    this.saveRecentEventsEveryMs = options.saveRecentEventsEveryMs ?? 500;
    this.unknownEventBus = options.unknownEventBus ?? 'accept';
    this.now = options.now ?? (() => new Date());
    this.faultInjector = options.failEntry;
    for (const name of options.eventBusNames ?? []) this.createEventBus(name);
    if (this.dataDir) this.load(this.dataDir);
  }

  // ------------------------------------------------------------------ buses and rules

  createEventBus(name: string): void {
    this.buses.add(name);
  }

  hasEventBus(nameOrArn: string): boolean {
    return this.buses.has(busNameOf(nameOrArn));
  }

  listEventBuses(): string[] {
    return [...this.buses];
  }

  /** Adds the rule, or replaces the rule of that name on that bus (PutRule + PutTargets). */
  addRule(definition: RuleDefinition): void {
    const eventBusName = busNameOf(definition.eventBusName ?? DEFAULT_BUS);
    if (!this.buses.has(eventBusName)) throw new EventBusNotFoundError(eventBusName);
    const pattern = typeof definition.pattern === 'string' ? parseEventPattern(definition.pattern) : definition.pattern;
    const rule: Rule = {
      name: definition.name,
      eventBusName,
      compiled: compileEventPattern(pattern),
      target: definition.target,
      retry: { ...this.defaultRetry, ...definition.retry },
    };
    if (rule.retry.maxAttempts < 1) throw new Error(`Rule ${rule.name}: retry.maxAttempts must be at least 1`);
    const busRules = this.rules.get(eventBusName) ?? new Map<string, Rule>();
    busRules.set(rule.name, rule);
    this.rules.set(eventBusName, busRules);
  }

  removeRule(name: string, eventBusName = DEFAULT_BUS): boolean {
    return this.rules.get(busNameOf(eventBusName))?.delete(name) ?? false;
  }

  listRules(): { name: string; eventBusName: string; pattern: EventPattern; targetId: string }[] {
    return [...this.rules.values()].flatMap((busRules) =>
      [...busRules.values()].map((rule) => ({
        name: rule.name,
        eventBusName: rule.eventBusName,
        pattern: rule.compiled.pattern,
        targetId: rule.target.id,
      })),
    );
  }

  // ------------------------------------------------------------------ PutEvents

  /** Replaces (or with `undefined` removes) the fault injector given as `failEntry`. */
  setPutEventsFaultInjector(injector: PutEventsFaultInjector | undefined): void {
    this.faultInjector = injector;
  }

  /**
   * PutEvents. Throws PutEventsValidationError when the request as a whole is refused (no
   * entries, more than 10, or over 256 KB in all); otherwise answers per entry like AWS: bad
   * entries get ErrorCode/ErrorMessage, good ones an EventId, FailedEntryCount counts the bad.
   */
  putEvents(entries: readonly PutEventsRequestEntry[]): PutEventsResult {
    validateRequest(entries);
    const results = entries.map((entry, index) => this.putEntry(entry, index));
    return { FailedEntryCount: results.filter((result) => result.ErrorCode).length, Entries: results };
  }

  private putEntry(entry: PutEventsRequestEntry, index: number): PutEventsResultEntry {
    const invalid = validateEntry(entry);
    if (invalid) return invalid;
    const injected = this.faultInjector?.(entry, index);
    if (injected) return { ErrorCode: injected.ErrorCode, ErrorMessage: injected.ErrorMessage };

    const eventBusName = busNameOf(entry.EventBusName || DEFAULT_BUS);
    const busExists = this.buses.has(eventBusName);
    if (!busExists && this.unknownEventBus === 'reject') {
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${eventBusName} does not exist.` };
    }

    const event = this.buildEvent(entry);
    const record: RecentEventRecord = {
      event,
      eventBusName,
      receivedAt: this.now().toISOString(),
      deliveries: [],
    };
    if (!busExists) {
      record.droppedReason = `Event bus ${eventBusName} does not exist: AWS accepts the entry and drops the event.`;
    }
    for (const rule of this.rules.get(eventBusName)?.values() ?? []) {
      if (!rule.compiled.matches(event)) continue;
      const delivery: DeliveryRecord = {
        ruleName: rule.name,
        targetId: rule.target.id,
        status: 'pending',
        attempts: 0,
        updatedAt: record.receivedAt,
      };
      record.deliveries.push(delivery);
      this.startDelivery(rule, event, eventBusName, delivery);
    }
    this.remember(record);
    return { EventId: event.id };
  }

  private buildEvent(entry: PutEventsRequestEntry): EventBridgeEvent {
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType as string,
      source: entry.Source as string,
      account: this.account,
      time: isoSeconds(entry.Time ? new Date(entry.Time) : this.now()),
      region: this.region,
      resources: [...(entry.Resources ?? [])],
      detail: JSON.parse(entry.Detail as string) as Record<string, unknown>,
    };
  }

  // ------------------------------------------------------------------ delivery

  /** Resolves once no delivery (including retries and redrives) is in flight. */
  async whenIdle(): Promise<void> {
    // A delivery may start while we wait (a redrive, a target publishing again): loop.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Re-delivers a dead letter to its rule's current target; false when either is gone. */
  async redriveDeadLetter(id: string): Promise<boolean> {
    const deadLetter = this.deadLetters.find((record) => record.id === id);
    if (!deadLetter) return false;
    const rule = this.rules.get(deadLetter.eventBusName)?.get(deadLetter.ruleName);
    if (!rule) return false;
    this.deadLetters = this.deadLetters.filter((record) => record.id !== id);
    // Show the redrive on the original record when it is still among the recent events.
    const existing = this.recentEvents
      .find((record) => record.event.id === deadLetter.event.id)
      ?.deliveries.find((delivery) => delivery.deadLetterId === id);
    const delivery: DeliveryRecord = existing ?? {
      ruleName: rule.name,
      targetId: rule.target.id,
      status: 'pending',
      attempts: 0,
      updatedAt: this.now().toISOString(),
    };
    delete delivery.deadLetterId;
    delete delivery.lastError;
    Object.assign(delivery, { status: 'pending', attempts: 0, updatedAt: this.now().toISOString() });
    this.persist();
    this.startDelivery(rule, deadLetter.event, deadLetter.eventBusName, delivery);
    return true;
  }

  private startDelivery(rule: Rule, event: EventBridgeEvent, eventBusName: string, delivery: DeliveryRecord): void {
    // setImmediate: the target runs after putEvents has answered, as with the real service.
    const running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.deliver(rule, event, eventBusName, delivery))
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  private async deliver(
    rule: Rule,
    event: EventBridgeEvent,
    eventBusName: string,
    delivery: DeliveryRecord,
  ): Promise<void> {
    const { maxAttempts } = rule.retry;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (this.closed) return this.updateDelivery(delivery, { status: 'interrupted' });
      delivery.attempts = attempt;
      try {
        // A copy: a target that mutates its event must not change the record or other targets.
        await rule.target.invoke(structuredClone(event));
        return this.updateDelivery(delivery, { status: 'delivered' });
      } catch (error) {
        const lastError = error instanceof Error ? error.message : String(error);
        // A target may say that trying again cannot help (an API destination's 400, say).
        const retryable = (error as { retryable?: unknown } | undefined)?.retryable !== false;
        if (retryable && attempt < maxAttempts) {
          this.updateDelivery(delivery, { status: 'retrying', lastError });
          await this.sleep(backoffDelay(rule.retry, attempt));
          continue;
        }
        const deadLetter: DeadLetterRecord = {
          id: randomUUID(),
          event,
          eventBusName,
          ruleName: rule.name,
          targetId: rule.target.id,
          attempts: attempt,
          lastError,
          failedAt: this.now().toISOString(),
        };
        this.deadLetters.push(deadLetter);
        this.deadLetters = this.deadLetters.slice(-this.deadLetterLimit);
        this.updateDelivery(delivery, { status: 'dead-lettered', lastError, deadLetterId: deadLetter.id });
        return;
      }
    }
  }

  private updateDelivery(delivery: DeliveryRecord, change: Partial<DeliveryRecord>): void {
    Object.assign(delivery, change, { updatedAt: this.now().toISOString() });
    if (change.status === 'dead-lettered') this.persist();
    else this.persistSoon();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        timer: setTimeout(() => sleeper.wake(), ms),
        wake: () => {
          clearTimeout(sleeper.timer);
          this.sleepers.delete(sleeper);
          resolve();
        },
      };
      this.sleepers.add(sleeper);
    });
  }

  /**
   * Stops retrying: deliveries waiting for a retry are marked `interrupted` (they are not
   * resumed after a restart) and no new attempt starts. Resolves when all have settled.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const sleeper of [...this.sleepers]) sleeper.wake();
    await this.whenIdle();
    this.persist();
  }

  // ------------------------------------------------------------------ developer view

  /** Newest first; copies, so callers cannot change what the bus records. */
  listRecentEvents(): RecentEventRecord[] {
    return structuredClone(this.recentEvents).reverse();
  }

  /** Newest first; copies. */
  listDeadLetters(): DeadLetterRecord[] {
    return structuredClone(this.deadLetters).reverse();
  }

  private remember(record: RecentEventRecord): void {
    this.recentEvents.push(record);
    this.recentEvents = this.recentEvents.slice(-this.recentEventLimit);
    this.persistSoon();
  }

  // ------------------------------------------------------------------ persistence

  /** Saves within saveRecentEventsEveryMs: one write for every change made meanwhile. */
  private persistSoon(): void {
    if (!this.dataDir || this.saveTimer) return;
    if (this.saveRecentEventsEveryMs <= 0) {
      this.persist();
      return;
    }
    this.saveTimer = setTimeout(() => this.persist(), this.saveRecentEventsEveryMs);
    this.saveTimer.unref();
  }

  /** Synchronous and atomic (write then rename): simple, and a crash leaves a whole file. */
  private persist(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.dataDir) return;
    mkdirSync(this.dataDir, { recursive: true });
    writeJsonAtomically(join(this.dataDir, RECENT_EVENTS_FILE), this.recentEvents);
    writeJsonAtomically(join(this.dataDir, DEAD_LETTERS_FILE), this.deadLetters);
  }

  private load(dataDir: string): void {
    this.recentEvents = readJsonArray<RecentEventRecord>(join(dataDir, RECENT_EVENTS_FILE)).slice(
      -this.recentEventLimit,
    );
    this.deadLetters = readJsonArray<DeadLetterRecord>(join(dataDir, DEAD_LETTERS_FILE)).slice(-this.deadLetterLimit);
    // Deliveries that were under way when the previous process stopped will not be resumed.
    for (const record of this.recentEvents) {
      for (const delivery of record.deliveries) {
        if (delivery.status === 'pending' || delivery.status === 'retrying') delivery.status = 'interrupted';
      }
    }
  }
}

// ------------------------------------------------------------------ helpers

/** `arn:aws:events:eu-west-1:123456789012:event-bus/name` or `name` -> `name`. */
const busNameOf = (nameOrArn: string): string => {
  const marker = ':event-bus/';
  const at = nameOrArn.indexOf(marker);
  return nameOrArn.startsWith('arn:') && at >= 0 ? nameOrArn.slice(at + marker.length) : nameOrArn;
};

/** `2024-05-01T10:20:30.456Z` -> `2024-05-01T10:20:30Z` (AWS event times have no fraction). */
const isoSeconds = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

const backoffDelay = (retry: RetryPolicy, failedAttempt: number): number =>
  Math.min(retry.baseDelayMs * 2 ** (failedAttempt - 1), retry.maxDelayMs);

/** AWS's PutEventsRequestEntry size: Time counts 14 bytes, strings their UTF-8 length. */
const entrySize = (entry: PutEventsRequestEntry): number => {
  let size = entry.Time ? 14 : 0;
  for (const text of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) {
    if (typeof text === 'string') size += Buffer.byteLength(text, 'utf8');
  }
  return size;
};

const validateRequest = (entries: readonly PutEventsRequestEntry[]): void => {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new PutEventsValidationError(
      "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (entries.length > MAX_ENTRIES) {
    throw new PutEventsValidationError(
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`,
    );
  }
  const total = entries.reduce((sum, entry) => sum + entrySize(entry), 0);
  if (total > MAX_REQUEST_BYTES) {
    throw new PutEventsValidationError('Total size of the entries in the request is over the limit.');
  }
};

/** AWS's per-entry checks, in AWS's order; undefined when the entry is acceptable. */
const validateEntry = (entry: PutEventsRequestEntry): PutEventsResultEntry | undefined => {
  const invalidArgument = (parameter: string) => ({
    ErrorCode: 'InvalidArgument',
    ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${parameter} is a required argument.`,
  });
  if (!entry.Source) return invalidArgument('Source');
  if (!entry.DetailType) return invalidArgument('DetailType');
  if (!entry.Detail) return invalidArgument('Detail');
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    detail = undefined;
  }
  // The detail must be a JSON object: patterns match on its fields.
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  if (entry.Time !== undefined && Number.isNaN(new Date(entry.Time).getTime())) {
    return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Time is not valid.' };
  }
  return undefined;
};

const writeJsonAtomically = (file: string, value: unknown): void => {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(value));
  renameSync(temporary, file);
};

const readJsonArray = <T>(file: string): T[] => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return []; // first start: nothing persisted yet
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as T[]) : [];
  } catch {
    // A hand-edited or truncated file must not stop the local runtime from starting.
    return [];
  }
};
