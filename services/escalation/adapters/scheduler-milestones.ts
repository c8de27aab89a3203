/**
 * Milestone schedules as EventBridge Scheduler one-time schedules, through
 * `@aws-sdk/client-scheduler` (AWS, or the local scheduler at AWS_ENDPOINT_URL_SCHEDULER: the
 * same calls). One schedule per milestone, in the service's schedule group, named
 * `<escalationId>.<f|r><cycle>.<planId>.<w50|w75|b1|b2>` so the schedules of an escalation are
 * listed by name prefix and the plan each belongs to is read from its name. Each invokes the SLA
 * timer function with its milestone as input, with Scheduler's retries and dead-letter queue,
 * and is deleted by Scheduler once it ran.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { OneTimeScheduleSettings } from '../../../shared/one-time-schedules';
import type { MilestoneSchedules, ScheduledMilestone } from '../domain/ports';
import { firingInputOf } from '../domain/sla/schedules';
import type { Milestone, PlannedMilestone } from '../domain/sla/timers';

const milestoneCodes: Readonly<Record<Milestone, string>> = {
  'warning-50': 'w50',
  'warning-75': 'w75',
  breach: 'b1',
  'breach-2': 'b2',
};
const milestoneOfCode = Object.fromEntries(
  Object.entries(milestoneCodes).map(([milestone, code]) => [code, milestone]),
) as Record<string, Milestone>;

export const scheduleNameOf = (escalationId: string, item: ScheduledMilestone): string =>
  `${escalationId}.${item.timer === 'first-response' ? 'f' : 'r'}${item.cycle}.${item.planId}.${milestoneCodes[item.milestone]}`;

const NAME = /^(.+)\.([fr])(\d+)\.(\d+)\.(w50|w75|b1|b2)$/;

export const scheduledMilestoneOf = (name: string): (ScheduledMilestone & { escalationId: string }) | undefined => {
  const match = NAME.exec(name);
  if (!match) return undefined;
  return {
    escalationId: match[1] as string,
    timer: match[2] === 'f' ? 'first-response' : 'resolution',
    cycle: Number(match[3]),
    planId: Number(match[4]),
    milestone: milestoneOfCode[match[5] as string] as Milestone,
  };
};

/**
 * `at()` takes whole seconds: the due instant rounded up, so a schedule never fires before its
 * milestone. (Scheduler invokes within the minute; the timer function waits out the rest.)
 */
export const atExpressionOf = (dueAt: string): string =>
  `at(${new Date(Math.ceil(Date.parse(dueAt) / 1000) * 1000).toISOString().slice(0, 19)})`;

/** Scheduler retries a failed invocation this often, for up to a day, then dead-letters it. */
const RETRY_POLICY = { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 24 * 3600 };

export const createSchedulerMilestones = (
  client: SchedulerClient,
  settings: OneTimeScheduleSettings,
): MilestoneSchedules => ({
  async list(escalationId) {
    const found: ScheduledMilestone[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListSchedulesCommand({
          GroupName: settings.groupName,
          NamePrefix: `${escalationId}.`,
          NextToken: nextToken,
        }),
      );
      for (const schedule of page.Schedules ?? []) {
        const parsed = schedule.Name ? scheduledMilestoneOf(schedule.Name) : undefined;
        if (parsed?.escalationId === escalationId) {
          const { escalationId: _id, ...milestone } = parsed;
          found.push(milestone);
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return found;
  },

  async create(escalationId, planned: PlannedMilestone) {
    try {
      await client.send(
        new CreateScheduleCommand({
          Name: scheduleNameOf(escalationId, planned),
          GroupName: settings.groupName,
          ScheduleExpression: atExpressionOf(planned.dueAt),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Description: `SLA ${planned.milestone} of the ${planned.timer} timer of escalation ${escalationId}`,
          Target: {
            Arn: settings.targetArn,
            RoleArn: settings.roleArn,
            Input: JSON.stringify(firingInputOf(escalationId, planned)),
            RetryPolicy: RETRY_POLICY,
            ...(settings.deadLetterArn ? { DeadLetterConfig: { Arn: settings.deadLetterArn } } : {}),
          },
        }),
      );
    } catch (error) {
      // Created by an earlier delivery of the same event: it is the same schedule.
      if (!(error instanceof ConflictException)) throw error;
    }
  },

  async delete(escalationId, scheduled) {
    try {
      await client.send(
        new DeleteScheduleCommand({ Name: scheduleNameOf(escalationId, scheduled), GroupName: settings.groupName }),
      );
    } catch (error) {
      // Fired and deleted by Scheduler, or deleted by an earlier delivery.
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  },
});
