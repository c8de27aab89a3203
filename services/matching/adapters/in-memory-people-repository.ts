import type { PendingEvent } from '../../../shared/events/outbox';
import { InvalidCursorError } from '../../../shared/pagination';
import type { PeopleRepository, PersonWrite, TombstoneWrite, WriteContext } from '../domain/people/directory';
import { ConcurrentModificationError, DuplicateEmailError } from '../domain/people/errors';
import type { StoredPerson } from '../domain/people/person';
import type { Tombstone } from '../domain/people/person-changes';
import { normalEmail, searchText } from './keys';

export interface RecordedEvent {
  event: PendingEvent;
  correlationId: string;
}

/**
 * The repository port in memory, with the same contract as the DynamoDB one (version checks,
 * one person per address, atomic person+events, at-most-once consumed events). For handler tests.
 */
export const createInMemoryPeopleRepository = () => {
  const people = new Map<string, StoredPerson>();
  const emails = new Map<string, string>();
  const tombstones = new Map<string, Tombstone>();
  const consumed = new Set<string>();
  const published: RecordedEvent[] = [];
  const sortKey = (person: StoredPerson) => `${person.domain}#${person.personId}`;

  const applyPerson = (write: PersonWrite) => {
    const stored = people.get(write.person.personId);
    if ((stored?.version ?? null) !== (write.before?.version ?? null)) {
      throw new ConcurrentModificationError(write.person.personId);
    }
    if (!write.before && write.tombstone !== undefined) {
      const current = tombstones.get(write.person.personId);
      if ((current?.statusVersion ?? null) !== (write.tombstone?.statusVersion ?? null)) {
        throw new ConcurrentModificationError(write.person.personId);
      }
    }
    const claimed = emails.get(normalEmail(write.person.email));
    if (claimed && claimed !== write.person.personId) throw new DuplicateEmailError(write.person.email, claimed);
    if (write.before && normalEmail(write.before.email) !== normalEmail(write.person.email)) {
      emails.delete(normalEmail(write.before.email));
    }
    emails.set(normalEmail(write.person.email), write.person.personId);
    tombstones.delete(write.person.personId);
    people.set(write.person.personId, structuredClone(write.person));
  };

  const applyTombstone = (write: TombstoneWrite) => {
    const current = tombstones.get(write.tombstone.personId);
    if (people.has(write.tombstone.personId) || current?.statusVersion !== write.previous?.statusVersion) {
      throw new ConcurrentModificationError(write.tombstone.personId);
    }
    tombstones.set(write.tombstone.personId, { ...write.tombstone });
  };

  const repository: PeopleRepository = {
    async get(personId) {
      const person = people.get(personId);
      return person ? structuredClone(person) : undefined;
    },
    async getMany(personIds) {
      return new Map(
        personIds.flatMap((id): [string, StoredPerson][] => {
          const person = people.get(id);
          return person ? [[id, structuredClone(person)]] : [];
        }),
      );
    },
    async tombstone(personId) {
      const found = tombstones.get(personId);
      return found ? { ...found } : undefined;
    },
    async list({ status, limit, cursor, domain }) {
      const sorted = [...people.values()]
        .filter((person) => person.status === status && (!domain || person.domain === domain))
        .sort((left, right) => sortKey(left).localeCompare(sortKey(right)));
      let start = 0;
      if (cursor) {
        const after = Buffer.from(cursor, 'base64url').toString('utf8');
        start = sorted.findIndex((person) => sortKey(person) === after) + 1;
        if (start === 0) throw new InvalidCursorError();
      }
      const items = sorted.slice(start, start + limit);
      const last = items.at(-1);
      const hasMore = start + limit < sorted.length;
      return {
        items: structuredClone(items),
        ...(hasMore && last ? { nextCursor: Buffer.from(sortKey(last)).toString('base64url') } : {}),
      };
    },
    async search({ text, status, limit }) {
      const name = searchText(text);
      const email = normalEmail(text);
      return [...people.values()]
        .filter((person) => searchText(person.name).startsWith(name) || normalEmail(person.email).startsWith(email))
        .filter((person) => !status || person.status === status)
        .sort((a, b) => searchText(a.name).localeCompare(searchText(b.name)))
        .slice(0, limit)
        .map((person) => structuredClone(person));
    },
    async versionsOf(personIds) {
      return new Map(
        personIds.flatMap((personId): [string, number][] => {
          const person = people.get(personId);
          return person ? [[personId, person.version]] : [];
        }),
      );
    },
    async someoneActiveIn(domain) {
      return [...people.values()].find((person) => person.status === 'active' && person.domain === domain)?.personId;
    },
    async write(write: PersonWrite | TombstoneWrite | null, context: WriteContext) {
      const consumedKey = context.consumedEvent && `${context.consumedEvent.consumer}#${context.consumedEvent.eventId}`;
      if (consumedKey && consumed.has(consumedKey)) return 'duplicate';
      if (write?.kind === 'person') {
        applyPerson(write);
        published.push(...write.events.map((event) => ({ event, correlationId: context.correlationId })));
      } else if (write?.kind === 'tombstone') {
        applyTombstone(write);
      }
      if (consumedKey) consumed.add(consumedKey);
      return 'applied';
    },
  };
  return { repository, published, people };
};
