import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../../../shared/dynamo/batch';
import { type OutboxContext, outboxContextOf, outboxPut } from '../../../shared/dynamo/outbox';
import { indexPage } from '../../../shared/dynamo/pages';
import { type RepositoryOptions, recordOf } from '../../../shared/dynamo/table';
import {
  retryTransactionConflicts,
  type TransactItem,
  TransactionCancelledError,
  transactWrite,
} from '../../../shared/dynamo/transactions';
import { applyOnce } from '../../../shared/events/idempotent-consumer';
import type {
  PeoplePage,
  PeopleRepository,
  PersonWrite,
  TombstoneWrite,
  WriteContext,
} from '../domain/people/directory';
import { ConcurrentModificationError, DuplicateEmailError } from '../domain/people/errors';
import { type StoredPerson, StoredPersonSchema } from '../domain/people/person';
import type { Tombstone } from '../domain/people/person-changes';
import {
  directoryDomainPrefix,
  directoryIndexKey,
  directoryPartition,
  emailIndexKey,
  emailKey,
  nameIndexKey,
  nameSearchKey,
  normalEmail,
  PEOPLE_BY_EMAIL,
  PEOPLE_BY_NAME,
  personKey,
  searchText,
  tombstoneKey,
} from './keys';

export const personFromItem = (item: Record<string, unknown>): StoredPerson =>
  StoredPersonSchema().parse(recordOf(item));

/** What each item of a person write's transaction guards, to explain a cancellation. */
type ItemRole = 'profile' | 'email-claim' | 'email-release' | 'tombstone' | 'other';

/** The profile item: the person, their directory listing key (status, domain) and nothing else. */
const profileItem = (person: StoredPerson) => ({
  ...personKey(person.personId),
  ...directoryIndexKey(person.status, person.domain, person.personId),
  ...person,
});

/**
 * The Update that turns `before` into `after`: SET exactly the attributes that differ, REMOVE
 * those `after` no longer has, under the version `before` was read at. Attributes nobody
 * changed are not written, so a concurrent writer of other fields loses nothing (and the version
 * condition makes any overlap a conflict to redo, never a silent overwrite).
 */
