import type { PendingEvent } from '../../../../shared/events/outbox';
import type { Clock } from '../../../../shared/ports';
import { retry } from '../../../../shared/retry';
import type { DomainList, ProgrammeSettingsRepository } from '../settings/programme-settings';
import {
  ConcurrentModificationError,
  DuplicateEmailError,
  InvalidPersonFieldError,
  PersonNotFoundError,
  PersonOffboardedError,
  StaleVersionError,
} from './errors';
import type { PersonInput, PutPersonBody, StoredPerson } from './person';
import {
  applyHrChange,
  applyPersonInput,
  changeFields,
  type HrChange,
  type HrOutcome,
  type OffboardReason,
  offboardPerson,
  type PersonChange,
  rehirePerson,
  type Tombstone,
} from './person-changes';

/** A person's new state, what it replaces (undefined: must not exist yet) and its events. */
export interface PersonWrite {
  kind: 'person';
  person: StoredPerson;
  before: StoredPerson | undefined;
  events: PendingEvent[];
  /** For a creation: the tombstone read beside `before` (null: none), removed by this write. */
  tombstone?: Tombstone | null;
}

/** A leave of someone not in the directory, kept for their late events (see applyHrChange). */
export interface TombstoneWrite {
  kind: 'tombstone';
  tombstone: Tombstone;
  /** What was read (undefined: none): the write applies only over it. */
  previous: Tombstone | undefined;
}

export interface WriteContext {
  correlationId: string;
  /** When set, the write is applied at most once for this event (idempotent consumers). */
  consumedEvent?: { consumer: string; eventId: string };
}

export interface PeoplePage {
  items: StoredPerson[];
  nextCursor?: string;
}

export type PersonStatus = 'active' | 'offboarded';

/** The port the directory needs from storage; DynamoDB in production, in memory in tests. */
export interface PeopleRepository {
  get(personId: string): Promise<StoredPerson | undefined>;
  /** Consistent reads of these people (unknown ids are absent from the map). */
  getMany(personIds: readonly string[]): Promise<Map<string, StoredPerson>>;
  tombstone(personId: string): Promise<Tombstone | undefined>;
  /** People of one status (sorted by domain, then id), a page at a time. */
  list(query: { status: PersonStatus; limit: number; cursor?: string; domain?: string }): Promise<PeoplePage>;
  /** People whose name or email starts with `text` (case and accents ignored), at most `limit`. */
  search(query: { text: string; status?: PersonStatus; limit: number }): Promise<StoredPerson[]>;
  /**
   * The current version of each of these people, read consistently (a listing goes through an
   * index, which can lag a write by a moment). Unknown people are absent from the map.
   */
  versionsOf(personIds: readonly string[]): Promise<Map<string, number>>;
  /** Someone active in this domain, if anyone is (to refuse removing a domain in use). */
  someoneActiveIn(domain: string): Promise<string | undefined>;
  /**
   * Writes the change and records its events in the outbox, atomically. Throws
   * ConcurrentModificationError when the stored state is not what the write was decided on,
   * DuplicateEmailError when another person has the address. With `consumedEvent` set and a null
   * write, only records that the event was consumed.
   */
  write(write: PersonWrite | TombstoneWrite | null, context: WriteContext): Promise<'applied' | 'duplicate'>;
}

export interface DirectoryDependencies {
  people: PeopleRepository;
  programme: ProgrammeSettingsRepository;
  clock: Clock;
}

/**
 * Re-reads and retries when another writer got in between; the decision is redone on fresh data.
 * Writers that collided are spread apart (jitter), so a burst of them on one person all get through.
 */
const withRetryOnConflict = <T>(attempt: () => Promise<T>, attempts = 8): Promise<T> =>
  retry(attempt, {
    attempts,
    retryable: (error) => error instanceof ConcurrentModificationError,
    backoff: { baseMs: 10, maxMs: 250, jitter: true },
  });

export const writeOf = (change: Exclude<PersonChange, { kind: 'unchanged' }>, tombstone?: Tombstone | null) => ({
  kind: 'person' as const,
  person: change.person,
  before: change.before,
  events: change.events,
  ...(tombstone !== undefined ? { tombstone } : {}),
});

/** Why a domain is refused: it is not one of the programme's (admin-managed) domains. */
export const unknownDomain = (domain: string, known: DomainList): InvalidPersonFieldError =>
  new InvalidPersonFieldError(
    'domain',
    known.domains.length === 0
      ? `"${domain}" is not a domain of the programme: none is set up yet (an admin sets them with PUT /domains)`
      : `"${domain}" is not a domain of the programme; it has ${known.domains.map((d) => d.id).join(', ')} (an admin adds domains with PUT /domains)`,
  );

