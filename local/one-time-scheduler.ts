/**
 * One-time schedules created at run time, as EventBridge Scheduler keeps them: `at()` schedules in
 * schedule groups, each invoking a function with its target input at its instant, retried and
 * then dead-lettered, and deleted after it ran when `ActionAfterCompletion` is `DELETE`. The
 * Scheduler API that functions call through `@aws-sdk/client-scheduler` is scheduler-server.ts;
 * recurring schedules declared by services are scheduler.ts.
 *
 * Schedules persist in the data folder, so a restart keeps them; one whose time passed while
 * the platform was stopped fires at start-up (AWS would have fired it on time).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { utcInstantOf } from '../shared/time-zones';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './environment';
import type { InvocationOutcome } from './functions';

/** An error the Scheduler API answers, with its AWS code and HTTP status. */
export class SchedulerApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: 'ConflictException' | 'ResourceNotFoundException' | 'ValidationException',
    message: string,
  ) {
    super(message);
  }
}

export interface OneTimeScheduleInput {
  Name: string;
  GroupName?: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  Description?: string;
  State?: 'ENABLED' | 'DISABLED';
  ActionAfterCompletion?: 'NONE' | 'DELETE';
  FlexibleTimeWindow?: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  Target: {
    Arn: string;
    RoleArn: string;
    Input?: string;
    RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
    DeadLetterConfig?: { Arn?: string };
  };
}

export interface OneTimeSchedule extends OneTimeScheduleInput {
  GroupName: string;
  Arn: string;
  State: 'ENABLED' | 'DISABLED';
  ActionAfterCompletion: 'NONE' | 'DELETE';
  ScheduleExpressionTimezone: string;
  CreationDate: string;
  LastModificationDate: string;
  /** When it falls due (UTC). */
  fireAt: string;
  /** Set once it ran (kept only with `ActionAfterCompletion: NONE`). */
  firedAt?: string;
  functionKey: string;
}

export interface OneTimeScheduleDeadLetter {
  id: string;
  schedule: string;
  functionKey: string;
  payload: unknown;
  attempts: number;
  errorType: string;
  errorMessage: string;
  failedAt: string;
}

export interface OneTimeSchedulerOptions {
  /** The schedule groups that exist (one per service that declares one-time schedules). */
  groups: readonly string[];
  /** The function a target ARN names, if it is one of the platform's. */
  functionKeyOfArn: (arn: string) => string | undefined;
  invoke: (functionKey: string, event: unknown) => Promise<InvocationOutcome>;
  /** Attempts per firing before it is dead-lettered (3, as Lambda's asynchronous invocations). */
  maxAttempts?: number;
  baseBackoffMs?: number;
  onDeadLetter?: (deadLetter: OneTimeScheduleDeadLetter) => void;
  /** Where the schedules are kept across restarts. */
  dataFile?: string;
  /** Timers only when true (default). */
  timers?: boolean;
  clock?: () => Date;
}

export interface ListQuery {
  groupName?: string;
  namePrefix?: string;
  state?: string;
  maxResults?: number;
  nextToken?: string;
}

export interface OneTimeScheduler {
  create(input: OneTimeScheduleInput): OneTimeSchedule;
  update(input: OneTimeScheduleInput): OneTimeSchedule;
  get(name: string, groupName?: string): OneTimeSchedule;
  delete(name: string, groupName?: string): void;
  list(query: ListQuery): { schedules: OneTimeSchedule[]; nextToken?: string };
  /** Every schedule, for the developer view. */
  schedules(): OneTimeSchedule[];
  /** Resolves once no firing is in progress. */
  whenIdle(): Promise<void>;
  stop(): void;
}

