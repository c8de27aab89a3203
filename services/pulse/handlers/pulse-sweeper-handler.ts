import { logger } from '../../../shared/observability';
import { correlationIdOfFiring, ScheduledInvocationSchema } from '../../../shared/schedules';
import { queueCheckInReminders } from '../domain/mentoring/check-in-reminders';
import type { PulseDependencies } from '../domain/ports';
import { advanceRounds } from '../domain/surveys/lifecycle';
import { CHECK_IN_REMINDERS_SCHEDULE, SURVEY_ROUNDS_SCHEDULE } from './schedule-names';

/**
 * The pulse sweeps, by schedule: `survey-rounds` opens and closes the rounds that are due;
 * `check-in-reminders` queues one reminder for each mentor who missed last month's check-ins.
 * The firing's instant is the sweep's "now" (the same on every retry of that firing). Errors are
 * rethrown: Lambda retries, then dead-letters the firing; the next one catches up anyway.
 */
export const createPulseSweeper = (deps: PulseDependencies) => async (event: unknown) => {
  const firing = ScheduledInvocationSchema.parse(event);
  const correlationId = correlationIdOfFiring(firing);
  logger.appendKeys({ correlationId });
  const at = new Date(firing.scheduledTime);
  const timed = { ...deps, clock: () => new Date(at) };
  if (firing.schedule === CHECK_IN_REMINDERS_SCHEDULE) {
    const summary = await queueCheckInReminders(timed);
    logger.info('Check-in reminders queued', { month: summary.month, mentors: summary.queued.length });
    return { kind: firing.schedule, ...summary };
  }
  if (firing.schedule !== SURVEY_ROUNDS_SCHEDULE) throw new Error(`Unknown schedule ${firing.schedule}`);
  const summary = await advanceRounds(timed, { correlationId });
  logger.info('Survey rounds swept', { opened: summary.opened.length, closed: summary.closed.length });
  return { kind: firing.schedule, ...summary };
};
