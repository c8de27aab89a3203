/** Shapes shared by the scheduling routes: ids, times, and the views of sessions and people. */

import { lazySchema } from '../../../shared/lazy-schema';
import { isIanaTimeZone } from '../../../shared/time-zones';
import * as z from '../../../shared/zod';
import { notificationKinds, SESSION_DURATIONS, sessionKinds } from '../domain/vocabulary';

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const IdSchema = lazySchema(() =>
  z.string().check(z.regex(ID_PATTERN, 'must be 1-128 characters: letters, digits, ".", "_" or "-"')),
);
export const PersonIdSchema = lazySchema(() =>
  z
    .string()
    .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 characters: letters, digits, ".", "_" or "-"')),
);

export const TimeZoneSchema = lazySchema(() =>
  z
    .string()
    .check(z.maxLength(64), z.refine(isIanaTimeZone, 'is not a known IANA time zone (such as "Europe/Berlin")')),
);

/** An instant with an offset (`2027-03-02T10:00:00+01:00`, `...Z`), or a local time (`2027-03-02T10:00`) read in `timeZone`. */
export const StartsAtSchema = lazySchema(() =>
  z
    .string()
    .check(
      z.regex(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/,
        'must be a date-time such as "2027-03-02T10:00:00+01:00", or "2027-03-02T10:00" with timeZone',
      ),
    ),
);

export const hasOffset = (value: string) => /(Z|[+-]\d{2}:\d{2})$/.test(value);

/** A body with `startsAt` needs a `timeZone` when the time has no offset. */
export const requireZoneForLocalTimes = <T extends { startsAt?: string | undefined; timeZone?: string | undefined }>(
  body: T,
  context: z.core.$RefinementCtx,
) => {
  if (body.startsAt && !hasOffset(body.startsAt) && !body.timeZone) {
    context.addIssue({ code: 'custom', path: ['timeZone'], message: 'is required when startsAt has no offset' });
  }
};

export const DurationSchema = lazySchema(() => z.union(SESSION_DURATIONS.map((minutes) => z.literal(minutes))));

export const SessionKindSchema = lazySchema(() => z.enum(sessionKinds));
export const NotificationKindSchema = lazySchema(() => z.enum(notificationKinds));

const LocalTimesSchema = lazySchema(() =>
  z.object({
    timezone: z.string(),
    /** `2027-03-02T10:00` on that person's clock. */
    start: z.string(),
    end: z.string(),
  }),
);

export const ParticipantViewSchema = lazySchema(() =>
  z.extend(z.object({ personId: z.string(), name: z.string() }), LocalTimesSchema().shape),
);

export const ActionItemSchema = lazySchema(() => z.object({ id: z.string(), text: z.string(), done: z.boolean() }));

export const SessionViewSchema = lazySchema(() =>
  z.object({
    sessionId: z.string(),
    kind: SessionKindSchema(),
    status: z.enum(['scheduled', 'completed', 'missed', 'cancelled']),
    hostId: z.string(),
    participants: z.array(ParticipantViewSchema()),
    mentorshipId: z.nullable(z.string()),
    podId: z.nullable(z.string()),
    planId: z.nullable(z.string()),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    durationMinutes: z.int(),
    /** The times in the zone the caller asked for (`timeZone`), when they asked. */
    local: z.optional(LocalTimesSchema()),
    videoLink: z.string(),
    agenda: z.string(),
    actionItems: z.array(ActionItemSchema()),
    /** iCalendar SEQUENCE of the invites: raised by every reschedule and the cancellation. */
    sequence: z.int(),
    outcome: z.nullable(z.object({ by: z.string(), at: z.iso.datetime(), via: z.enum(['api', 'email-link']) })),
    cancelled: z.nullable(z.object({ by: z.nullable(z.string()), at: z.iso.datetime(), reason: z.string() })),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);

export const SessionDetailSchema = lazySchema(() =>
  z.extend(SessionViewSchema(), {
    /** The session before this one of the same pair (or pod), with what was left open there. */
    previousSession: z.nullable(
      z.object({
        sessionId: z.string(),
        startsAt: z.iso.datetime(),
        status: z.string(),
        openActionItems: z.array(ActionItemSchema()),
      }),
    ),
  }),
);

export const PageOf = <T extends z.ZodMiniType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.optional(z.string()) });

export const LimitSchema = lazySchema(() =>
  z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
);
export const CursorSchema = lazySchema(() => z.optional(z.string().check(z.minLength(1), z.maxLength(2048))));
