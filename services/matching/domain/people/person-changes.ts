import {
  PersonOffboardedV1,
  PersonRegisteredV1,
  type PersonSnapshotV1,
  PersonUpdatedV1,
} from '../../../../shared/contracts/matching-events';
import { type PendingEvent, pendingEvent } from '../../../../shared/events/outbox';
import type * as z from '../../../../shared/zod';
import { PersonNotOffboardedError, PersonOffboardedError } from './errors';
import { type PersonField, type PersonInput, personDefaults, personFields, type StoredPerson } from './person';

/**
 * The decisions of the people directory, pure. Every write changes only the fields it carries;
 * the repository writes exactly those (under the version it read), so concurrent writers of
 * different fields never undo each other.
 *
 * Each field and the status carry the source clock of their last change (`<occurredAt>|<id>`):
 * API writes are stamped with the moment they are made; HR events with when they happened, so
 * an HR event older than what is stored changes nothing and publishes nothing, in whatever order
 * the bus delivers them.
 */

export type PersonChange =
  | {
      kind: 'registered';
      person: StoredPerson;
      before: StoredPerson | undefined;
      events: PendingEvent[];
      cause: 'joined' | 'rehired';
    }
  | {
      kind: 'updated';
      person: StoredPerson;
      before: StoredPerson;
      changedFields: PersonField[];
      events: PendingEvent[];
    }
  | { kind: 'offboarded'; person: StoredPerson; before: StoredPerson; events: PendingEvent[] }
  /** A change recorded without an event: an offboarded person's record absorbing an older HR change. */
  | { kind: 'recorded'; person: StoredPerson; before: StoredPerson | undefined; events: [] }
  | { kind: 'unchanged'; person: StoredPerson };

export type OffboardReason = 'offboarded' | 'left-company';

/** The source clock of a write: `<ISO instant>|<id>`, compared as text (ISO instants sort as text). */
export const sourceVersion = (occurredAt: Date | string, id: string): string =>
  `${typeof occurredAt === 'string' ? new Date(occurredAt).toISOString() : occurredAt.toISOString()}|${id}`;

