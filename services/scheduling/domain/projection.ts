/**
 * The projection of matching's people, pods and mentorships, as pure reducers. Deliveries come
 * at least once and in any order, so each reducer is commutative and idempotent:
 * - a person's profile, status and at-risk flag are last-writer-wins registers, each stamped with
 *   the event that set it (`occurredAt|eventId`; the id breaks ties the same way everywhere);
 * - a mentorship or pod that ended stays ended, whatever arrives after: ids are never reused.
 * So every order of the same events, with any duplicates, gives the same records (a property
 * test checks it).
 */
import type { MentorshipRecord, PersonRecord, PodRecord, Profile } from './model';

export interface EventStamp {
  occurredAt: string;
  id: string;
}

/** Comparable across producers' offset styles: the instant in UTC, then the event id. */
export const stampOf = (event: EventStamp): string => `${new Date(event.occurredAt).toISOString()}|${event.id}`;

const isNewer = (stamp: string, than: string | null) => than === null || stamp > than;

export interface Reduced<T> {
  record: T;
  changed: boolean;
}

const emptyPerson = (personId: string): PersonRecord => ({
  personId,
  profile: null,
  profileStamp: null,
  status: 'active',
  statusStamp: null,
  atRisk: null,
  atRiskStamp: null,
  version: 0,
});

/** `Person.Registered` / `Person.Updated`: the profile as of the event, and the person is in the programme. */
export const personRegistered = (
  existing: PersonRecord | undefined,
  personId: string,
  profile: Profile,
  stamp: string,
): Reduced<PersonRecord> => {
  const record = existing ?? emptyPerson(personId);
  const newProfile = isNewer(stamp, record.profileStamp);
  const newStatus = isNewer(stamp, record.statusStamp);
  if (!newProfile && !newStatus && existing) return { record, changed: false };
  return {
    record: {
      ...record,
      ...(newProfile ? { profile, profileStamp: stamp } : {}),
      ...(newStatus ? { status: 'active' as const, statusStamp: stamp } : {}),
    },
    changed: true,
  };
};

/** `Person.Offboarded`: out of the programme as of the event (the profile stays for history). */
export const personOffboarded = (
  existing: PersonRecord | undefined,
  personId: string,
  stamp: string,
): Reduced<PersonRecord> => {
  const record = existing ?? emptyPerson(personId);
  if (!isNewer(stamp, record.statusStamp) && existing) return { record, changed: false };
  return { record: { ...record, status: 'offboarded', statusStamp: stamp }, changed: true };
};

/** `Mentee.AtRisk` (pulse): the latest flag wins. */
export const personFlaggedAtRisk = (
  existing: PersonRecord | undefined,
  personId: string,
  flag: { risk: string; trigger: string },
  flaggedAt: string,
  stamp: string,
): Reduced<PersonRecord> => {
  const record = existing ?? emptyPerson(personId);
  if (!isNewer(stamp, record.atRiskStamp) && existing) return { record, changed: false };
  return { record: { ...record, atRisk: { ...flag, flaggedAt }, atRiskStamp: stamp }, changed: true };
};

export interface MentorshipFacts {
  mentorshipId: string;
  podId: string;
  mentorId: string;
  menteeId: string;
  startedAt: string;
}

/** `Mentorship.Started`: a new active mentorship; nothing changes if it is known (even as ended). */
export const mentorshipStarted = (
  existing: MentorshipRecord | undefined,
  facts: MentorshipFacts,
): Reduced<MentorshipRecord> =>
  existing
    ? { record: existing, changed: false }
    : {
        record: {
          ...facts,
          status: 'active',
          endedAt: null,
          endReason: null,
          lastCompletedAt: null,
          upcoming: {},
          version: 0,
        },
        changed: true,
      };

/** `Mentorship.Ended`: ended for good, known before or not. */
export const mentorshipEnded = (
  existing: MentorshipRecord | undefined,
  facts: MentorshipFacts & { endedAt: string; reason: string },
): Reduced<MentorshipRecord> => {
  if (existing?.status === 'ended') return { record: existing, changed: false };
  const base = existing ?? mentorshipStarted(undefined, facts).record;
  return { record: { ...base, status: 'ended', endedAt: facts.endedAt, endReason: facts.reason }, changed: true };
};

export interface PodFacts {
  podId: string;
  mentorId: string;
  domain: string;
}

/** `Pod.Formed`: the pod and the mentees it was formed with. */
export const podFormed = (
  existing: PodRecord | undefined,
  facts: PodFacts & { menteeIds: string[]; formedAt: string },
): Reduced<PodRecord> => {
  if (existing && existing.menteeIds.length > 0) return { record: existing, changed: false };
  const base: PodRecord = existing ?? {
    ...facts,
    menteeIds: [],
    status: 'active',
    dissolvedAt: null,
    lastCompletedAt: null,
    version: 0,
  };
  return { record: { ...base, menteeIds: [...facts.menteeIds], formedAt: facts.formedAt }, changed: true };
};

/** `Pod.Dissolved`: dissolved for good. */
export const podDissolved = (
  existing: PodRecord | undefined,
  facts: PodFacts & { dissolvedAt: string },
): Reduced<PodRecord> => {
  if (existing?.status === 'dissolved') return { record: existing, changed: false };
  const base: PodRecord = existing ?? {
    ...facts,
    menteeIds: [],
    formedAt: facts.dissolvedAt,
    status: 'active',
    dissolvedAt: null,
    lastCompletedAt: null,
    version: 0,
  };
  return { record: { ...base, status: 'dissolved', dissolvedAt: facts.dissolvedAt }, changed: true };
};