const profileUpdate = (tableName: string, before: StoredPerson, after: StoredPerson): TransactItem => {
  const next: Record<string, unknown> = profileItem(after);
  const previous: Record<string, unknown> = profileItem(before);
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = { ':expected': before.version };
  const sets: string[] = [];
  const removes: string[] = [];
  let index = 0;
  for (const [name, value] of Object.entries(next)) {
    if (name === 'pk' || name === 'sk') continue;
    if (JSON.stringify(previous[name]) === JSON.stringify(value)) continue;
    const key = `#a${index}`;
    names[key] = name;
    values[`:v${index}`] = value;
    sets.push(`${key} = :v${index}`);
    index++;
  }
  for (const name of Object.keys(previous)) {
    if (name in next) continue;
    const key = `#a${index++}`;
    names[key] = name;
    removes.push(key);
  }
  return {
    Update: {
      TableName: tableName,
      Key: personKey(after.personId),
      UpdateExpression: [
        sets.length ? `SET ${sets.join(', ')}` : '',
        removes.length ? `REMOVE ${removes.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

/**
 * The transaction items of one person write (without its events): the profile, the address
 * claim (one person per address, taken with `attribute_not_exists` or kept by its owner), the
 * name-search item, and the tombstone a creation consumes. Exported for the roster import, which
 * writes many people per transaction.
 */
export const personWriteItems = (
  tableName: string,
  write: PersonWrite,
): { items: TransactItem[]; roles: ItemRole[] } => {
  const { person, before } = write;
  const items: TransactItem[] = [];
  const roles: ItemRole[] = [];
  const push = (role: ItemRole, item: TransactItem) => {
    items.push(item);
    roles.push(role);
  };
  push(
    'profile',
    before
      ? profileUpdate(tableName, before, person)
      : { Put: { TableName: tableName, Item: profileItem(person), ConditionExpression: 'attribute_not_exists(pk)' } },
  );
  const emailChanged = !before || normalEmail(before.email) !== normalEmail(person.email);
  if (emailChanged) {
    push('email-claim', {
      Put: {
        TableName: tableName,
        Item: { ...emailKey(person.email), ...emailIndexKey(person.email, person.personId), personId: person.personId },
        ConditionExpression: 'attribute_not_exists(pk) OR personId = :me',
        ExpressionAttributeValues: { ':me': person.personId },
      },
    });
    if (before) {
      push('email-release', {
        Delete: {
          TableName: tableName,
          Key: emailKey(before.email),
          ConditionExpression: 'attribute_not_exists(pk) OR personId = :me',
          ExpressionAttributeValues: { ':me': person.personId },
        },
      });
    }
  }
  if (!before || searchText(before.name) !== searchText(person.name)) {
    push('other', {
      Put: {
        TableName: tableName,
        Item: {
          ...nameSearchKey(person.personId),
          ...nameIndexKey(person.name, person.personId),
          personId: person.personId,
        },
      },
    });
  }
  if (!before && write.tombstone !== undefined) {
    push(
      'tombstone',
      write.tombstone === null
        ? {
            ConditionCheck: {
              TableName: tableName,
              Key: tombstoneKey(person.personId),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          }
        : {
            Delete: {
              TableName: tableName,
              Key: tombstoneKey(person.personId),
              ConditionExpression: 'statusVersion = :read',
              ExpressionAttributeValues: { ':read': write.tombstone.statusVersion },
            },
          },
    );
  }
  return { items, roles };
};

const tombstoneItems = (tableName: string, write: TombstoneWrite): TransactItem[] => [
  {
    // Only while the person is not in the directory: otherwise the leave applies to their record.
    ConditionCheck: {
      TableName: tableName,
      Key: personKey(write.tombstone.personId),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
  {
    Put: {
      TableName: tableName,
      Item: { ...tombstoneKey(write.tombstone.personId), ...write.tombstone },
      ...(write.previous
        ? {
            ConditionExpression: 'statusVersion = :read',
            ExpressionAttributeValues: { ':read': write.previous.statusVersion },
          }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  },
];

export const createDynamoPeopleRepository = (options: RepositoryOptions): PeopleRepository => {
  const { db, tableName } = options;

  const ownerOfEmail = async (email: string): Promise<string> => {
    const found = await db.send(new GetCommand({ TableName: tableName, Key: emailKey(email), ConsistentRead: true }));
    return String(found.Item?.personId ?? 'someone else');
  };

  /** Maps a cancelled person write to the domain error it means. */
  const explain = async (error: unknown, write: PersonWrite | TombstoneWrite, roles: readonly ItemRole[]) => {
    if (!(error instanceof TransactionCancelledError)) return error;
    const personId = write.kind === 'person' ? write.person.personId : write.tombstone.personId;
    if (write.kind === 'person') {
      const claim = roles.indexOf('email-claim');
      if (claim >= 0 && error.conditionFailedAt(claim)) {
        return new DuplicateEmailError(write.person.email, await ownerOfEmail(write.person.email));
      }
    }
    if (roles.some((_, index) => error.conditionFailedAt(index))) return new ConcurrentModificationError(personId);
    return error;
  };

  const peopleOf = async (personIds: readonly string[], consistent: boolean) => {
    const items = await batchGet(db, tableName, personIds.map(personKey), consistent);
    return new Map(items.map((item) => [String(item.personId), personFromItem(item)]));
  };

  const searchIndex = async (partition: string, prefix: string, limit: number): Promise<string[]> => {
    const result = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :partition AND begins_with(gsi1sk, :prefix)',
        ExpressionAttributeValues: { ':partition': partition, ':prefix': prefix },
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => String(item.personId));
  };

  return {
    async get(personId) {
      const found = await db.send(
        new GetCommand({ TableName: tableName, Key: personKey(personId), ConsistentRead: true }),
      );
      return found.Item ? personFromItem(found.Item) : undefined;
    },

    getMany: (personIds) => peopleOf(personIds, true),

    async tombstone(personId) {
      const found = await db.send(
        new GetCommand({ TableName: tableName, Key: tombstoneKey(personId), ConsistentRead: true }),
      );
      return found.Item ? recordOf<Tombstone>(found.Item) : undefined;
    },

    async list({ status, limit, cursor, domain }): Promise<PeoplePage> {
      const page = await indexPage(db, {
        tableName,
        partition: directoryPartition(status),
        prefix: domain ? directoryDomainPrefix(domain) : undefined,
        limit,
        cursor,
      });
      return { items: page.items.map(personFromItem), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },

    async search({ text, status, limit }) {
      const wanted = Math.min(limit * 3, 300);
      const [byName, byEmail] = await Promise.all([
        searchIndex(PEOPLE_BY_NAME, searchText(text), wanted),
        searchIndex(PEOPLE_BY_EMAIL, normalEmail(text), wanted),
      ]);
      const ids = [...new Set([...byName, ...byEmail])];
      const found = await peopleOf(ids, false);
      return ids
        .flatMap((id) => {
          const person = found.get(id);
          return person && (!status || person.status === status) ? [person] : [];
        })
        .slice(0, limit);
    },

    async versionsOf(personIds) {
      const items = await batchGet(db, tableName, personIds.map(personKey), true);
      return new Map(items.map((item) => [String(item.personId), Number(item.version)]));
    },

    async someoneActiveIn(domain) {
      const page = await indexPage(db, {
        tableName,
        partition: directoryPartition('active'),
        prefix: directoryDomainPrefix(domain),
        limit: 1,
      });
      const [first] = page.items;
      return first ? String(first.personId) : undefined;
    },

    async write(write, context: WriteContext) {
      const outboxContext: OutboxContext = outboxContextOf(options, context.correlationId);
      const built =
        write === null
          ? { items: [], roles: [] as ItemRole[] }
          : write.kind === 'person'
            ? personWriteItems(tableName, write)
            : { items: tombstoneItems(tableName, write), roles: ['other', 'tombstone'] as ItemRole[] };
      const items = [
        ...built.items,
        ...(write?.kind === 'person' ? write.events.map((event) => outboxPut(event, outboxContext)) : []),
      ];
      try {
        return await retryTransactionConflicts(async () => {
          if (context.consumedEvent) {
            return applyOnce(
              { db, tableName, consumer: context.consumedEvent.consumer, clock: options.clock },
              context.consumedEvent.eventId,
              items,
            );
          }
          await transactWrite(db, items);
          return 'applied' as const;
        });
      } catch (error) {
        if (write) throw await explain(error, write, built.roles);
        throw error;
      }
    },
  };
};
