/** Production wiring of `sla-scheduler`: the table and the Scheduler API for milestone schedules. */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { readConfig } from '../../../shared/config';
import { OneTimeScheduleConfigSchema, oneTimeScheduleSettingsOf } from '../../../shared/one-time-schedules';
import type { EscalationDependencies, MilestoneSchedules } from '../domain/ports';
import { type Env, loadEscalationDependencies } from './escalation-dependencies';
import { createSchedulerMilestones } from './scheduler-milestones';

export const loadScheduleDependencies = (
  env: Env = process.env,
): EscalationDependencies & { schedules: MilestoneSchedules } => ({
  ...loadEscalationDependencies(env),
  schedules: createSchedulerMilestones(
    new SchedulerClient({}),
    oneTimeScheduleSettingsOf(readConfig(OneTimeScheduleConfigSchema, env)),
  ),
});
