import * as z from './zod';

/**
 * What a schedule's firing hands its function: which schedule fired, for which instant (not when
 * it ran). EventBridge Scheduler sends it (infra/service-construct.ts), the local scheduler too.
 */
export const ScheduledInvocationSchema = z.object({
  schedule: z.string().check(z.minLength(1)),
  scheduledTime: z.iso.datetime(),
});
export type ScheduledInvocation = z.infer<typeof ScheduledInvocationSchema>;

/** The correlation id of the writes a firing makes: traced to the schedule and its instant. */
export const correlationIdOfFiring = (firing: ScheduledInvocation): string =>
  `${firing.schedule}@${firing.scheduledTime}`;
