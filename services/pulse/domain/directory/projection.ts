/**
 * Keeps pulse's view of the organisation from other services' events. Each event is applied once
 * (by its id); an event older than what is stored (EventBridge does not keep order) changes
 * nothing; a mentorship that ended stays ended if its Started arrives late.
 */

import {
  MentorshipEndedV1,
  MentorshipStartedV1,
  PersonOffboardedV1,
  PersonRegisteredV1,
  type PersonSnapshotV1,
  PersonUpdatedV1,
  PodDissolvedV1,
  PodFormedV1,
} from '../../../../shared/contracts/matching-events';
import {
  EmailAddressSuppressedV1,
  NotificationPreferencesChangedV1,
  SessionCompletedV1,
} from '../../../../shared/contracts/scheduling-events';
import type { ParsedEvent } from '../../../../shared/events/consumer';
import type * as z from '../../../../shared/zod';
import type { ConsumeOutcome, DirectoryRepository, WriteContext } from '../ports';
import type { DirectoryPerson } from './model';

export const projectedEvents = [
  PersonRegisteredV1,
  PersonUpdatedV1,
  PersonOffboardedV1,
  PodFormedV1,
  PodDissolvedV1,
  MentorshipStartedV1,
  MentorshipEndedV1,
  NotificationPreferencesChangedV1,
  EmailAddressSuppressedV1,
  SessionCompletedV1,
] as const;

export type ProjectedEvent = ParsedEvent<typeof projectedEvents>;

const personOf = (snapshot: z.infer<ReturnType<typeof PersonSnapshotV1>>, asOf: string): DirectoryPerson => ({
  personId: snapshot.personId,
  name: snapshot.name,
  email: snapshot.email,
  timezone: snapshot.timezone,
  workingHours: snapshot.workingHours,
  domain: snapshot.domain,
  roles: snapshot.roles,
  active: true,
  asOf,
});

/** The projection's effect of one event, or `ignored` for what pulse does not keep (pod and skip-level sessions). */
export const project = async (
  directory: DirectoryRepository,
  event: ProjectedEvent,
  context: WriteContext,
): Promise<ConsumeOutcome | 'ignored'> => {
  const asOf = event.detail.metadata.occurredAt;
  switch (event.contract) {
    case PersonRegisteredV1:
    case PersonUpdatedV1: {
      const { person } = event.detail.data as { person: z.infer<ReturnType<typeof PersonSnapshotV1>> };
      return directory.putPerson(personOf(person, asOf), context);
    }
    case PersonOffboardedV1: {
      const { personId } = event.detail.data as z.infer<typeof PersonOffboardedV1.data>;
      const known = await directory.person(personId);
      const base: DirectoryPerson = known ?? {
        personId,
        name: '',
        email: '',
        timezone: 'UTC',
        workingHours: { start: '09:00', end: '17:00' },
        domain: '',
        roles: [],
        active: false,
        asOf,
      };
      return directory.putPerson({ ...base, active: false, asOf }, context);
    }
    case PodFormedV1: {
      const data = event.detail.data as z.infer<typeof PodFormedV1.data>;
      return directory.putPod(
        { podId: data.podId, mentorId: data.mentorId, domain: data.domain, active: true, asOf },
        context,
      );
    }
    case PodDissolvedV1: {
      const data = event.detail.data as z.infer<typeof PodDissolvedV1.data>;
      return directory.putPod(
        { podId: data.podId, mentorId: data.mentorId, domain: data.domain, active: false, asOf },
        context,
      );
    }
    case MentorshipStartedV1: {
      const data = event.detail.data as z.infer<typeof MentorshipStartedV1.data>;
      return directory.startMentorship(
        {
          mentorshipId: data.mentorshipId,
          podId: data.podId,
          mentorId: data.mentorId,
          menteeId: data.menteeId,
          domain: data.domain,
          startedAt: data.startedAt,
          lastCheckInMonth: null,
        },
        context,
      );
    }
    case MentorshipEndedV1: {
      const data = event.detail.data as z.infer<typeof MentorshipEndedV1.data>;
      return directory.endMentorship(
        { mentorshipId: data.mentorshipId, podId: data.podId, menteeId: data.menteeId },
        context,
      );
    }
    case NotificationPreferencesChangedV1: {
      const data = event.detail.data as z.infer<typeof NotificationPreferencesChangedV1.data>;
      return directory.putPreferences({ personId: data.personId, optedOut: data.optedOut, asOf }, context);
    }
    case EmailAddressSuppressedV1: {
      const data = event.detail.data as z.infer<typeof EmailAddressSuppressedV1.data>;
      return directory.suppressEmail(data.email, context);
    }
    case SessionCompletedV1: {
      const { session, completedAt } = event.detail.data as z.infer<typeof SessionCompletedV1.data>;
      const mentees = session.participantIds.filter((id) => id !== session.hostId);
      const [menteeId] = mentees;
      if (session.kind !== 'one-on-one' || mentees.length !== 1 || !menteeId) return 'ignored';
      return directory.addCompletedSession(
        {
          sessionId: session.sessionId,
          mentorId: session.hostId,
          menteeId,
          mentorshipId: session.mentorshipId,
          completedAt,
          rated: false,
        },
        context,
      );
    }
  }
  return 'ignored';
};
