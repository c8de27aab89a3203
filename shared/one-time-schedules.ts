/**
 * One-time schedules a function creates at run time (EventBridge Scheduler `at()` schedules in
 * AWS, the local scheduler's Scheduler API here): where they go and who they invoke. A function
 * declares `access: { oneTimeSchedules: { target } }`; `functionEnvironment` then hands it these
 * variables, set by the CDK stack in AWS and by the local runtime locally.
 */
import * as z from './zod';

export const OneTimeScheduleConfigSchema = z.object({
  /** The service's schedule group; the function may create and delete schedules in it only. */
  SCHEDULE_GROUP_NAME: z.string().check(z.minLength(1)),
  /** The function every schedule invokes (the declared target). */
  SCHEDULE_TARGET_ARN: z.string().check(z.minLength(1)),
  /** The role Scheduler assumes to invoke it. */
  SCHEDULE_ROLE_ARN: z.string().check(z.minLength(1)),
  /** Where a firing goes when every retry failed (none locally: the local scheduler keeps its own). */
  SCHEDULE_DEAD_LETTER_ARN: z.optional(z.string().check(z.minLength(1))),
});

export interface OneTimeScheduleSettings {
  groupName: string;
  targetArn: string;
  roleArn: string;
  deadLetterArn?: string;
}

export const oneTimeScheduleSettingsOf = (
  config: z.infer<typeof OneTimeScheduleConfigSchema>,
): OneTimeScheduleSettings => ({
  groupName: config.SCHEDULE_GROUP_NAME,
  targetArn: config.SCHEDULE_TARGET_ARN,
  roleArn: config.SCHEDULE_ROLE_ARN,
  ...(config.SCHEDULE_DEAD_LETTER_ARN ? { deadLetterArn: config.SCHEDULE_DEAD_LETTER_ARN } : {}),
});

/** The schedule group of a service's one-time schedules, in AWS and locally. */
export const oneTimeScheduleGroupOf = (service: { name: string }): string => `mentoring-${service.name}`;
