/**
 * What the service does with matching's and pulse's events: keep its projection (projection.ts)
 * and act on it. A mentorship that starts gets its cadence (notices for its first period); one
 * that ends loses it and its future sessions are cancelled; a formed pod gets its introduction
 * emails; a person who leaves has their future sessions cancelled. Each event is applied once
 * (its id is marked in the same transaction); the follow-ups that can span many transactions
 * (cancelling sessions) are idempotent and run again on a redelivery, so a crash half-way through
 * is finished by the retry.
 */

import type {
  MentorshipEndedV1,
  MentorshipStartedV1,
  PersonOffboardedV1,
  PersonRegisteredV1,
  PodDissolvedV1,
  PodFormedV1,
} from '../../../shared/contracts/matching-events';
import type { MenteeAtRiskV1 } from '../../../shared/contracts/pulse-events';
import type * as z from '../../../shared/zod';
import { cadenceNoticeRefs, cadenceNotices } from './cadence';
import type { NoticeRef, PersonRecord, Profile } from './model';
import { pendingNotice } from './notices';
import type { SchedulingDependencies, Write, WriteContext } from './ports';
import {
  type EventStamp,
  mentorshipEnded,
  mentorshipStarted,
  personFlaggedAtRisk,
  personOffboarded,
  personRegistered,
  podDissolved,
  podFormed,
  stampOf,
} from './projection';
import { cancelFutureSessions, noticeWrites, retryingConflicts } from './sessions';

type Data<TContract extends { data: z.ZodMiniType }> = z.infer<TContract['data']>;

export interface ConsumedEvent extends EventStamp {
  correlationId: string;
}

/** What the caller may deliver at once after the write (notices due now). */
export interface Applied {
  outcome: 'applied' | 'duplicate' | 'unchanged';
  deliverNow: NoticeRef[];
  cancelledSessions: number;
}

const contextOf = (consumer: string, event: ConsumedEvent): WriteContext => ({
  correlationId: event.correlationId,
  consumedEvent: { consumer, eventId: event.id },
});

const CONSUMER = 'matching-directory';

const sessionsOf = (invites: readonly NoticeRef[]) => new Set(invites.map((ref) => ref.subject.id)).size;

/** Marks the event consumed when it changes nothing, so a redelivery is answered from the marker. */
const commitOrMark = async (deps: SchedulingDependencies, writes: Write[], event: ConsumedEvent, consumer = CONSUMER) =>
  deps.store.commit({ writes, events: [] }, contextOf(consumer, event));

const personWrites = (before: PersonRecord | undefined, after: PersonRecord): Write[] => {
  const writes: Write[] = [
    {
      type: 'person',
      record: { ...after, version: (before?.version ?? 0) + 1 },
      expectedVersion: before?.version ?? null,
    },
  ];
  const oldEmail = before?.profile?.email;
  const newEmail = after.profile?.email;
  if (oldEmail && oldEmail.toLowerCase() !== newEmail?.toLowerCase()) {
    writes.push({ type: 'remove-email-owner', email: oldEmail, personId: after.personId });
  }
  if (newEmail && oldEmail?.toLowerCase() !== newEmail.toLowerCase()) {
    writes.push({ type: 'email-owner', email: newEmail, personId: after.personId });
  }
  return writes;
};

const profileOf = (person: Data<typeof PersonRegisteredV1>['person']): Profile => ({
  name: person.name,
  email: person.email,
  timezone: person.timezone,
  workingHours: { ...person.workingHours },
  domain: person.domain,
  roles: [...person.roles],
});

export const applyPersonChanged = (
  deps: SchedulingDependencies,
  data: Data<typeof PersonRegisteredV1>,
  event: ConsumedEvent,
): Promise<Applied> =>
  retryingConflicts(async () => {
    const before = await deps.store.getPerson(data.person.personId);
    const reduced = personRegistered(before, data.person.personId, profileOf(data.person), stampOf(event));
    const outcome = await commitOrMark(deps, reduced.changed ? personWrites(before, reduced.record) : [], event);
    return {
      outcome: reduced.changed ? outcome : outcome === 'duplicate' ? 'duplicate' : 'unchanged',
      deliverNow: [],
      cancelledSessions: 0,
    };
  });

export const applyPersonOffboarded = async (
  deps: SchedulingDependencies,
  data: Data<typeof PersonOffboardedV1>,
  event: ConsumedEvent,
): Promise<Applied> => {
  const outcome = await retryingConflicts(async () => {
    const before = await deps.store.getPerson(data.personId);
    const reduced = personOffboarded(before, data.personId, stampOf(event));
    return commitOrMark(deps, reduced.changed ? personWrites(before, reduced.record) : [], event);
  });
  const person = await deps.store.getPerson(data.personId);
  // Only while the projection says they are gone (an older offboarding cancels nothing).
  const invites =
    person?.status === 'offboarded'
      ? await cancelFutureSessions(deps, data.personId, () => true, 'person-left', {
          correlationId: event.correlationId,
        })
      : [];
  return { outcome, deliverNow: invites, cancelledSessions: sessionsOf(invites) };
};

