/**
 * Departments are data, managed by admins: who owns escalations, the lead who hears of breaches,
 * the business calendar SLAs count in, the SLA targets per severity and, optionally, the
 * department's own tracker (an HTTPS endpoint fed with its escalations' events).
 */

import { EscalationSeverityV1 } from '../../../shared/contracts/escalation-events';
import { lazySchema } from '../../../shared/lazy-schema';
import { isIanaTimeZone } from '../../../shared/time-zones';
import * as z from '../../../shared/zod';
import {
  type BusinessCalendar,
  overlappingShifts,
  type Weekday,
  weekdays,
  weeklyOpenMinutes,
} from './sla/business-hours';

/** The life coach owns personal matters and the automatic escalations of people at risk and overdue 1:1s. */
export const LIFE_COACH_DEPARTMENT = 'life-coach';

/** Department ids appear in paths, keys, OAuth scopes and rule names: short lower-case slugs. */
export const DepartmentIdSchema = lazySchema(() =>
  z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1-40 characters: lower-case letters, digits or "-"')),
);

export const TimeZoneSchema = lazySchema(() =>
  z.string().check(z.refine(isIanaTimeZone, 'must be an IANA time zone such as "Europe/Berlin"')),
);

const ShiftSchema = lazySchema(() =>
  z
    .strictObject({
      start: z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time "HH:MM"')),
      end: z.string().check(z.regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a local time "HH:MM" or "24:00"')),
    })
    .check(
      z.refine(
        (shift) => shift.start !== shift.end,
        'start and end must differ (a shift ending before it starts runs past midnight)',
      ),
    ),
);

const DayHoursSchema = lazySchema(() => z._default(z.array(ShiftSchema()).check(z.maxLength(4)), []));

export const WeeklyHoursSchema = lazySchema(() =>
  z
    .strictObject(
      Object.fromEntries(weekdays.map((day) => [day, DayHoursSchema()])) as Record<
        Weekday,
        ReturnType<typeof DayHoursSchema>
      >,
    )
    .check(
      z.superRefine((hours, context) => {
        if (weeklyOpenMinutes(hours) === 0) {
          context.addIssue({ code: 'custom', message: 'must open at least once a week' });
        }
        for (const overlap of overlappingShifts(hours)) {
          context.addIssue({ code: 'custom', message: `shifts overlap: ${overlap}` });
        }
      }),
    ),
);

const TargetSchema = lazySchema(() =>
  z
    .strictObject({
      firstResponseMinutes: z.int().check(z.minimum(1), z.maximum(60 * 24 * 60)),
      resolutionMinutes: z.int().check(z.minimum(1), z.maximum(60 * 24 * 365)),
    })
    .check(
      z.refine((target) => target.firstResponseMinutes <= target.resolutionMinutes, {
        message: 'firstResponseMinutes must not exceed resolutionMinutes',
        path: ['firstResponseMinutes'],
      }),
    ),
);

export const SlaTargetsSchema = lazySchema(() =>
  z.strictObject(
    Object.fromEntries(EscalationSeverityV1().options.map((severity) => [severity, TargetSchema()])) as Record<
      z.infer<ReturnType<typeof EscalationSeverityV1>>,
      ReturnType<typeof TargetSchema>
    >,
  ),
);
export type SlaTargets = z.infer<ReturnType<typeof SlaTargetsSchema>>;

const WebhookAuthSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('api-key'),
      headerName: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name')),
      value: z.string().check(z.minLength(1), z.maxLength(512)),
    }),
    z.strictObject({
      kind: z.literal('basic'),
      username: z.string().check(z.minLength(1), z.maxLength(512)),
      password: z.string().check(z.minLength(1), z.maxLength(512)),
    }),
  ]),
);
export type WebhookAuth = z.infer<ReturnType<typeof WebhookAuthSchema>>;

