import type { PendingEvent } from '../../../shared/events/outbox';
import { InvalidCursorError } from '../../../shared/pagination';
import type { PeopleRepository, PersonWrite, WriteContext } from '../domain/people/directory';
import { ConcurrentModificationError } from '../domain/people/errors';
import type { Person } from '../domain/people/person';

export interface RecordedEvent {
  event: PendingEvent;
  correlationId: string;
}

/**
 * The repository port in memory, with the same contract as the DynamoDB one (version
 * checks, atomic person+events, at-most-once consumed events). For handler tests.
 */
export const createInMemoryPeopleRepository = () => {
  const people = new Map<string, Person>();
  const consumed = new Set<string>();
  const published: RecordedEvent[] = [];
  const sortKey = (person: Person) => `${person.domain}#${person.personId}`;

  const repository: PeopleRepository = {
    async get(personId) {
      const person = people.get(personId);
      return person ? structuredClone(person) : undefined;
    },
    async list({ limit, cursor, domain }) {
      const sorted = [...people.values()]
        .filter((person) => !domain || person.domain === domain)
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
    async versionsOf(personIds) {
      return new Map(
        personIds.flatMap((personId): [string, number][] => {
          const person = people.get(personId);
          return person ? [[personId, person.version]] : [];
        }),
      );
    },
    async write(write: PersonWrite | null, context: WriteContext) {
      const consumedKey = context.consumedEvent && `${context.consumedEvent.consumer}#${context.consumedEvent.eventId}`;
      if (consumedKey && consumed.has(consumedKey)) return 'duplicate';
      if (write) {
        const stored = people.get(write.person.personId);
        if ((stored?.version ?? null) !== write.expectedVersion) {
          throw new ConcurrentModificationError(write.person.personId);
        }
        people.set(write.person.personId, structuredClone(write.person));
        published.push(...write.events.map((event) => ({ event, correlationId: context.correlationId })));
      }
      if (consumedKey) consumed.add(consumedKey);
      return 'applied';
    },
  };
  return { repository, published, people };
};
