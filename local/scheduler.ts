/**
 * The local EventBridge Scheduler: every declared schedule fires its function at the times
 * its expression gives in its time zone, with the payload described below, retries a failed
 * invocation, and dead-letters it after the last attempt. `runNow` fires one on demand.
 *
 * Payload: what the CDK schedule's target sends (infra/service-construct.ts,
 * `ScheduleTargetInput.fromObject({ schedule, scheduledTime: ContextAttribute.scheduledTime })`)
 * with Scheduler's context attribute filled in:
 *   { "schedule": "<declared name>", "scheduledTime": "2026-11-24T07:00:00Z" }
 * `scheduledTime` is the instant the schedule was due (whole seconds, UTC), the same on every
 * retry of that firing; `runNow` sends the current instant.
 */
import { randomBytes } from 'node:crypto';
import { functionKey, type ServiceDeclaration } from '../shared/declaration';
import { nextCronFire, type ParsedSchedule, parseScheduleExpression } from './cron';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './environment';
import type { InvocationOutcome } from './functions';

export interface ScheduledInvocationPayload {
  schedule: string;
  scheduledTime: string;
}

export interface LocalSchedule {
  service: string;
  name: string;
  expression: string;
  timezone: string;
  functionKey: string;
  scheduleArn: string;
  nextFireAt?: string;
  lastFiredAt?: string;
}

export interface ScheduleDeadLetter {
  id: string;
  schedule: string;
  functionKey: string;
  payload: ScheduledInvocationPayload;
  attempts: number;
  errorType: string;
  errorMessage: string;
  failedAt: string;
}

export interface SchedulerOptions {
  services: readonly ServiceDeclaration[];
  invoke: (functionKey: string, event: unknown) => Promise<InvocationOutcome>;
  /**
   * Attempts per firing before it is dead-lettered: 3, as in AWS, where a throwing function is
   * retried twice by Lambda's asynchronous invocation (ASYNC_INVOKE_RETRY_ATTEMPTS = 2) and
   * then sent to the dead-letter queue.
   */
  maxAttempts?: number;
  baseBackoffMs?: number;
  onDeadLetter?: (deadLetter: ScheduleDeadLetter) => void;
  onFired?: (schedule: LocalSchedule, outcome: InvocationOutcome) => void;
  /** Timers only when true (default); tests of runNow turn them off. */
  timers?: boolean;
  clock?: () => Date;
}

export interface LocalScheduler {
  schedules(): LocalSchedule[];
  runNow(service: string, name: string): Promise<InvocationOutcome>;
  stop(): void;
}

/** Node's timers cannot wait longer than ~24.8 days; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const scheduleArnOf = (service: string, name: string) =>
  `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:schedule/default/${service}-${name}`;

/** Scheduler's `<aws.scheduler.scheduled-time>`: ISO 8601, whole seconds. */
const isoSeconds = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

export const startScheduler = (options: SchedulerOptions): LocalScheduler => {
  const clock = options.clock ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? 3;
  const baseBackoffMs = options.baseBackoffMs ?? 1_000;
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const entries = options.services.flatMap((service) =>
    service.schedules.map((declared) => {
      const fn = service.functions.find((candidate) => candidate.name === declared.function);
      if (!fn) throw new Error(`${service.name}: schedule ${declared.name} names no function ${declared.function}`);
      const parsed: ParsedSchedule = parseScheduleExpression(declared.expression);
      const schedule: LocalSchedule = {
        service: service.name,
        name: declared.name,
        expression: declared.expression,
        timezone: declared.timezone ?? 'UTC',
        functionKey: functionKey(service, fn),
        scheduleArn: scheduleArnOf(service.name, declared.name),
      };
      return { schedule, parsed };
    }),
  );

  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        action();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    timers.add(timer);
  };

  const payloadFor = (schedule: LocalSchedule, scheduledTime: Date): ScheduledInvocationPayload => ({
    schedule: schedule.name,
    scheduledTime: isoSeconds(scheduledTime),
  });

  /** One firing: attempts with backoff, then a dead letter. */
  const fire = async (schedule: LocalSchedule, scheduledTime: Date, attempt = 1): Promise<void> => {
    if (stopped) return;
    const payload = payloadFor(schedule, scheduledTime);
    schedule.lastFiredAt = clock().toISOString();
    const outcome = await options.invoke(schedule.functionKey, payload);
    options.onFired?.(schedule, outcome);
    if (outcome.ok) return;
    if (attempt < maxAttempts) {
      later(baseBackoffMs * 2 ** (attempt - 1), () => void fire(schedule, scheduledTime, attempt + 1));
      return;
    }
    options.onDeadLetter?.({
      id: randomBytes(8).toString('hex'),
      schedule: `${schedule.service}/${schedule.name}`,
      functionKey: schedule.functionKey,
      payload,
      attempts: attempt,
      errorType: outcome.error.errorType,
      errorMessage: outcome.error.errorMessage,
      failedAt: clock().toISOString(),
    });
  };

  const arm = (entry: (typeof entries)[number], from: Date) => {
    if (stopped) return;
    const next =
      entry.parsed.kind === 'rate'
        ? new Date(from.getTime() + entry.parsed.intervalMs)
        : nextCronFire(entry.parsed, from, entry.schedule.timezone);
    entry.schedule.nextFireAt = next?.toISOString();
    if (!next) return;
    const wait = () => {
      const remaining = next.getTime() - clock().getTime();
      if (remaining > 0) {
        later(remaining, wait);
        return;
      }
      void fire(entry.schedule, next);
      arm(entry, next);
    };
    wait();
  };

  if (options.timers !== false) {
    const now = clock();
    // Rate schedules count from start-up (Scheduler would fire at once on creation; a local
    // restart is not a creation, so the first firing is one interval after start).
    for (const entry of entries) arm(entry, now);
  }

  return {
    schedules: () => entries.map((entry) => ({ ...entry.schedule })),
    runNow: async (service, name) => {
      const entry = entries.find(
        (candidate) => candidate.schedule.service === service && candidate.schedule.name === name,
      );
      if (!entry) throw new Error(`No schedule ${service}/${name}`);
      entry.schedule.lastFiredAt = clock().toISOString();
      const outcome = await options.invoke(entry.schedule.functionKey, payloadFor(entry.schedule, clock()));
      options.onFired?.(entry.schedule, outcome);
      return outcome;
    },
    stop: () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
};
