/**
 * Events of the scheduling service (source `mentoring.scheduling`). The ones other services
 * consume are fixed here first, so producer and consumers are built against the same contract:
 * pulse reads Session.Completed (session ratings), NotificationPreferences.Changed and
 * EmailAddress.Suppressed (whom not to email); escalation reads OneOnOne.Overdue.
 */

import { defineEvent } from '../events/envelope';
import { lazySchema } from '../lazy-schema';
import * as z from '../zod';

const source = 'mentoring.scheduling';

/** The kinds of session (the values of `SessionKindV1`), for code that needs the list without the schema. */
export const sessionKindsV1 = ['one-on-one', 'pod', 'skip-level'] as const;

export const SessionKindV1 = lazySchema(() =>
  z
    .enum(sessionKindsV1)
    .check(
      z.describe(
        '`one-on-one`: a mentor and one mentee; `pod`: the mentor with all their mentees; `skip-level`: the life coach and one person.',
      ),
    ),
);

/** Who and when, as every session event carries it. */
export const SessionSnapshotV1 = lazySchema(() =>
  z.object({
    sessionId: z.string(),
    kind: SessionKindV1(),
    /** The mentor for 1:1s and pod sessions, the life coach for skip-levels. */
    hostId: z.string(),
    /** Everyone invited, the host included. */
    participantIds: z.array(z.string()).check(z.minLength(2)),
    /** For 1:1s: the mentorship the session belongs to. */
    mentorshipId: z.nullable(z.string()),
    /** For 1:1s and pod sessions. */
    podId: z.nullable(z.string()),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
  }),
);

export const SessionScheduledV1 = defineEvent({
  source,
  detailType: 'Session.Scheduled',
  version: 1,
  description: 'A session was put in the calendar of its participants (invites sent).',
  data: () => z.object({ session: SessionSnapshotV1() }),
});

export const SessionRescheduledV1 = defineEvent({
  source,
  detailType: 'Session.Rescheduled',
  version: 1,
  description: 'A scheduled session moved to another time (updated invites sent).',
  data: () =>
    z.object({
      session: SessionSnapshotV1(),
      previous: z.object({ startsAt: z.iso.datetime({ offset: true }), endsAt: z.iso.datetime({ offset: true }) }),
    }),
});

export const SessionCancelledV1 = defineEvent({
  source,
  detailType: 'Session.Cancelled',
  version: 1,
  description: 'A scheduled session was cancelled (CANCEL invites sent); `reason` says why.',
  data: () =>
    z.object({
      session: SessionSnapshotV1(),
      reason: z.enum(['cancelled-by-participant', 'mentorship-ended', 'person-left', 'plan-changed']),
    }),
});

export const SessionCompletedV1 = defineEvent({
  source,
  detailType: 'Session.Completed',
  version: 1,
  description:
    'A session took place (marked by a participant, through the API or the link in the "did it happen?" email).',
  data: () => z.object({ session: SessionSnapshotV1(), completedAt: z.iso.datetime({ offset: true }) }),
});

export const SessionMissedV1 = defineEvent({
  source,
  detailType: 'Session.Missed',
  version: 1,
  description: 'A participant answered that a session did not take place.',
  data: () => z.object({ session: SessionSnapshotV1(), reportedAt: z.iso.datetime({ offset: true }) }),
});

export const OneOnOneOverdueV1 = defineEvent({
  source,
  detailType: 'OneOnOne.Overdue',
  version: 1,
  description:
    'A mentorship has had no completed 1:1 for 90 days (the pair was warned at 60; both are deployment settings). Raised once per mentorship and inactivity period.',
  data: () =>
    z.object({
      mentorshipId: z.string(),
      mentorId: z.string(),
      menteeId: z.string(),
      podId: z.string(),
      /** The last completed 1:1, or null when none ever took place (then counted from the mentorship's start). */
      lastCompletedAt: z.nullable(z.iso.datetime({ offset: true })),
      daysWithoutOneOnOne: z.int().check(z.minimum(0)),
    }),
});

export const SkipLevelPlanConfirmedV1 = defineEvent({
  source,
  detailType: 'SkipLevelPlan.Confirmed',
  version: 1,
  description: 'The life coach confirmed a quarter’s skip-level plan; its sessions are scheduled.',
  data: () =>
    z.object({
      planId: z.string(),
      quarter: z.string().check(z.regex(/^\d{4}-Q[1-4]$/)),
      sessions: z.int().check(z.minimum(0)),
    }),
});

/** The kinds of email (the values of `NotificationKindV1`), for code that needs the list without the schema. */
export const notificationKindsV1 = [
  'session-invites',
  'one-on-one-due',
  'session-tomorrow',
  'did-it-happen',
  'inactivity-warning',
  'pulse-invitations',
  'pulse-reminders',
  'check-in-reminders',
] as const;

export const NotificationKindV1 = lazySchema(() =>
  z
    .enum(notificationKindsV1)
    .check(
      z.describe(
        'A kind of email a person may turn off. Calendar invites of sessions they take part in are always sent.',
      ),
    ),
);

export const NotificationPreferencesChangedV1 = defineEvent({
  source,
  detailType: 'NotificationPreferences.Changed',
  version: 1,
  description: 'A person turned kinds of email off or on (the whole current set of what they turned off).',
  data: () => z.object({ personId: z.string(), optedOut: z.array(NotificationKindV1()) }),
});

export const EmailAddressSuppressedV1 = defineEvent({
  source,
  detailType: 'EmailAddress.Suppressed',
  version: 1,
  description: 'SES reported a hard bounce or a complaint for an address: no service emails it any more.',
  data: () =>
    z.object({
      email: z.string(),
      /** The person the address belongs to, when known. */
      personId: z.nullable(z.string()),
      reason: z.enum(['bounce', 'complaint']),
    }),
});

export const schedulingEvents = [
  SessionScheduledV1,
  SessionRescheduledV1,
  SessionCancelledV1,
  SessionCompletedV1,
  SessionMissedV1,
  OneOnOneOverdueV1,
  SkipLevelPlanConfirmedV1,
  NotificationPreferencesChangedV1,
  EmailAddressSuppressedV1,
] as const;