/**
 * A department's own tracker (a Jira or ServiceNow inbound webhook, say): every event about its
 * escalations is POSTed there. The credentials are write-only: they go to the delivery's
 * connection and are never stored here nor shown again. Left out on a later PUT, the connection
 * keeps the credentials it has.
 */
export const WebhookInputSchema = lazySchema(() =>
  z.strictObject({
    url: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).check(z.maxLength(2048)),
    auth: z.optional(WebhookAuthSchema()),
  }),
);
export type WebhookInput = z.infer<ReturnType<typeof WebhookInputSchema>>;

export const DepartmentInputSchema = lazySchema(() =>
  z.strictObject({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    leadEmail: z.email(),
    timezone: TimeZoneSchema(),
    businessHours: WeeklyHoursSchema(),
    holidays: z
      ._default(z.array(z.iso.date()).check(z.maxLength(400)), [])
      .check(z.refine((dates) => new Set(dates).size === dates.length, 'must not repeat a date')),
    slaTargets: SlaTargetsSchema(),
    webhook: z._default(z.nullable(WebhookInputSchema()), null),
  }),
);
export type DepartmentInput = z.infer<ReturnType<typeof DepartmentInputSchema>>;

/** What is kept and shown of a webhook: where it goes and how it authenticates, never the secret. */
export const WebhookViewSchema = lazySchema(() =>
  z.object({
    url: z.string(),
    authKind: z.enum(['api-key', 'basic']),
    /** The header an API key goes in, or the basic-auth user name. */
    authName: z.string(),
  }),
);
export type WebhookView = z.infer<ReturnType<typeof WebhookViewSchema>>;

export const DepartmentSchema = lazySchema(() =>
  z.extend(z.omit(DepartmentInputSchema(), { webhook: true }), {
    departmentId: DepartmentIdSchema(),
    webhook: z.nullable(WebhookViewSchema()),
    version: z.int().check(z.minimum(1)),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export type Department = z.infer<ReturnType<typeof DepartmentSchema>>;

export const calendarOf = (
  department: Pick<Department, 'timezone' | 'businessHours' | 'holidays'>,
): BusinessCalendar => ({
  timeZone: department.timezone,
  weeklyHours: department.businessHours,
  holidays: department.holidays,
});

const weekdayHours = [{ start: '09:00', end: '17:00' }];

/**
 * What the life coach's escalations count in until an admin stores the `life-coach` department:
 * Monday to Friday 09:00-17:00 UTC and these targets. Its lead is the life coach, whose address
 * comes from the directory (people with the `life-coach` role).
 */
export const defaultLifeCoachDepartment = (now: Date): Department => ({
  departmentId: LIFE_COACH_DEPARTMENT,
  name: 'Life coach',
  // Never emailed: until the department is stored, the life coach's address comes from the directory.
  leadEmail: 'life-coach@example.invalid',
  timezone: 'UTC',
  businessHours: {
    mon: weekdayHours,
    tue: weekdayHours,
    wed: weekdayHours,
    thu: weekdayHours,
    fri: weekdayHours,
    sat: [],
    sun: [],
  },
  holidays: [],
  slaTargets: {
    critical: { firstResponseMinutes: 60, resolutionMinutes: 8 * 60 },
    high: { firstResponseMinutes: 4 * 60, resolutionMinutes: 3 * 8 * 60 },
    medium: { firstResponseMinutes: 8 * 60, resolutionMinutes: 5 * 8 * 60 },
    low: { firstResponseMinutes: 2 * 8 * 60, resolutionMinutes: 10 * 8 * 60 },
  },
  webhook: null,
  version: 1,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
});

/** The webhook as kept: the credentials are dropped (they live in the delivery's connection). */
export const webhookViewOf = (input: WebhookInput, previous: WebhookView | null): WebhookView | null => {
  if (input.auth) {
    return {
      url: input.url,
      authKind: input.auth.kind,
      authName: input.auth.kind === 'api-key' ? input.auth.headerName : input.auth.username,
    };
  }
  return previous ? { ...previous, url: input.url } : null;
};