const DEFAULT_GROUP = 'default';
const NAME = /^[0-9a-zA-Z-_.]{1,64}$/;
const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
/** Node's timers cannot wait longer than ~24.8 days; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const keyOf = (groupName: string, name: string) => `${groupName}/${name}`;

const validationError = (message: string) => new SchedulerApiError(400, 'ValidationException', message);

/** The instant of an `at()` expression in its time zone. */
export const fireInstantOf = (expression: string, timeZone: string): number => {
  const match = AT.exec(expression);
  if (!match) {
    throw validationError(
      `Invalid Schedule Expression ${expression}: the local scheduler creates one-time schedules at run time, at(yyyy-mm-ddThh:mm:ss); recurring ones are declared by services.`,
    );
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw validationError(`Invalid ScheduleExpressionTimezone ${timeZone}`);
  }
  // Offsets change on whole minutes, so the seconds add on.
  return utcInstantOf(timeZone, { year, month, day }, hour * 60 + minute) + second * 1000;
};

/** Scheduler's context attributes, filled in the target input as Scheduler does. */
const withContextAttributes = (input: string, schedule: OneTimeSchedule, attempt: number, executionId: string) =>
  input
    .replaceAll('<aws.scheduler.schedule-arn>', schedule.Arn)
    .replaceAll('<aws.scheduler.scheduled-time>', `${schedule.fireAt.slice(0, 19)}Z`)
    .replaceAll('<aws.scheduler.execution-id>', executionId)
    .replaceAll('<aws.scheduler.attempt-number>', String(attempt));

