import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServiceDeclaration } from '../shared/declaration';
import { alphaService } from '../test/support/fixtures/declarations';
import type { InvocationOutcome } from './functions';
import { type ScheduleDeadLetter, type ScheduledInvocationPayload, startScheduler } from './scheduler';

const outcome = (ok: boolean): InvocationOutcome =>
  ok
    ? {
        ok,
        result: null,
        functionKey: 'alpha-consumer',
        requestId: 'r',
        coldStart: false,
        durationMs: 1,
        startedAt: '',
      }
    : {
        ok,
        error: { errorType: 'Error', errorMessage: 'nope' },
        functionKey: 'alpha-consumer',
        requestId: 'r',
        coldStart: false,
        durationMs: 1,
        startedAt: '',
      };

const withSchedules = (schedules: ServiceDeclaration['schedules']): ServiceDeclaration => ({
  ...alphaService,
  schedules,
});

describe('local scheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires a cron schedule at its next local time with the Scheduler payload', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-24T01:00:00Z') });
    const invoke = vi.fn(async () => outcome(true));
    const scheduler = startScheduler({ services: [alphaService], invoke });
    // 03:00 in Paris (CET, UTC+1) is 02:00Z.
    expect(scheduler.schedules()[0]).toMatchObject({
      service: 'alpha',
      name: 'nightly',
      functionKey: 'alpha-consumer',
      timezone: 'Europe/Paris',
      nextFireAt: '2026-11-24T02:00:00.000Z',
    });

    await vi.advanceTimersByTimeAsync(59 * 60_000);
    expect(invoke).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(invoke).toHaveBeenCalledTimes(1);
    const [functionKey, payload] = invoke.mock.calls[0] as unknown as [string, ScheduledInvocationPayload];
    expect(functionKey).toBe('alpha-consumer');
    expect(payload).toEqual({ schedule: 'nightly', scheduledTime: '2026-11-24T02:00:00Z' });
    expect(scheduler.schedules()[0]?.nextFireAt).toBe('2026-11-25T02:00:00.000Z');
    scheduler.stop();
  });

  it('fires rate schedules one interval apart', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-24T10:00:00Z') });
    const invoke = vi.fn(async () => outcome(true));
    const scheduler = startScheduler({
      services: [
        withSchedules([{ name: 'sweep', function: 'consumer', expression: 'rate(15 minutes)', description: 'x' }]),
      ],
      invoke,
    });
    await vi.advanceTimersByTimeAsync(45 * 60_000);
    const times = invoke.mock.calls.map(
      (call) => (call as unknown as [string, ScheduledInvocationPayload])[1].scheduledTime,
    );
    expect(times).toEqual(['2026-11-24T10:15:00Z', '2026-11-24T10:30:00Z', '2026-11-24T10:45:00Z']);
    scheduler.stop();
  });

  it('retries a failed firing, then dead-letters it', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-24T01:59:00Z') });
    const invoke = vi.fn(async () => outcome(false));
    const deadLetters: ScheduleDeadLetter[] = [];
    const scheduler = startScheduler({
      services: [alphaService],
      invoke,
      maxAttempts: 3,
      baseBackoffMs: 1_000,
      onDeadLetter: (deadLetter) => deadLetters.push(deadLetter),
    });
    await vi.advanceTimersByTimeAsync(60_000 + 3_000);
    const attempts = invoke.mock.calls.map((call) => (call as unknown as [string, ScheduledInvocationPayload])[1]);
    // Every retry carries the same scheduled time: it names the firing, not the attempt.
    expect(attempts).toEqual(Array(3).fill({ schedule: 'nightly', scheduledTime: '2026-11-24T02:00:00Z' }));
    expect(deadLetters).toEqual([
      expect.objectContaining({ schedule: 'alpha/nightly', attempts: 3, errorType: 'Error', errorMessage: 'nope' }),
    ]);
    scheduler.stop();
  });

  it('runs a schedule on demand', async () => {
    const invoke = vi.fn(async () => outcome(true));
    const scheduler = startScheduler({ services: [alphaService], invoke, timers: false });
    await expect(scheduler.runNow('alpha', 'nightly')).resolves.toMatchObject({ ok: true });
    expect(invoke).toHaveBeenCalledWith('alpha-consumer', { schedule: 'nightly', scheduledTime: expect.any(String) });
    await expect(scheduler.runNow('alpha', 'missing')).rejects.toThrow(/No schedule/);
    scheduler.stop();
  });

  it('refuses an invalid declared expression at start-up', () => {
    expect(() =>
      startScheduler({
        services: [
          withSchedules([{ name: 'bad', function: 'consumer', expression: 'cron(0 3 * * * *)', description: 'x' }]),
        ],
        invoke: async () => outcome(true),
      }),
    ).toThrow(/day-of-month/);
  });
});
