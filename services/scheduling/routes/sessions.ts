/** The sessions routes: one contract each (shared/http/contract.ts). */

import { defineRoute } from '../../../shared/http/contract';
import { lazySchema } from '../../../shared/lazy-schema';
import * as z from '../../../shared/zod';
import {
  ActionItemSchema,
  CursorSchema,
  DurationSchema,
  IdSchema,
  LimitSchema,
  PageOf,
  PersonIdSchema,
  requireZoneForLocalTimes,
  SessionDetailSchema,
  SessionViewSchema,
  StartsAtSchema,
  TimeZoneSchema,
} from './schemas';

const everyone = ['employee', 'mentor', 'life-coach', 'admin'] as const;
const MAX_SESSION_BYTES = 32 * 1024;

export const SessionPathSchema = lazySchema(() => z.strictObject({ sessionId: IdSchema() }));

export const ListSessionsQuerySchema = lazySchema(() =>
  z.strictObject({
    personId: z.optional(PersonIdSchema()),
    from: z.optional(z.iso.datetime({ offset: true })),
    to: z.optional(z.iso.datetime({ offset: true })),
    limit: LimitSchema(),
    cursor: CursorSchema(),
    timeZone: z.optional(TimeZoneSchema()),
  }),
);

export const SuggestionsQuerySchema = lazySchema(() =>
  z.strictObject({
    mentorId: PersonIdSchema(),
    menteeId: PersonIdSchema(),
    durationMinutes: z._default(z.pipe(z.coerce.number(), DurationSchema()), 30),
    count: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(20)), 5),
    timeZone: z.optional(TimeZoneSchema()),
  }),
);

export const SuggestionsSchema = lazySchema(() =>
  z.object({
    durationMinutes: z.int(),
    slots: z.array(
      z.object({
        startsAt: z.iso.datetime(),
        endsAt: z.iso.datetime(),
        /** Each person's own clock. */
        participants: z.array(
          z.object({ personId: z.string(), timezone: z.string(), start: z.string(), end: z.string() }),
        ),
        local: z.optional(z.object({ timezone: z.string(), start: z.string(), end: z.string() })),
      }),
    ),
  }),
);

const timing = lazySchema(() => ({
  startsAt: StartsAtSchema(),
  timeZone: z.optional(TimeZoneSchema()),
  durationMinutes: z._default(DurationSchema(), 30),
  agenda: z.optional(z.string().check(z.maxLength(4000))),
}));

export const CreateSessionSchema = lazySchema(() =>
  z
    .discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('one-on-one'),
        mentorId: PersonIdSchema(),
        menteeId: PersonIdSchema(),
        ...timing(),
      }),
      z.strictObject({ kind: z.literal('pod'), podId: IdSchema(), ...timing() }),
      z.strictObject({ kind: z.literal('skip-level'), personId: PersonIdSchema(), ...timing() }),
    ])
    .check(z.superRefine(requireZoneForLocalTimes)),
);

export const ChangeSessionSchema = lazySchema(() =>
  z
    .strictObject({
      startsAt: z.optional(StartsAtSchema()),
      timeZone: z.optional(TimeZoneSchema()),
      durationMinutes: z.optional(DurationSchema()),
      agenda: z.optional(z.string().check(z.maxLength(4000))),
      actionItems: z.optional(
        z
          .array(
            z.extend(ActionItemSchema(), {
              id: z.optional(IdSchema()),
              text: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
            }),
          )
          .check(z.maxLength(50)),
      ),
    })
    .check(
      z.superRefine(requireZoneForLocalTimes),
      z.refine(
        (body) => Object.keys(body).some((key) => key !== 'timeZone'),
        'must change something: startsAt, durationMinutes, agenda or actionItems',
      ),
    ),
);

export const AttendanceSchema = lazySchema(() => z.strictObject({ happened: z.boolean() }));

export const listSessions = defineRoute({
  method: 'GET',
  path: '/sessions',
  summary: 'Your sessions (the life coach: anyone’s, or everyone’s), by start time',
  description:
    'Sessions starting between `from` (default: 30 days ago) and `to` (default: a year ahead). The life coach may pass `personId`, or leave it out for every session.',
  auth: { roles: everyone },
  query: ListSessionsQuerySchema,
  responses: { 200: { description: 'A page of sessions', schema: () => PageOf(SessionViewSchema()) } },
  problems: { 403: 'Only the life coach may list someone else’s sessions' },
});