/**
 * Checks what a write refers to, for the fields it changes: the domain must be one of the
 * programme's, and the manager someone else who is in the directory (`knownIds`: people the same
 * import brings in). Throws InvalidPersonFieldError naming the field.
 */
export const checkReferences = async (
  deps: Pick<DirectoryDependencies, 'people' | 'programme'>,
  personId: string,
  input: Partial<PersonInput>,
  existing: StoredPerson | undefined,
  options: { knownIds?: ReadonlySet<string>; domains?: DomainList; managerMustExist?: boolean } = {},
): Promise<void> => {
  if (input.domain !== undefined && input.domain !== existing?.domain) {
    const known = options.domains ?? (await deps.programme.domains());
    if (!known.domains.some((domain) => domain.id === input.domain)) throw unknownDomain(input.domain, known);
  }
  const managerId = input.managerId;
  if (managerId && managerId !== existing?.managerId) {
    if (managerId === personId) throw new InvalidPersonFieldError('managerId', 'must be someone else, not the person');
    if (
      options.managerMustExist !== false &&
      !options.knownIds?.has(managerId) &&
      !(await deps.people.get(managerId))
    ) {
      throw new InvalidPersonFieldError('managerId', `no person ${managerId} in the directory`);
    }
  }
};

export interface Preconditions {
  /** `If-Match`: the version the caller read (`*`: any existing version). */
  ifMatch?: number | '*' | undefined;
  /** `If-None-Match: *`: create only. */
  ifNoneMatch?: '*' | undefined;
}

const checkPreconditions = (personId: string, existing: StoredPerson | undefined, conditions: Preconditions) => {
  const { ifMatch, ifNoneMatch } = conditions;
  if (ifNoneMatch === '*' && existing) throw new StaleVersionError(personId, 'absent', existing.version);
  if (ifMatch === undefined) return;
  if (!existing) throw new StaleVersionError(personId, ifMatch === '*' ? 1 : ifMatch, undefined);
  if (ifMatch !== '*' && ifMatch !== existing.version) throw new StaleVersionError(personId, ifMatch, existing.version);
};

/** Read-only fields sent back as read are ignored; any other value is refused, naming the field. */
const checkReadOnly = (personId: string, existing: StoredPerson | undefined, body: PutPersonBody) => {
  if (body.status !== undefined && body.status !== (existing?.status ?? 'active')) {
    if (existing?.status === 'offboarded') throw new PersonOffboardedError(personId, existing.offboardedAt);
    throw new InvalidPersonFieldError('status', 'is read-only: DELETE /people/{personId} offboards a person');
  }
  for (const field of ['createdAt', 'updatedAt', 'offboardedAt', 'rehiredAt'] as const) {
    if (body[field] !== undefined && body[field] !== existing?.[field]) {
      throw new InvalidPersonFieldError(field, 'is read-only: send it back as you read it, or leave it out');
    }
  }
};

/**
 * PUT /people/{personId}: creates a person, or changes the fields the body carries. Read-only
 * fields a client read with GET may be sent back unchanged; `version` (or `If-Match`) makes the
 * write conditional, refused with StaleVersionError when someone changed the person since.
 * Without a condition a write that met another is redone on fresh data.
 */
export const putPerson = async (
  deps: DirectoryDependencies,
  personId: string,
  body: PutPersonBody,
  conditions: Preconditions,
  context: WriteContext,
): Promise<PersonChange> => {
  const {
    personId: bodyId,
    status: _status,
    version,
    createdAt: _created,
    updatedAt: _updated,
    offboardedAt: _offboarded,
    rehiredAt: _rehired,
    ...input
  } = body;
  if (bodyId !== undefined && bodyId !== personId) {
    throw new InvalidPersonFieldError('personId', `is read-only: it must be ${personId}, the id in the path`);
  }
  if (version !== undefined && conditions.ifMatch !== undefined && conditions.ifMatch !== version) {
    throw new InvalidPersonFieldError('version', `differs from If-Match (${conditions.ifMatch})`);
  }
  const expected: Preconditions = { ...conditions, ifMatch: conditions.ifMatch ?? version };
  const conditional = expected.ifMatch !== undefined || expected.ifNoneMatch !== undefined;
  const attempt = async () => {
    const existing = await deps.people.get(personId);
    checkPreconditions(personId, existing, expected);
    checkReadOnly(personId, existing, body);
    await checkReferences(deps, personId, input, existing);
    const change = applyPersonInput(existing, personId, input, deps.clock());
    if (change.kind === 'unchanged') return change;
    await deps.people.write(writeOf(change), context);
    return change;
  };
  if (!conditional) return withRetryOnConflict(attempt);
  try {
    return await attempt();
  } catch (error) {
    if (!(error instanceof ConcurrentModificationError)) throw error;
    const current = await deps.people.get(personId);
    throw new StaleVersionError(personId, expected.ifMatch ?? 'absent', current?.version);
  }
};