export const startOneTimeScheduler = (options: OneTimeSchedulerOptions): OneTimeScheduler => {
  const clock = options.clock ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? 3;
  const baseBackoffMs = options.baseBackoffMs ?? 1_000;
  const schedules = new Map<string, OneTimeSchedule>();
  const timers = new Map<string, NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  /** Waits between attempts, woken at once by stop(). */
  const sleepers = new Set<() => void>();
  let stopped = false;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  const persist = () => {
    if (!options.dataFile) return;
    mkdirSync(dirname(options.dataFile), { recursive: true });
    const aside = `${options.dataFile}.${process.pid}.tmp`;
    writeFileSync(aside, JSON.stringify([...schedules.values()], null, 2));
    renameSync(aside, options.dataFile);
  };

  const disarm = (key: string) => {
    const timer = timers.get(key);
    if (timer) clearTimeout(timer);
    timers.delete(key);
  };

  const track = (work: Promise<void>) => {
    const running = work.finally(() => inFlight.delete(running));
    inFlight.add(running);
  };

  /** One firing: attempts with backoff, then a dead letter; then deleted if asked for. */
  const fire = async (key: string, executionId: string, attempt = 1): Promise<void> => {
    const schedule = schedules.get(key);
    if (stopped || !schedule) return;
    const input = withContextAttributes(schedule.Target.Input ?? '{}', schedule, attempt, executionId);
    let payload: unknown;
    try {
      payload = JSON.parse(input);
    } catch {
      payload = input;
    }
    const outcome = await options.invoke(schedule.functionKey, payload);
    if (!outcome.ok && attempt < maxAttempts && !stopped) {
      await pause(baseBackoffMs * 2 ** (attempt - 1));
      return fire(key, executionId, attempt + 1);
    }
    if (!outcome.ok) {
      options.onDeadLetter?.({
        id: randomUUID(),
        schedule: key,
        functionKey: schedule.functionKey,
        payload,
        attempts: attempt,
        errorType: outcome.error.errorType,
        errorMessage: outcome.error.errorMessage,
        failedAt: clock().toISOString(),
      });
    }
    if (schedule.ActionAfterCompletion === 'DELETE') schedules.delete(key);
    else schedules.set(key, { ...schedule, firedAt: clock().toISOString() });
    persist();
  };

  const arm = (key: string) => {
    disarm(key);
    const schedule = schedules.get(key);
    if (stopped || options.timers === false || !schedule || schedule.State !== 'ENABLED' || schedule.firedAt) return;
    const wait = () => {
      const remaining = Date.parse(schedule.fireAt) - clock().getTime();
      if (remaining > 0) {
        timers.set(key, setTimeout(wait, Math.min(remaining, MAX_TIMER_MS)));
        return;
      }
      timers.delete(key);
      track(fire(key, randomUUID()));
    };
    wait();
  };

  const stored = (name: string, groupName = DEFAULT_GROUP) => {
    const schedule = schedules.get(keyOf(groupName, name));
    if (!schedule) throw new SchedulerApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    return schedule;
  };

  const build = (input: OneTimeScheduleInput, existing?: OneTimeSchedule): OneTimeSchedule => {
    if (!NAME.test(input.Name ?? '')) throw validationError(`Invalid schedule name ${input.Name}`);
    const groupName = input.GroupName ?? DEFAULT_GROUP;
    if (!options.groups.includes(groupName)) {
      throw new SchedulerApiError(404, 'ResourceNotFoundException', `Schedule group ${groupName} does not exist.`);
    }
    if (!input.FlexibleTimeWindow?.Mode) throw validationError('FlexibleTimeWindow is required');
    if (!input.Target?.Arn || !input.Target.RoleArn)
      throw validationError('Target.Arn and Target.RoleArn are required');
    const functionKey = options.functionKeyOfArn(input.Target.Arn);
    if (!functionKey) throw validationError(`The target ${input.Target.Arn} is not a function of this platform`);
    const timeZone = input.ScheduleExpressionTimezone ?? 'UTC';
    const fireAt = new Date(fireInstantOf(input.ScheduleExpression, timeZone)).toISOString();
    const now = clock().toISOString();
    return {
      ...input,
      GroupName: groupName,
      ScheduleExpressionTimezone: timeZone,
      State: input.State ?? 'ENABLED',
      ActionAfterCompletion: input.ActionAfterCompletion ?? 'NONE',
      Arn: `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:schedule/${groupName}/${input.Name}`,
      CreationDate: existing?.CreationDate ?? now,
      LastModificationDate: now,
      fireAt,
      functionKey,
    };
  };

  if (options.dataFile && existsSync(options.dataFile)) {
    try {
      for (const schedule of JSON.parse(readFileSync(options.dataFile, 'utf8')) as OneTimeSchedule[]) {
        schedules.set(keyOf(schedule.GroupName, schedule.Name), schedule);
      }
    } catch {
      // A hand-edited or truncated file must not stop the platform from starting.
    }
  }
  for (const key of schedules.keys()) arm(key);

  return {
    create(input) {
      const key = keyOf(input.GroupName ?? DEFAULT_GROUP, input.Name);
      if (schedules.has(key))
        throw new SchedulerApiError(409, 'ConflictException', `Schedule ${input.Name} already exists.`);
      const schedule = build(input);
      schedules.set(key, schedule);
      persist();
      arm(key);
      return schedule;
    },
    update(input) {
      const existing = stored(input.Name, input.GroupName);
      const schedule = build(input, existing);
      schedules.set(keyOf(schedule.GroupName, schedule.Name), schedule);
      persist();
      arm(keyOf(schedule.GroupName, schedule.Name));
      return schedule;
    },
    get: (name, groupName) => structuredClone(stored(name, groupName)),
    delete(name, groupName = DEFAULT_GROUP) {
      stored(name, groupName);
      const key = keyOf(groupName, name);
      disarm(key);
      schedules.delete(key);
      persist();
    },
    list(query) {
      const matching = [...schedules.values()]
        .filter((schedule) => !query.groupName || schedule.GroupName === query.groupName)
        .filter((schedule) => !query.namePrefix || schedule.Name.startsWith(query.namePrefix))
        .filter((schedule) => !query.state || schedule.State === query.state)
        .sort((a, b) => keyOf(a.GroupName, a.Name).localeCompare(keyOf(b.GroupName, b.Name)));
      const start = query.nextToken ? Number(Buffer.from(query.nextToken, 'base64url').toString('utf8')) : 0;
      if (!Number.isInteger(start) || start < 0) throw validationError('Invalid NextToken');
      const size = Math.min(Math.max(query.maxResults ?? 100, 1), 100);
      const page = matching.slice(start, start + size);
      return {
        schedules: structuredClone(page),
        ...(start + size < matching.length
          ? { nextToken: Buffer.from(String(start + size)).toString('base64url') }
          : {}),
      };
    },
    schedules: () => [...schedules.values()].map((schedule) => structuredClone(schedule)),
    whenIdle: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    stop() {
      stopped = true;
      for (const key of [...timers.keys()]) disarm(key);
      for (const wake of [...sleepers]) wake();
    },
  };
};