export const sessionSuggestions = defineRoute({
  method: 'GET',
  path: '/sessions/suggestions',
  summary: 'The next free slots for a 1:1, inside both people’s working hours',
  description:
    'Working days, each person’s own hours in their own time zone (night shifts included), avoiding both people’s scheduled sessions, from an hour from now, looking four weeks ahead.',
  auth: { roles: everyone },
  query: SuggestionsQuerySchema,
  responses: { 200: { description: 'Free slots, soonest first', schema: SuggestionsSchema } },
  problems: {
    403: 'Only the mentor, the mentee or the life coach may ask',
    422: 'One of them is not an active person in the programme',
  },
});

export const getSession = defineRoute({
  method: 'GET',
  path: '/sessions/{sessionId}',
  summary: 'One session, with the open action items of the one before',
  auth: { roles: everyone },
  params: SessionPathSchema,
  query: () => z.strictObject({ timeZone: z.optional(TimeZoneSchema()) }),
  responses: { 200: { description: 'The session', schema: SessionDetailSchema } },
  problems: { 404: 'No such session, or one the caller does not take part in (alike, so nothing is revealed)' },
});

export const createSession = defineRoute({
  method: 'POST',
  path: '/sessions',
  summary:
    'Schedule a session (a participant: the mentor or mentee of a 1:1, a pod member, the life coach for a skip-level)',
  description:
    'Checks that the slot is in the future, inside every participant’s working hours and free in their calendars; sends each an iCalendar invite.',
  auth: { roles: everyone },
  body: { schema: CreateSessionSchema, maxBytes: MAX_SESSION_BYTES },
  responses: { 201: { description: 'Scheduled; invites are on their way', schema: SessionViewSchema } },
  problems: {
    403: 'The caller is not a participant of the session asked for',
    409: 'The slot clashes with another session of a participant (named), or the calendars kept changing',
    422: 'In the past, outside someone’s working hours (named), no such mentorship or pod, or someone unknown',
  },
});

export const changeSession = defineRoute({
  method: 'PATCH',
  path: '/sessions/{sessionId}',
  summary: 'Reschedule a session, or edit its shared agenda and action items (a participant)',
  description: 'A new time sends updated invites (same UID, higher SEQUENCE); agenda and action items do not.',
  auth: { roles: everyone },
  params: SessionPathSchema,
  body: { schema: ChangeSessionSchema, maxBytes: MAX_SESSION_BYTES },
  responses: { 200: { description: 'The session as it now is', schema: SessionViewSchema } },
  problems: {
    404: 'No such session, or one the caller does not take part in',
    409: 'A clash (named), a session that cannot move any more (cancelled, happened), or concurrent changes',
    422: 'In the past or outside someone’s working hours (named)',
  },
});

export const cancelSession = defineRoute({
  method: 'POST',
  path: '/sessions/{sessionId}/cancel',
  summary: 'Cancel a scheduled session (a participant); everyone gets a CANCEL invite',
  auth: { roles: everyone },
  params: SessionPathSchema,
  responses: { 200: { description: 'Cancelled', schema: SessionViewSchema } },
  problems: { 404: 'No such session, or not the caller’s', 409: 'The session is not scheduled any more' },
});

export const completeSession = defineRoute({
  method: 'POST',
  path: '/sessions/{sessionId}/complete',
  summary: 'Record that a session took place (a participant); a 1:1 resets the pair’s cadence',
  auth: { roles: everyone },
  params: SessionPathSchema,
  responses: { 200: { description: 'Completed', schema: SessionViewSchema } },
  problems: { 404: 'No such session, or not the caller’s', 409: 'Not started yet, or already recorded or cancelled' },
});

export const reportAttendance = defineRoute({
  method: 'POST',
  path: '/sessions/{sessionId}/attendance',
  summary: 'Answer "did it happen?": yes completes the session, no records it as missed',
  auth: { roles: everyone },
  params: SessionPathSchema,
  body: { schema: AttendanceSchema, maxBytes: 1024 },
  responses: { 200: { description: 'Recorded', schema: SessionViewSchema } },
  problems: { 404: 'No such session, or not the caller’s', 409: 'Not started yet, or already recorded or cancelled' },
});

export const sessionRoutes = [
  listSessions,
  sessionSuggestions,
  getSession,
  createSession,
  changeSession,
  cancelSession,
  completeSession,
  reportAttendance,
] as const;