export const applyMenteeAtRisk = (
  deps: SchedulingDependencies,
  data: Data<typeof MenteeAtRiskV1>,
  event: ConsumedEvent,
): Promise<Applied> =>
  retryingConflicts(async () => {
    const before = await deps.store.getPerson(data.menteeId);
    const reduced = personFlaggedAtRisk(
      before,
      data.menteeId,
      { risk: data.risk, trigger: data.trigger },
      new Date(event.occurredAt).toISOString(),
      stampOf(event),
    );
    const outcome = await commitOrMark(
      deps,
      reduced.changed
        ? [
            {
              type: 'person',
              record: { ...reduced.record, version: (before?.version ?? 0) + 1 },
              expectedVersion: before?.version ?? null,
            },
          ]
        : [],
      event,
      'pulse-at-risk',
    );
    return { outcome, deliverNow: [], cancelledSessions: 0 };
  });

export const applyPodFormed = (
  deps: SchedulingDependencies,
  data: Data<typeof PodFormedV1>,
  event: ConsumedEvent,
): Promise<Applied> =>
  retryingConflicts(async () => {
    const before = await deps.store.getPod(data.podId);
    const reduced = podFormed(before, data);
    const writes: Write[] = [];
    const deliverNow: NoticeRef[] = [];
    if (reduced.changed) {
      writes.push({
        type: 'pod',
        record: { ...reduced.record, version: (before?.version ?? 0) + 1 },
        expectedVersion: before?.version ?? null,
      });
      if (reduced.record.status === 'active') {
        const now = deps.clock().getTime();
        for (const recipientId of [data.mentorId, ...data.menteeIds]) {
          const ref: NoticeRef = { subject: { type: 'pod', id: data.podId }, kind: 'pod-introduction', recipientId };
          writes.push({
            type: 'notice',
            notice: pendingNotice(ref, now, `formed:${data.formedAt}`, new Date(now).toISOString()),
          });
          deliverNow.push(ref);
        }
      }
    }
    const outcome = await commitOrMark(deps, writes, event);
    return { outcome, deliverNow: outcome === 'applied' ? deliverNow : [], cancelledSessions: 0 };
  });

export const applyPodDissolved = (
  deps: SchedulingDependencies,
  data: Data<typeof PodDissolvedV1>,
  event: ConsumedEvent,
): Promise<Applied> =>
  retryingConflicts(async () => {
    const before = await deps.store.getPod(data.podId);
    const reduced = podDissolved(before, data);
    const outcome = await commitOrMark(
      deps,
      reduced.changed
        ? [
            {
              type: 'pod',
              record: { ...reduced.record, version: (before?.version ?? 0) + 1 },
              expectedVersion: before?.version ?? null,
            },
          ]
        : [],
      event,
    );
    return { outcome, deliverNow: [], cancelledSessions: 0 };
  });

export const applyMentorshipStarted = (
  deps: SchedulingDependencies,
  data: Data<typeof MentorshipStartedV1>,
  event: ConsumedEvent,
): Promise<Applied> =>
  retryingConflicts(async () => {
    const before = await deps.store.getMentorship(data.mentorshipId);
    const reduced = mentorshipStarted(before, data);
    const writes: Write[] = [];
    if (reduced.changed) {
      const record = { ...reduced.record, version: 1 };
      const people = await deps.store.getPeople([data.mentorId, data.menteeId]);
      const recipients = [data.mentorId, data.menteeId].map((personId) => ({
        personId,
        timezone: people.get(personId)?.profile?.timezone ?? 'UTC',
      }));
      writes.push(
        { type: 'mentorship', record, expectedVersion: null },
        {
          type: 'mentorship-link',
          personId: data.mentorId,
          mentorshipId: data.mentorshipId,
          role: 'mentor',
          active: true,
        },
        {
          type: 'mentorship-link',
          personId: data.menteeId,
          mentorshipId: data.mentorshipId,
          role: 'mentee',
          active: true,
        },
        ...noticeWrites(cadenceNotices(record, recipients, deps.clock().getTime(), deps.policy)),
      );
    }
    const outcome = await commitOrMark(deps, writes, event);
    return { outcome, deliverNow: [], cancelledSessions: 0 };
  });

export const applyMentorshipEnded = async (
  deps: SchedulingDependencies,
  data: Data<typeof MentorshipEndedV1>,
  event: ConsumedEvent,
): Promise<Applied> => {
  const outcome = await retryingConflicts(async () => {
    const before = await deps.store.getMentorship(data.mentorshipId);
    const reduced = mentorshipEnded(before, { ...data, reason: data.reason });
    const writes: Write[] = [];
    if (reduced.changed) {
      writes.push(
        {
          type: 'mentorship',
          record: { ...reduced.record, version: (before?.version ?? 0) + 1 },
          expectedVersion: before?.version ?? null,
        },
        {
          type: 'mentorship-link',
          personId: data.mentorId,
          mentorshipId: data.mentorshipId,
          role: 'mentor',
          active: false,
        },
        {
          type: 'mentorship-link',
          personId: data.menteeId,
          mentorshipId: data.mentorshipId,
          role: 'mentee',
          active: false,
        },
        ...cadenceNoticeRefs(reduced.record).map((ref): Write => ({ type: 'remove-notice', ref })),
      );
    }
    return commitOrMark(deps, writes, event);
  });
  const invites = await cancelFutureSessions(
    deps,
    data.menteeId,
    (session) => session.mentorshipId === data.mentorshipId,
    'mentorship-ended',
    { correlationId: event.correlationId },
  );
  return { outcome, deliverNow: invites, cancelledSessions: sessionsOf(invites) };
};