export const toSnapshot = (person: StoredPerson): z.infer<ReturnType<typeof PersonSnapshotV1>> => ({
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

const registered = (
  person: StoredPerson,
  before: StoredPerson | undefined,
  cause: 'joined' | 'rehired',
): PersonChange => ({
  kind: 'registered',
  person,
  before,
  cause,
  events: [pendingEvent(PersonRegisteredV1, { person: toSnapshot(person), cause })],
});

/** A new record from a first write: the defaults for whatever the write leaves out. */
const newRecord = (
  personId: string,
  input: PersonInput,
  now: Date,
  version: string,
  status: 'active' | 'offboarded',
  statusVersion: string,
): StoredPerson => {
  const fieldVersions: Record<string, string> = {};
  const fields: Record<string, unknown> = { ...personDefaults };
  for (const field of personFields) {
    const value = input[field];
    if (value === undefined) continue;
    fieldVersions[field] = version;
    if (value === null && field === 'yearsOfExperience') continue;
    fields[field] = value;
  }
  const timestamp = now.toISOString();
  return {
    ...(fields as Omit<StoredPerson, 'personId' | 'status' | 'version' | 'createdAt' | 'updatedAt'>),
    personId,
    status,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
    ...(status === 'offboarded' ? { offboardedAt: timestamp } : {}),
    fieldVersions,
    statusVersion,
  };
};

/**
 * The fields of `input` that change `existing`, applied: each sent field whose value differs
 * (and, with `onlyNewer`, whose stored change is older than `version`). Fields left out keep
 * their value; `yearsOfExperience: null` clears it.
 */
const withFields = (
  existing: StoredPerson,
  input: Partial<PersonInput>,
  version: string,
  onlyNewer: boolean,
): { person: StoredPerson; changed: PersonField[] } => {
  const person: StoredPerson = { ...existing, fieldVersions: { ...existing.fieldVersions } };
  const changed: PersonField[] = [];
  for (const field of personFields) {
    const value = input[field];
    if (value === undefined) continue;
    const storedVersion = existing.fieldVersions?.[field] ?? '';
    if (onlyNewer && storedVersion >= version) continue;
    (person.fieldVersions as Record<string, string>)[field] = version;
    const current = existing[field as keyof StoredPerson];
    if (value === null && field === 'yearsOfExperience') {
      if (current === undefined) continue;
      delete (person as Partial<StoredPerson>).yearsOfExperience;
    } else {
      if (sameValue(current, value)) continue;
      (person as Record<string, unknown>)[field] = value;
    }
    changed.push(field);
  }
  return { person, changed };
};

const bumped = (person: StoredPerson, now: Date): StoredPerson => ({
  ...person,
  version: person.version + 1,
  updatedAt: now.toISOString(),
});

/**
 * A create-or-change from the API or a CSV row. New people are registered (defaults for what is
 * left out); an active person changes the fields sent, and identical data is `unchanged` (no
 * write, no event), which is what makes re-imports no-ops. An offboarded person is refused:
 * bringing a leaver back is a rehire, an explicit act (`rehirePerson`).
 */
export const applyPersonInput = (
  existing: StoredPerson | undefined,
  personId: string,
  input: Partial<PersonInput> & Pick<PersonInput, 'name' | 'email' | 'timezone' | 'domain' | 'level'>,
  now: Date,
): PersonChange => {
  const version = sourceVersion(now, 'api');
  if (!existing) return registered(newRecord(personId, input, now, version, 'active', version), undefined, 'joined');
  if (existing.status === 'offboarded') throw new PersonOffboardedError(personId, existing.offboardedAt);
  return changeFields(existing, input, now);
};

/** Changes only the fields given (the availability switch, a PUT's fields) of an active person. */
export const changeFields = (existing: StoredPerson, input: Partial<PersonInput>, now: Date): PersonChange => {
  if (existing.status === 'offboarded') throw new PersonOffboardedError(existing.personId, existing.offboardedAt);
  const { person, changed } = withFields(existing, input, sourceVersion(now, 'api'), false);
  if (changed.length === 0) return { kind: 'unchanged', person: existing };
  const next = bumped(person, now);
  return {
    kind: 'updated',
    person: next,
    before: existing,
    changedFields: changed,
    events: [pendingEvent(PersonUpdatedV1, { person: toSnapshot(next), changedFields: changed })],
  };
};

/** Brings an offboarded person back (an explicit act, recorded as `rehiredAt` and `cause: rehired`). */
export const rehirePerson = (existing: StoredPerson, input: Partial<PersonInput>, now: Date): PersonChange => {
  if (existing.status !== 'offboarded') throw new PersonNotOffboardedError(existing.personId);
  const version = sourceVersion(now, 'api');
  const { person } = withFields(existing, input, version, false);
  const { offboardedAt: _gone, ...rest } = person;
  return registered(
    bumped({ ...rest, status: 'active', statusVersion: version, rehiredAt: now.toISOString() }, now),
    existing,
    'rehired',
  );
};

/** Offboarding keeps the record (history, audits) and marks it; doing it twice is a no-op. */
export const offboardPerson = (
  existing: StoredPerson,
  reason: OffboardReason,
  now: Date,
  version = sourceVersion(now, 'api'),
): PersonChange => {
  if (existing.status === 'offboarded') return { kind: 'unchanged', person: existing };
  const { rehiredAt: _rehired, ...rest } = existing;
  const person = bumped(
    { ...rest, status: 'offboarded', statusVersion: version, offboardedAt: now.toISOString() },
    now,
  );
  return {
    kind: 'offboarded',
    person,
    before: existing,
    events: [pendingEvent(PersonOffboardedV1, { personId: person.personId, reason })],
  };
};

/** What an HR directory event says, with the source clock it happened at. */
export type HrChange =
  | { kind: 'joined' | 'updated'; personId: string; input: PersonInput; version: string }
  | { kind: 'left'; personId: string; version: string };

/**
 * A leave HR reported for someone the directory has not seen yet: kept, so their `Joined` or
 * `Updated`, arriving later but having happened earlier, cannot bring them in as active.
 */
export interface Tombstone {
  personId: string;
  statusVersion: string;
}

export type HrOutcome = PersonChange | { kind: 'tombstone'; tombstone: Tombstone };

/**
 * One HR event, in whatever order the bus delivers them: every field takes the value of the
 * latest event (by when it happened) that carries it; the status that of the latest `Joined` or
 * `Left` (an `Updated` implies the person exists, not that they are back). So any permutation of
 * a person's events ends in the same record, an event older than what is stored changes nothing
 * and publishes nothing, and a leaver's record absorbs late changes without a word: only a
 * `Joined` that happened after the leave brings them back (a rehire).
 */
export const applyHrChange = (
  existing: StoredPerson | undefined,
  tombstone: Tombstone | undefined,
  change: HrChange,
  now: Date,
): HrOutcome => {
  const { version } = change;
  if (change.kind === 'left') {
    if (!existing) {
      if (tombstone && tombstone.statusVersion >= version) return { kind: 'tombstone', tombstone };
      return { kind: 'tombstone', tombstone: { personId: change.personId, statusVersion: version } };
    }
    const statusVersion = existing.statusVersion ?? '';
    if (statusVersion >= version) return { kind: 'unchanged', person: existing };
    if (existing.status === 'offboarded') {
      return {
        kind: 'recorded',
        person: bumped({ ...existing, statusVersion: version }, now),
        before: existing,
        events: [],
      };
    }
    return offboardPerson(existing, 'left-company', now, version);
  }

  if (!existing) {
    // A leave already seen stands unless this is a join that happened after it.
    const joinedLater = change.kind === 'joined' && (!tombstone || version > tombstone.statusVersion);
    if (tombstone && !joinedLater) {
      const person = newRecord(change.personId, change.input, now, version, 'offboarded', tombstone.statusVersion);
      return { kind: 'recorded', person, before: undefined, events: [] };
    }
    const statusVersion = change.kind === 'joined' ? version : '';
    return registered(
      newRecord(change.personId, change.input, now, version, 'active', statusVersion),
      undefined,
      'joined',
    );
  }

  const { person: withNewer, changed } = withFields(existing, change.input, version, true);
  const statusNewer = change.kind === 'joined' && version > (existing.statusVersion ?? '');
  if (existing.status === 'offboarded') {
    if (statusNewer) {
      const { offboardedAt: _gone, ...rest } = withNewer;
      return registered(
        bumped({ ...rest, status: 'active', statusVersion: version, rehiredAt: now.toISOString() }, now),
        existing,
        'rehired',
      );
    }
    const versionsMoved = !sameValue(withNewer.fieldVersions, existing.fieldVersions);
    if (changed.length === 0 && !versionsMoved) return { kind: 'unchanged', person: existing };
    return { kind: 'recorded', person: bumped(withNewer, now), before: existing, events: [] };
  }
  const person = statusNewer ? { ...withNewer, statusVersion: version } : withNewer;
  if (changed.length === 0) {
    const versionsMoved = statusNewer || !sameValue(withNewer.fieldVersions, existing.fieldVersions);
    return versionsMoved
      ? { kind: 'recorded', person: bumped(person, now), before: existing, events: [] }
      : { kind: 'unchanged', person: existing };
  }
  const next = bumped(person, now);
  return {
    kind: 'updated',
    person: next,
    before: existing,
    changedFields: changed,
    events: [pendingEvent(PersonUpdatedV1, { person: toSnapshot(next), changedFields: changed })],
  };
};
