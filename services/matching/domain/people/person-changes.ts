import type * as z from 'zod';
import {
  PersonOffboardedV1,
  PersonRegisteredV1,
  type PersonSnapshotV1,
  PersonUpdatedV1,
} from '../../../../shared/contracts/matching-events';
import { type PendingEvent, pendingEvent } from '../../../../shared/events/outbox';
import type { Person, PersonInput } from './person';

/** The fields a client controls; everything else (id, status, version, times) is ours. */
const inputFields = [
  'name',
  'email',
  'timezone',
  'workingHours',
  'domain',
  'level',
  'yearsOfExperience',
  'projectIds',
  'managerId',
  'skills',
  'growthGoals',
  'languages',
  'roles',
  'mentorCapacity',
  'acceptingMentees',
] as const satisfies readonly (keyof PersonInput)[];

export type PersonChange =
  | { kind: 'registered'; person: Person; expectedVersion: number | null; events: PendingEvent[] }
  | { kind: 'updated'; person: Person; expectedVersion: number; changedFields: string[]; events: PendingEvent[] }
  | { kind: 'unchanged'; person: Person };

export type OffboardReason = 'offboarded' | 'left-company';

export type Offboarding =
  | { kind: 'offboarded'; person: Person; expectedVersion: number; events: PendingEvent[] }
  | { kind: 'unchanged'; person: Person };

export const toSnapshot = (person: Person): z.infer<typeof PersonSnapshotV1> => ({
  personId: person.personId,
  name: person.name,
  email: person.email,
  timezone: person.timezone,
  workingHours: person.workingHours,
  domain: person.domain,
  level: person.level,
  projectIds: person.projectIds,
  managerId: person.managerId,
  skills: person.skills,
  growthGoals: person.growthGoals,
  languages: person.languages,
  roles: person.roles,
  mentorCapacity: person.mentorCapacity,
  acceptingMentees: person.acceptingMentees,
});

const sameValue = (left: unknown, right: unknown): boolean => JSON.stringify(left) === JSON.stringify(right);

/**
 * Decides what a create-or-replace means for the directory. Replacing with identical data
 * is `unchanged` (no write, no event), which is what makes re-imports no-ops. A person who
 * was offboarded and comes back is registered again.
 */
export const applyPersonInput = (
  existing: Person | undefined,
  personId: string,
  input: PersonInput,
  now: Date,
): PersonChange => {
  const timestamp = now.toISOString();
  if (!existing || existing.status === 'offboarded') {
    const person: Person = {
      ...input,
      personId,
      status: 'active',
      version: (existing?.version ?? 0) + 1,
      createdAt: existing?.createdAt ?? timestamp,
      updatedAt: timestamp,
    };
    return {
      kind: 'registered',
      person,
      expectedVersion: existing?.version ?? null,
      events: [pendingEvent(PersonRegisteredV1, { person: toSnapshot(person) })],
    };
  }
  const changedFields = inputFields.filter((field) => !sameValue(existing[field], input[field]));
  if (changedFields.length === 0) return { kind: 'unchanged', person: existing };
  const person: Person = { ...existing, ...input, version: existing.version + 1, updatedAt: timestamp };
  return {
    kind: 'updated',
    person,
    expectedVersion: existing.version,
    changedFields,
    events: [pendingEvent(PersonUpdatedV1, { person: toSnapshot(person), changedFields })],
  };
};

/** Offboarding keeps the record (history, audits) and marks it; doing it twice is a no-op. */
export const offboardPerson = (existing: Person, reason: OffboardReason, now: Date): Offboarding => {
  if (existing.status === 'offboarded') return { kind: 'unchanged', person: existing };
  const person: Person = {
    ...existing,
    status: 'offboarded',
    version: existing.version + 1,
    updatedAt: now.toISOString(),
  };
  return {
    kind: 'offboarded',
    person,
    expectedVersion: existing.version,
    events: [pendingEvent(PersonOffboardedV1, { personId: person.personId, reason })],
  };
};
