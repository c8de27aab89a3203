/**
 * The people and pods this service knows, projected from matching's events: names and email
 * addresses (to email reporters, leads, mentors and the life coach) and who is in which pod
 * (the pod of an escalation is derived from its reporter, never taken from the request).
 */
import {
  MentorshipEndedV1,
  MentorshipStartedV1,
  PersonOffboardedV1,
  PersonRegisteredV1,
  PersonUpdatedV1,
  PodDissolvedV1,
  PodFormedV1,
} from '../../../shared/contracts/matching-events';
import type { ParsedEvent } from '../../../shared/events/consumer';
import type { DirectoryChange } from './ports';

export const directoryContracts = [
  PersonRegisteredV1,
  PersonUpdatedV1,
  PersonOffboardedV1,
  PodFormedV1,
  PodDissolvedV1,
  MentorshipStartedV1,
  MentorshipEndedV1,
] as const;

export type DirectoryEvent = ParsedEvent<typeof directoryContracts>;

/** The projection change one matching event makes, stamped with when it happened (newest wins). */
export const directoryChangeOf = (event: DirectoryEvent): DirectoryChange => {
  const occurredAt = event.detail.metadata.occurredAt;
  switch (event.contract) {
    case PersonRegisteredV1:
    case PersonUpdatedV1: {
      const { person } = event.detail.data as {
        person: { personId: string; name: string; email: string; roles: string[] };
      };
      return {
        kind: 'person',
        person: {
          personId: person.personId,
          name: person.name,
          email: person.email,
          roles: person.roles,
          active: true,
        },
        asOf: occurredAt,
      };
    }
    case PersonOffboardedV1:
      return {
        kind: 'person-offboarded',
        personId: (event.detail.data as { personId: string }).personId,
        asOf: occurredAt,
      };
    case PodFormedV1: {
      const data = event.detail.data as { podId: string; mentorId: string; formedAt: string };
      return { kind: 'pod-formed', podId: data.podId, mentorId: data.mentorId, asOf: data.formedAt };
    }
    case PodDissolvedV1: {
      const data = event.detail.data as { podId: string; mentorId: string; dissolvedAt: string };
      return { kind: 'pod-dissolved', podId: data.podId, mentorId: data.mentorId, asOf: data.dissolvedAt };
    }
    case MentorshipStartedV1: {
      const data = event.detail.data as {
        mentorshipId: string;
        podId: string;
        mentorId: string;
        menteeId: string;
        startedAt: string;
      };
      return { kind: 'mentorship-started', ...pick(data), asOf: data.startedAt };
    }
    default: {
      const data = event.detail.data as {
        mentorshipId: string;
        podId: string;
        mentorId: string;
        menteeId: string;
        endedAt: string;
      };
      return { kind: 'mentorship-ended', ...pick(data), asOf: data.endedAt };
    }
  }
};

const pick = (data: { mentorshipId: string; podId: string; mentorId: string; menteeId: string }) => ({
  mentorshipId: data.mentorshipId,
  podId: data.podId,
  mentorId: data.mentorId,
  menteeId: data.menteeId,
});