/**
 * Applies `decide` to the person as stored now and writes the result, redoing it on fresh data
 * when another writer got in between: the decision is always made on what it replaces.
 */
export const changePerson = (
  deps: Pick<DirectoryDependencies, 'people'>,
  personId: string,
  decide: (existing: StoredPerson) => PersonChange,
  context: WriteContext,
): Promise<PersonChange> =>
  withRetryOnConflict(async () => {
    const existing = await deps.people.get(personId);
    if (!existing) throw new PersonNotFoundError(personId);
    const change = decide(existing);
    if (change.kind === 'unchanged') return change;
    await deps.people.write(writeOf(change), context);
    return change;
  });

/** Changes only these fields of an active person (e.g. a mentor's availability). */
export const updatePersonFields = (
  deps: Pick<DirectoryDependencies, 'people' | 'clock'>,
  personId: string,
  fields: Partial<PersonInput>,
  context: WriteContext,
  check: (existing: StoredPerson) => void = () => undefined,
): Promise<PersonChange> =>
  changePerson(
    deps,
    personId,
    (existing) => {
      check(existing);
      return changeFields(existing, fields, deps.clock());
    },
    context,
  );

/** POST /people/{personId}/rehire: brings an offboarded person back, with any fields that changed meanwhile. */
export const rehire = (
  deps: DirectoryDependencies,
  personId: string,
  input: Partial<PersonInput>,
  context: WriteContext,
): Promise<PersonChange> =>
  withRetryOnConflict(async () => {
    const existing = await deps.people.get(personId);
    if (!existing) throw new PersonNotFoundError(personId);
    await checkReferences(deps, personId, input, existing);
    const change = rehirePerson(existing, input, deps.clock());
    if (change.kind !== 'unchanged') await deps.people.write(writeOf(change), context);
    return change;
  });

export const removePerson = async (
  deps: Pick<DirectoryDependencies, 'people' | 'clock'>,
  personId: string,
  reason: OffboardReason,
  context: WriteContext,
): Promise<'offboarded' | 'already-offboarded'> => {
  const change = await changePerson(
    deps,
    personId,
    (existing) => offboardPerson(existing, reason, deps.clock()),
    context,
  );
  return change.kind === 'offboarded' ? 'offboarded' : 'already-offboarded';
};

/**
 * An HR directory event, applied once (by its event id) and by when it happened: see
 * applyHrChange. What HR sends must meet the directory's rules (a known domain, a manager who is
 * someone else): InvalidPersonFieldError otherwise. A manager the directory does not know yet is
 * accepted, since HR's events arrive in any order.
 */
export const applyHrEvent = (
  deps: DirectoryDependencies,
  change: HrChange,
  context: WriteContext,
): Promise<HrOutcome> =>
  withRetryOnConflict(async () => {
    const existing = await deps.people.get(change.personId);
    const tombstone = existing ? undefined : await deps.people.tombstone(change.personId);
    if (change.kind !== 'left') {
      await checkReferences(deps, change.personId, change.input, existing, { managerMustExist: false });
    }
    const outcome = applyHrChange(existing, tombstone, change, deps.clock());
    if (outcome.kind === 'unchanged') {
      await deps.people.write(null, context);
    } else if (outcome.kind === 'tombstone') {
      await deps.people.write({ kind: 'tombstone', tombstone: outcome.tombstone, previous: tombstone }, context);
    } else {
      await deps.people.write(writeOf(outcome, existing ? undefined : (tombstone ?? null)), context);
    }
    return outcome;
  });

export interface ImportRowResult {
  line: number;
  personId?: string;
  outcome: 'created' | 'updated' | 'rehired' | 'unchanged' | 'rejected';
  errors?: string[];
}

/** Why a row cannot be applied, in words for the import report. */
export const rowRefusal = (error: unknown): string | undefined => {
  if (error instanceof InvalidPersonFieldError) return `${error.field}: ${error.reason}`;
  if (error instanceof DuplicateEmailError) return `email: ${error.message}`;
  if (error instanceof PersonOffboardedError) {
    return `${error.personId} was offboarded; to bring them back, set the rehire column to yes (or POST /people/${error.personId}/rehire)`;
  }
  if (error instanceof ConcurrentModificationError)
    return 'the person was being changed by someone else; import this row again';
  return undefined;
};
