/** Cadences, skip-level plans, the caller's own settings, and suppressed addresses: one contract each. */

import { defineRoute } from '../../../shared/http/contract';
import { lazySchema } from '../../../shared/lazy-schema';
import * as z from '../../../shared/zod';
import {
  CursorSchema,
  DurationSchema,
  IdSchema,
  LimitSchema,
  NotificationKindSchema,
  PageOf,
  PersonIdSchema,
  requireZoneForLocalTimes,
  StartsAtSchema,
  TimeZoneSchema,
} from './schemas';

const everyone = ['employee', 'mentor', 'life-coach', 'admin'] as const;
const lifeCoach = ['life-coach'] as const;

const PersonNameSchema = lazySchema(() => z.object({ personId: z.string(), name: z.string() }));

export const CadenceSchema = lazySchema(() =>
  z.object({
    mentorshipId: z.string(),
    podId: z.string(),
    mentor: PersonNameSchema(),
    mentee: PersonNameSchema(),
    startedAt: z.iso.datetime(),
    lastCompletedAt: z.nullable(z.iso.datetime()),
    dueAt: z.iso.datetime(),
    status: z.enum(['on-track', 'due', 'overdue']),
    daysWithoutOneOnOne: z.int(),
    nextSession: z.nullable(z.object({ sessionId: z.string(), startsAt: z.iso.datetime() })),
  }),
);

export const listCadences = defineRoute({
  method: 'GET',
  path: '/cadences',
  summary: 'The 1:1 cadence of each pair: on track, due or overdue',
  description:
    'The life coach: every active pair, a page at a time (optionally one mentor’s). A mentor: their pod’s pairs. A mentee: their own. `due`: the due date is within 7 days and nothing is scheduled before it; `overdue`: it has passed without a completed 1:1.',
  auth: { roles: everyone },
  query: () => z.strictObject({ limit: LimitSchema(), cursor: CursorSchema(), mentorId: z.optional(PersonIdSchema()) }),
  responses: { 200: { description: 'Cadences', schema: () => PageOf(CadenceSchema()) } },
  problems: { 403: 'Only the life coach may page through everyone’s cadences or filter by mentor' },
});

const quarter = lazySchema(() => z.string().check(z.regex(/^\d{4}-Q[1-4]$/, 'must be a quarter such as "2027-Q2"')));

export const CreatePlanSchema = lazySchema(() =>
  z.strictObject({
    quarter: quarter(),
    /** At most this many skip-levels in one week. */
    weeklyLimit: z._default(z.int().check(z.minimum(1), z.maximum(100)), 10),
    durationMinutes: z._default(DurationSchema(), 30),
    /** Only people of these domains (default: everyone in the programme but the life coach). */
    domains: z.optional(
      z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))).check(z.minLength(1), z.maxLength(50)),
    ),
  }),
);

