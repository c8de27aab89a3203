/**
 * The scheduling service's deployment settings: declared here once (every function gets them as
 * environment variables, with these defaults unless the deployment sets others) and read into
 * the domain's policy at cold start.
 */

import type { SettingDeclaration } from '../../shared/declaration';
import { minuteOfDay } from '../../shared/time-zones';
import * as z from '../../shared/zod';
import { defaultPolicy, type SchedulingPolicy } from './domain/policy';

/** The declared secret that signs the links in emails. */
export const LINK_SIGNING_KEY = 'link-signing-key';

export const schedulingSettings: readonly SettingDeclaration[] = [
  {
    name: 'MEETING_URL_TEMPLATE',
    description: 'Video-call link of a session whose host set no meeting link of their own; `{sessionId}` is replaced.',
    default: defaultPolicy.meetingUrlTemplate,
  },
  {
    name: 'ONE_ON_ONE_FIRST_WITHIN_DAYS',
    description: 'The first 1:1 of a mentorship is due this many days after it starts.',
    default: String(defaultPolicy.cadence.firstWithinDays),
  },
  {
    name: 'ONE_ON_ONE_EVERY_MONTHS',
    description: 'The next 1:1 is due this many calendar months after the last completed one.',
    default: String(defaultPolicy.cadence.everyMonths),
  },
  {
    name: 'ONE_ON_ONE_REMINDER_DAYS_BEFORE',
    description: 'Days before the due date at which a pair with nothing scheduled is reminded.',
    default: String(defaultPolicy.cadence.dueReminderDaysBefore),
  },
  {
    name: 'INACTIVITY_WARNING_DAYS',
    description: 'Days without a completed 1:1 after which the pair is warned.',
    default: String(defaultPolicy.cadence.inactivityWarningDays),
  },
  {
    name: 'INACTIVITY_OVERDUE_DAYS',
    description: 'Days without a completed 1:1 after which OneOnOne.Overdue is raised.',
    default: String(defaultPolicy.cadence.overdueDays),
  },
  {
    name: 'POD_SESSION_EVERY_MONTHS',
    description: 'Months between pod sessions (mentor and all mentees); 0: pods have no cadence.',
    default: String(defaultPolicy.cadence.podEveryMonths),
  },
  {
    name: 'REMINDER_LOCAL_TIME',
    description: 'Local time (HH:MM) at which reminders reach people, on working days.',
    default: '08:00',
  },
  {
    name: 'ATTENDANCE_LINK_DAYS',
    description: 'Days a "did it happen?" link works.',
    default: String(defaultPolicy.email.attendanceLinkDays),
  },
  {
    name: 'SENDER_NAME',
    description: 'Display name of the sender of every email.',
    default: 'Mentoring programme',
  },
];

const days = z.coerce.number().check(z.int(), z.minimum(1), z.maximum(3650));

export const SettingsSchema = z.object({
  MEETING_URL_TEMPLATE: z.url({ protocol: /^https?$/ }),
  ONE_ON_ONE_FIRST_WITHIN_DAYS: days,
  ONE_ON_ONE_EVERY_MONTHS: z.coerce.number().check(z.int(), z.minimum(1), z.maximum(12)),
  ONE_ON_ONE_REMINDER_DAYS_BEFORE: z.coerce.number().check(z.int(), z.minimum(0), z.maximum(60)),
  INACTIVITY_WARNING_DAYS: days,
  INACTIVITY_OVERDUE_DAYS: days,
  POD_SESSION_EVERY_MONTHS: z.coerce.number().check(z.int(), z.minimum(0), z.maximum(12)),
  REMINDER_LOCAL_TIME: z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time "HH:MM"')),
  ATTENDANCE_LINK_DAYS: days,
  SENDER_NAME: z.string().check(z.minLength(1), z.maxLength(100)),
});

export const policyFromSettings = (settings: z.infer<typeof SettingsSchema>): SchedulingPolicy => ({
  cadence: {
    firstWithinDays: settings.ONE_ON_ONE_FIRST_WITHIN_DAYS,
    everyMonths: settings.ONE_ON_ONE_EVERY_MONTHS,
    dueReminderDaysBefore: settings.ONE_ON_ONE_REMINDER_DAYS_BEFORE,
    inactivityWarningDays: settings.INACTIVITY_WARNING_DAYS,
    overdueDays: settings.INACTIVITY_OVERDUE_DAYS,
    podEveryMonths: settings.POD_SESSION_EVERY_MONTHS,
  },
  email: {
    morningMinute: minuteOfDay(settings.REMINDER_LOCAL_TIME),
    attendanceLinkDays: settings.ATTENDANCE_LINK_DAYS,
  },
  meetingUrlTemplate: settings.MEETING_URL_TEMPLATE,
  minimumNoticeMinutes: defaultPolicy.minimumNoticeMinutes,
});
