/**
 * The local one-time schedules: the Scheduler API with the real `@aws-sdk/client-scheduler`
 * (create, get, list by prefix, delete, AWS's errors), firing at the instant with the target's
 * input, retries and a dead letter, deletion after completion, and persistence across restarts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSchedulerMilestones } from '../services/escalation/adapters/scheduler-milestones';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './environment';
import type { InvocationOutcome } from './functions';
import { type OneTimeScheduleDeadLetter, type OneTimeScheduleInput, startOneTimeScheduler } from './one-time-scheduler';
import { type SchedulerServer, startSchedulerServer } from './scheduler-server';

const TARGET = 'arn:aws:lambda:eu-west-1:000000000000:function:escalation-sla-timer';
const ok = (): InvocationOutcome => ({
  ok: true,
  result: null,
  functionKey: 'f',
  requestId: 'r',
  coldStart: false,
  durationMs: 1,
  startedAt: '',
});
const failed = (): InvocationOutcome => ({
  ok: false,
  error: { errorType: 'Error', errorMessage: 'boom' },
  functionKey: 'f',
  requestId: 'r',
  coldStart: false,
  durationMs: 1,
  startedAt: '',
});
const functionKeyOfArn = (arn: string) => (arn === TARGET ? 'escalation-sla-timer' : undefined);

const input = (
  overrides: Partial<OneTimeScheduleInput> = {},
): OneTimeScheduleInput & Required<Pick<OneTimeScheduleInput, 'FlexibleTimeWindow'>> => ({
  Name: 'esc-1.r1.1.b1',
  GroupName: 'mentoring-escalation',
  ScheduleExpression: 'at(2026-01-19T10:00:30)',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  Target: { Arn: TARGET, RoleArn: 'arn:aws:iam::000000000000:role/scheduler', Input: '{"milestone":"breach"}' },
  ...overrides,
});

describe('one-time schedules firing', () => {
  afterEach(() => vi.useRealTimers());

  it('fire once at their instant, in their time zone, with the target input and Scheduler’s context attributes, then are deleted', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-19T09:59:00Z') });
    const invoke = vi.fn(async () => ok());
    const scheduler = startOneTimeScheduler({ groups: ['mentoring-escalation'], functionKeyOfArn, invoke });
    scheduler.create(input());
    scheduler.create(
      input({
        Name: 'in-berlin',
        ScheduleExpression: 'at(2026-01-19T11:01:00)',
        ScheduleExpressionTimezone: 'Europe/Berlin',
        ActionAfterCompletion: 'NONE',
        Target: { ...input().Target, Input: '{"at":"<aws.scheduler.scheduled-time>"}' },
      }),
    );
    await vi.advanceTimersByTimeAsync(89_999);
    expect(invoke).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(invoke).toHaveBeenCalledWith('escalation-sla-timer', { milestone: 'breach' });
    expect(scheduler.schedules().map((schedule) => schedule.Name)).toEqual(['in-berlin']);
    // 11:01 in Berlin (CET) is 10:01Z.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(invoke).toHaveBeenLastCalledWith('escalation-sla-timer', { at: '2026-01-19T10:01:00Z' });
    // Kept after it ran (ActionAfterCompletion NONE), never fired again.
    await vi.advanceTimersByTimeAsync(3600_000);
    expect(invoke).toHaveBeenCalledTimes(2);
    expect(scheduler.schedules()[0]?.firedAt).toBe('2026-01-19T10:01:00.000Z');
    scheduler.stop();
  });

  it('never fire once deleted', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-19T09:59:00Z') });
    const invoke = vi.fn(async () => ok());
    const scheduler = startOneTimeScheduler({ groups: ['mentoring-escalation'], functionKeyOfArn, invoke });
    scheduler.create(input());
    scheduler.delete('esc-1.r1.1.b1', 'mentoring-escalation');
    await vi.advanceTimersByTimeAsync(3600_000);
    expect(invoke).not.toHaveBeenCalled();
    scheduler.stop();
  });

  it('retry a failing target, then dead-letter it', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-19T10:00:29Z') });
    const deadLetters: OneTimeScheduleDeadLetter[] = [];
    const invoke = vi.fn(async () => failed());
    const scheduler = startOneTimeScheduler({
      groups: ['mentoring-escalation'],
      functionKeyOfArn,
      invoke,
      baseBackoffMs: 100,
      onDeadLetter: (letter) => deadLetters.push(letter),
    });
    scheduler.create(input());
    await vi.advanceTimersByTimeAsync(1_000 + 100 + 200);
    await scheduler.whenIdle();
    expect(invoke).toHaveBeenCalledTimes(3);
    expect(deadLetters).toEqual([
      expect.objectContaining({
        schedule: 'mentoring-escalation/esc-1.r1.1.b1',
        attempts: 3,
        errorMessage: 'boom',
        payload: { milestone: 'breach' },
      }),
    ]);
    expect(scheduler.schedules()).toEqual([]);
    scheduler.stop();
  });

  it('survive a restart, and fire at start-up what fell due meanwhile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'one-time-'));
    try {
      vi.useFakeTimers({ now: new Date('2026-01-19T09:00:00Z') });
      const first = startOneTimeScheduler({
        groups: ['mentoring-escalation'],
        functionKeyOfArn,
        invoke: async () => ok(),
        dataFile: join(dir, 'schedules.json'),
      });
      first.create(input());
      first.stop();
      vi.setSystemTime(new Date('2026-01-19T11:00:00Z'));
      const invoke = vi.fn(async () => ok());
      const second = startOneTimeScheduler({
        groups: ['mentoring-escalation'],
        functionKeyOfArn,
        invoke,
        dataFile: join(dir, 'schedules.json'),
      });
      await vi.advanceTimersByTimeAsync(0);
      await second.whenIdle();
      expect(invoke).toHaveBeenCalledTimes(1);
      expect(second.schedules()).toEqual([]);
      second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the Scheduler API with @aws-sdk/client-scheduler', () => {
  let server: SchedulerServer;
  let client: SchedulerClient;
  const scheduler = startOneTimeScheduler({
    groups: ['mentoring-escalation'],
    functionKeyOfArn,
    invoke: async () => ok(),
    timers: false,
  });

  beforeAll(async () => {
    server = await startSchedulerServer({ scheduler });
    client = new SchedulerClient({
      endpoint: server.url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
    scheduler.stop();
  });

  it('creates, reads, lists by name prefix a page at a time, and deletes', async () => {
    for (const name of ['esc-1.f1.1.w50', 'esc-1.f1.1.w75', 'esc-10.f1.1.w50']) {
      const created = await client.send(new CreateScheduleCommand(input({ Name: name })));
      expect(created.ScheduleArn).toBe(
        `arn:aws:scheduler:eu-west-1:000000000000:schedule/mentoring-escalation/${name}`,
      );
    }
    const read = await client.send(
      new GetScheduleCommand({ Name: 'esc-1.f1.1.w50', GroupName: 'mentoring-escalation' }),
    );
    expect(read).toMatchObject({
      ScheduleExpression: 'at(2026-01-19T10:00:30)',
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: TARGET },
    });
    expect(read.CreationDate).toBeInstanceOf(Date);
    const first = await client.send(
      new ListSchedulesCommand({ GroupName: 'mentoring-escalation', NamePrefix: 'esc-1.', MaxResults: 1 }),
    );
    const second = await client.send(
      new ListSchedulesCommand({ GroupName: 'mentoring-escalation', NamePrefix: 'esc-1.', NextToken: first.NextToken }),
    );
    expect([...(first.Schedules ?? []), ...(second.Schedules ?? [])].map((schedule) => schedule.Name)).toEqual([
      'esc-1.f1.1.w50',
      'esc-1.f1.1.w75',
    ]);
    await client.send(new DeleteScheduleCommand({ Name: 'esc-1.f1.1.w50', GroupName: 'mentoring-escalation' }));
    await expect(
      client.send(new GetScheduleCommand({ Name: 'esc-1.f1.1.w50', GroupName: 'mentoring-escalation' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('answers AWS’s errors: a name taken, a group or schedule that does not exist, an invalid expression or target', async () => {
    await client.send(new CreateScheduleCommand(input({ Name: 'taken' })));
    await expect(client.send(new CreateScheduleCommand(input({ Name: 'taken' })))).rejects.toBeInstanceOf(
      ConflictException,
    );
    await expect(
      client.send(new CreateScheduleCommand(input({ Name: 'x', GroupName: 'nope' }))),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      client.send(new DeleteScheduleCommand({ Name: 'never', GroupName: 'mentoring-escalation' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      client.send(new CreateScheduleCommand(input({ Name: 'y', ScheduleExpression: 'rate(5 minutes)' }))),
    ).rejects.toBeInstanceOf(ValidationException);
    await expect(
      client.send(
        new CreateScheduleCommand(
          input({ Name: 'z', Target: { Arn: 'arn:aws:lambda:eu-west-1:0:function:other', RoleArn: 'r' } }),
        ),
      ),
    ).rejects.toThrow(/not a function of this platform/);
  });

  it('is what the escalation service’s milestone schedules adapter talks to, unchanged', async () => {
    const milestones = createSchedulerMilestones(client, {
      groupName: 'mentoring-escalation',
      targetArn: TARGET,
      roleArn: 'arn:aws:iam::000000000000:role/scheduler',
    });
    const planned = {
      timer: 'resolution' as const,
      cycle: 2,
      milestone: 'breach-2' as const,
      planId: 7,
      dueAt: '2026-01-23T10:00:00.250Z',
    };
    await milestones.create('esc-42', planned);
    await milestones.create('esc-42', planned);
    expect(await milestones.list('esc-42')).toEqual([
      { timer: 'resolution', cycle: 2, milestone: 'breach-2', planId: 7 },
    ]);
    const stored = await client.send(
      new GetScheduleCommand({ Name: 'esc-42.r2.7.b2', GroupName: 'mentoring-escalation' }),
    );
    // Rounded up to the whole second, never before the milestone.
    expect(stored.ScheduleExpression).toBe('at(2026-01-23T10:00:01)');
    expect(JSON.parse(stored.Target?.Input ?? '{}')).toEqual({ escalationId: 'esc-42', ...planned });
    await milestones.delete('esc-42', planned);
    await milestones.delete('esc-42', planned);
    expect(await milestones.list('esc-42')).toEqual([]);
  });
});