const PlanEntrySchema = lazySchema(() =>
  z.object({
    entryId: z.string(),
    personId: z.string(),
    name: z.string(),
    week: z.int(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    /** The person's own clock. */
    localStart: z.string(),
    timezone: z.string(),
    atRisk: z.boolean(),
    state: z.enum(['proposed', 'scheduled', 'conflict']),
    sessionId: z.nullable(z.string()),
    note: z.nullable(z.string()),
  }),
);

export const PlanSchema = lazySchema(() =>
  z.object({
    planId: z.string(),
    quarter: z.string(),
    status: z.enum(['proposed', 'confirming', 'confirmed']),
    weeklyLimit: z.int(),
    durationMinutes: z.int(),
    domains: z.nullable(z.array(z.string())),
    weeks: z.array(z.object({ week: z.int(), startsOn: z.string(), endsOn: z.string(), entries: z.int() })),
    entries: z.array(PlanEntrySchema()),
    unplanned: z.array(z.object({ personId: z.string(), name: z.string(), reason: z.string() })),
    createdAt: z.iso.datetime(),
    confirmedAt: z.nullable(z.iso.datetime()),
  }),
);

const PlanPathSchema = lazySchema(() => z.strictObject({ planId: IdSchema() }));

export const createPlan = defineRoute({
  method: 'POST',
  path: '/skip-levels/plans',
  summary: 'Propose a quarter’s skip-level plan: everyone once, spread over the weeks, people at risk first',
  auth: { roles: lifeCoach },
  body: { schema: CreatePlanSchema, maxBytes: 8 * 1024 },
  responses: { 201: { description: 'The proposal (nothing is scheduled yet)', schema: PlanSchema } },
  problems: { 422: 'The quarter is over, or the life coach is not in the directory' },
});

export const getPlan = defineRoute({
  method: 'GET',
  path: '/skip-levels/plans/{planId}',
  summary: 'A skip-level plan with its entries',
  auth: { roles: lifeCoach },
  params: PlanPathSchema,
  responses: { 200: { description: 'The plan', schema: PlanSchema } },
  problems: { 404: 'No such plan of the caller’s' },
});

export const MoveEntrySchema = lazySchema(() =>
  z
    .strictObject({ startsAt: StartsAtSchema(), timeZone: z.optional(TimeZoneSchema()) })
    .check(z.superRefine(requireZoneForLocalTimes)),
);

export const moveEntry = defineRoute({
  method: 'PATCH',
  path: '/skip-levels/plans/{planId}/entries/{entryId}',
  summary: 'Move one entry of a proposed plan to another slot',
  auth: { roles: lifeCoach },
  params: () => z.strictObject({ planId: IdSchema(), entryId: IdSchema() }),
  body: { schema: MoveEntrySchema, maxBytes: 1024 },
  responses: { 200: { description: 'The plan with the moved entry', schema: PlanSchema } },
  problems: {
    404: 'No such plan or entry',
    409: 'The plan is confirmed (or being confirmed), or changed at the same time',
    422: 'In the past, outside the quarter or someone’s working hours, over the weekly limit, or the slot is taken',
  },
});

export const confirmPlan = defineRoute({
  method: 'POST',
  path: '/skip-levels/plans/{planId}/confirm',
  summary: 'Confirm a plan: its sessions are scheduled and invites go out (one confirmed plan per quarter)',
  description:
    'Entries that no longer fit (someone left, a session took the slot) are marked `conflict`. A large plan may answer 202 before it is done: confirm again to carry on.',
  auth: { roles: lifeCoach },
  params: PlanPathSchema,
  responses: {
    200: { description: 'Confirmed', schema: PlanSchema },
    202: { description: 'Partly done: confirm again to carry on', schema: PlanSchema },
  },
  problems: { 404: 'No such plan', 409: 'Confirmed already, or the quarter has another confirmed plan' },
});

export const PreferencesSchema = lazySchema(() =>
  z.object({
    /** Kinds of email turned off. Calendar invites cannot be (`session-invites` is always sent). */
    optedOut: z.array(NotificationKindSchema()),
  }),
);

export const getPreferences = defineRoute({
  method: 'GET',
  path: '/me/notification-preferences',
  summary: 'The kinds of email you turned off',
  auth: { roles: everyone },
  responses: { 200: { description: 'Your preferences', schema: PreferencesSchema } },
});

export const putPreferences = defineRoute({
  method: 'PUT',
  path: '/me/notification-preferences',
  summary: 'Turn kinds of email off (the whole set); calendar invites always go out',
  auth: { roles: everyone },
  body: {
    schema: () =>
      z.strictObject({
        optedOut: z
          .array(
            NotificationKindSchema().check(
              z.refine((kind) => kind !== 'session-invites', 'calendar invites cannot be turned off'),
            ),
          )
          .check(z.maxLength(20)),
      }),
    maxBytes: 4 * 1024,
  },
  responses: { 200: { description: 'Your preferences', schema: PreferencesSchema } },
});

export const MeetingLinkSchema = lazySchema(() => z.object({ meetingLink: z.nullable(z.string()) }));

export const getMeetingLink = defineRoute({
  method: 'GET',
  path: '/me/meeting-link',
  summary: 'The video-call link of the sessions you host (null: the deployment’s per-session link)',
  auth: { roles: ['mentor', 'life-coach'] },
  responses: { 200: { description: 'Your meeting link', schema: MeetingLinkSchema } },
});

export const putMeetingLink = defineRoute({
  method: 'PUT',
  path: '/me/meeting-link',
  summary: 'Set the video-call link of the sessions you host from now on',
  auth: { roles: ['mentor', 'life-coach'] },
  body: {
    schema: () =>
      z.strictObject({
        meetingLink: z.nullable(z.url({ protocol: /^https$/ }).check(z.maxLength(500))),
      }),
    maxBytes: 2 * 1024,
  },
  responses: { 200: { description: 'Your meeting link', schema: MeetingLinkSchema } },
});

export const SuppressionSchema = lazySchema(() =>
  z.object({
    email: z.string(),
    personId: z.nullable(z.string()),
    reason: z.enum(['bounce', 'complaint']),
    suppressedAt: z.iso.datetime(),
    detail: z.string(),
  }),
);

export const listSuppressions = defineRoute({
  method: 'GET',
  path: '/email-suppressions',
  summary: 'Addresses no email goes to any more (hard bounces and complaints), oldest first',
  auth: { roles: ['admin'] },
  query: () => z.strictObject({ limit: LimitSchema(), cursor: CursorSchema() }),
  responses: { 200: { description: 'Suppressed addresses', schema: () => PageOf(SuppressionSchema()) } },
});

export const programmeRoutes = [
  listCadences,
  createPlan,
  getPlan,
  moveEntry,
  confirmPlan,
  getPreferences,
  putPreferences,
  getMeetingLink,
  putMeetingLink,
  listSuppressions,
] as const;
