import { forEachLimited } from '../../../../shared/concurrency';
import type { PendingEvent } from '../../../../shared/events/outbox';
import type { Clock } from '../../../../shared/ports';
import { retry } from '../../../../shared/retry';
import { ConcurrentModificationError, PersonNotFoundError } from './errors';
import type { Person, PersonInput } from './person';
import { applyPersonInput, type OffboardReason, offboardPerson, type PersonChange } from './person-changes';
import { readRoster } from './roster-csv';

/** A person's new state, the version it must replace (null: must not exist) and its events. */
export interface PersonWrite {
  person: Person;
  expectedVersion: number | null;
  events: PendingEvent[];
}

export interface WriteContext {
  correlationId: string;
  /** When set, the write is applied at most once for this event (idempotent consumers). */
  consumedEvent?: { consumer: string; eventId: string };
}

export interface PeoplePage {
  items: Person[];
  nextCursor?: string;
}

/** The port the directory needs from storage; DynamoDB in production, in memory in tests. */
export interface PeopleRepository {
  get(personId: string): Promise<Person | undefined>;
  list(query: { limit: number; cursor?: string; domain?: string }): Promise<PeoplePage>;
  /**
   * The current version of each of these people, read consistently (a listing goes through an
   * index, which can lag a write by a moment). Unknown people are absent from the map.
   */
  versionsOf(personIds: readonly string[]): Promise<Map<string, number>>;
  /**
   * Writes the person and records their events in the outbox, atomically. Throws
   * ConcurrentModificationError when the stored version is not `expectedVersion`.
   * With `consumedEvent` set and a null write, only records that the event was consumed.
   */
  write(write: PersonWrite | null, context: WriteContext): Promise<'applied' | 'duplicate'>;
}

export interface DirectoryDependencies {
  people: PeopleRepository;
  clock: Clock;
}

/** Re-reads and retries when another writer got in between; the decision is redone on fresh data. */
const withRetryOnConflict = <T>(attempt: () => Promise<T>, attempts = 3): Promise<T> =>
  retry(attempt, { attempts, retryable: (error) => error instanceof ConcurrentModificationError });

const writeOf = (change: Exclude<PersonChange, { kind: 'unchanged' }>): PersonWrite => ({
  person: change.person,
  expectedVersion: change.expectedVersion,
  events: change.events,
});

export const upsertPerson = (
  deps: DirectoryDependencies,
  personId: string,
  input: PersonInput,
  context: WriteContext,
): Promise<PersonChange> =>
  withRetryOnConflict(async () => {
    const existing = await deps.people.get(personId);
    const change = applyPersonInput(existing, personId, input, deps.clock());
    if (change.kind === 'unchanged') {
      if (context.consumedEvent) await deps.people.write(null, context);
      return change;
    }
    await deps.people.write(writeOf(change), context);
    return change;
  });

export const removePerson = (
  deps: DirectoryDependencies,
  personId: string,
  reason: OffboardReason,
  context: WriteContext,
): Promise<'offboarded' | 'already-offboarded'> =>
  withRetryOnConflict(async () => {
    const existing = await deps.people.get(personId);
    if (!existing) throw new PersonNotFoundError(personId);
    const result = offboardPerson(existing, reason, deps.clock());
    if (result.kind === 'unchanged') {
      if (context.consumedEvent) await deps.people.write(null, context);
      return 'already-offboarded';
    }
    await deps.people.write(
      { person: result.person, expectedVersion: result.expectedVersion, events: result.events },
      context,
    );
    return 'offboarded';
  });

export interface ImportRowResult {
  line: number;
  personId?: string;
  outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
  errors?: string[];
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rows: ImportRowResult[];
}

/** Rows written at once; enough to import thousands of rows inside the API's 29 s. */
const IMPORT_CONCURRENCY = 8;

/**
 * Imports a roster: each valid row is its own atomic write (person + events), invalid rows
 * are reported by line. Rows identical to what is stored are left alone, so importing the
 * same file twice changes nothing and publishes nothing.
 */
export const importRoster = async (
  deps: DirectoryDependencies,
  csv: string,
  context: WriteContext,
): Promise<ImportReport> => {
  const rows = readRoster(csv);
  const results: ImportRowResult[] = new Array(rows.length);
  await forEachLimited(rows, IMPORT_CONCURRENCY, async (row, index) => {
    if (!row.ok) {
      results[index] = {
        line: row.line,
        outcome: 'rejected',
        errors: row.errors,
        ...(row.personId ? { personId: row.personId } : {}),
      };
      return;
    }
    try {
      const change = await upsertPerson(deps, row.personId, row.input, context);
      const outcome = change.kind === 'registered' ? 'created' : change.kind;
      results[index] = { line: row.line, personId: row.personId, outcome };
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError)) throw error;
      results[index] = {
        line: row.line,
        personId: row.personId,
        outcome: 'rejected',
        errors: ['the person was being changed by someone else; import this row again'],
      };
    }
  });
  const count = (outcome: ImportRowResult['outcome']) => results.filter((row) => row.outcome === outcome).length;
  return {
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    rejected: count('rejected'),
    rows: results,
  };
};
