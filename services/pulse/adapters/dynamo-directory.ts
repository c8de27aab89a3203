/** Pulse's view of the organisation in DynamoDB, written by the projection consumer only. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../../../shared/dynamo/batch';
import { queryAll } from '../../../shared/dynamo/pages';
import { type Item, type RepositoryOptions, recordOf } from '../../../shared/dynamo/table';
import { type TransactItem, TransactionCancelledError, transactWrite } from '../../../shared/dynamo/transactions';
import { applyOnce } from '../../../shared/events/idempotent-consumer';
import type { CompletedSession, DirectoryPerson, EmailPreferences, MentorshipRecord } from '../domain/directory/model';
import type { ConsumeOutcome, DirectoryRepository, WriteContext } from '../domain/ports';
import {
  CHECK_IN_STATUS_PARTITION,
  checkInStatusIndexKey,
  menteeMentorshipKey,
  mentorshipKey,
  PEOPLE_PARTITION,
  POD_MEMBER_PREFIX,
  peopleIndexKey,
  personKey,
  podKey,
  podMemberKey,
  preferencesKey,
  sessionKey,
  suppressionKey,
} from './keys';

/**
 * Writes `items` once per consumed event. A failed condition means the event is older than what
 * is stored: only the consumed-event marker is written then, and the outcome is `stale`.
 */
export const writeConsumed = async (
  options: RepositoryOptions,
  context: WriteContext,
  items: readonly TransactItem[],
): Promise<ConsumeOutcome> => {
  const { db, tableName, clock } = options;
  const write = async (effects: readonly TransactItem[]) => {
    if (!context.consumedEvent) {
      await transactWrite(db, effects);
      return 'applied' as const;
    }
    const consumer = { db, tableName, consumer: context.consumedEvent.consumer, clock };
    return applyOnce(consumer, context.consumedEvent.eventId, effects);
  };
  try {
    return await write(items);
  } catch (error) {
    if (!(error instanceof TransactionCancelledError) || !error.onlyConditionsFailed) throw error;
    return (await write([])) === 'duplicate' ? 'duplicate' : 'stale';
  }
};

/** `newer or same` guard on records kept from events: `asOf` is the event's occurredAt. */
const NOT_OLDER = 'attribute_not_exists(pk) OR asOf <= :asOf';

export const createDynamoDirectoryRepository = (options: RepositoryOptions): DirectoryRepository => {
  const { db, tableName } = options;
  const get = async (key: { pk: string; sk: string }) =>
    (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  const putIfNotOlder = (key: { pk: string; sk: string }, item: Item, asOf: string): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: { ...key, ...item },
      ConditionExpression: NOT_OLDER,
      ExpressionAttributeValues: { ':asOf': asOf },
    },
  });

  return {
    putPerson: (person, context) =>
      writeConsumed(options, context, [
        putIfNotOlder(
          personKey(person.personId),
          { ...person, ...(person.active ? peopleIndexKey(person.domain, person.personId) : {}) },
          person.asOf,
        ),
      ]),

    putPod: (pod, context) => writeConsumed(options, context, [putIfNotOlder(podKey(pod.podId), { ...pod }, pod.asOf)]),

    startMentorship: (mentorship, context) =>
      writeConsumed(options, context, [
        {
          Put: {
            TableName: tableName,
            Item: { ...mentorshipKey(mentorship.mentorshipId), ...mentorship, status: 'active' },
            // An ended mentorship stays ended.
            ConditionExpression: 'attribute_not_exists(pk) OR #status = :active',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':active': 'active' },
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: {
              ...menteeMentorshipKey(mentorship.menteeId),
              ...checkInStatusIndexKey(null, mentorship.menteeId),
              ...mentorship,
              lastCheckInMonth: null,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR startedAt <= :startedAt',
            ExpressionAttributeValues: { ':startedAt': mentorship.startedAt },
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: {
              ...podMemberKey(mentorship.podId, mentorship.menteeId, mentorship.mentorshipId),
              podId: mentorship.podId,
              menteeId: mentorship.menteeId,
              mentorshipId: mentorship.mentorshipId,
            },
          },
        },
      ]),

    endMentorship: async (mentorship, context) => {
      const current = await get(menteeMentorshipKey(mentorship.menteeId));
      return writeConsumed(options, context, [
        {
          Put: {
            TableName: tableName,
            Item: { ...mentorshipKey(mentorship.mentorshipId), ...mentorship, status: 'ended' },
          },
        },
        {
          Delete: {
            TableName: tableName,
            Key: podMemberKey(mentorship.podId, mentorship.menteeId, mentorship.mentorshipId),
          },
        },
        ...(current?.mentorshipId === mentorship.mentorshipId
          ? [
              {
                Delete: {
                  TableName: tableName,
                  Key: menteeMentorshipKey(mentorship.menteeId),
                  ConditionExpression: 'mentorshipId = :mentorshipId',
                  ExpressionAttributeValues: { ':mentorshipId': mentorship.mentorshipId },
                },
              },
            ]
          : []),
      ]);
    },

    putPreferences: (preferences, context) =>
      writeConsumed(options, context, [
        putIfNotOlder(preferencesKey(preferences.personId), { ...preferences }, preferences.asOf),
      ]),

    suppressEmail: (email, context) =>
      writeConsumed(options, context, [
        { Put: { TableName: tableName, Item: { ...suppressionKey(email), email: email.toLowerCase() } } },
      ]),

    addCompletedSession: (session, context) =>
      writeConsumed(options, context, [
        {
          Put: {
            TableName: tableName,
            Item: { ...sessionKey(session.sessionId), ...session },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]),

    person: async (personId) => {
      const item = await get(personKey(personId));
      return item ? recordOf<DirectoryPerson>(item) : undefined;
    },

    people: async (personIds) => {
      const items = await batchGet(db, tableName, personIds.map(personKey), false);
      return new Map(items.map((item) => [String(item.personId), recordOf<DirectoryPerson>(item)]));
    },

    activePeople: async (domains) => {
      const query = (prefix?: string) =>
        queryAll(db, {
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: prefix
            ? 'gsi1pk = :partition AND begins_with(gsi1sk, :prefix)'
            : 'gsi1pk = :partition',
          ExpressionAttributeValues: { ':partition': PEOPLE_PARTITION, ...(prefix ? { ':prefix': prefix } : {}) },
        });
      const items =
        domains === 'all'
          ? await query()
          : (await Promise.all([...new Set(domains)].map((domain) => query(`${domain}#`)))).flat();
      return items
        .map((item) => recordOf<DirectoryPerson>(item))
        .filter((person) => person.active && (domains === 'all' || domains.includes(person.domain)));
    },

    podMembers: async (podIds) => {
      const result = new Map<string, string[]>();
      for (const podId of new Set(podIds)) {
        const items = await queryAll(db, {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': podKey(podId).pk },
          ConsistentRead: true,
        });
        const pod = items.find((item) => item.sk === podKey(podId).sk);
        if (!pod?.active) continue;
        const mentees = items
          .filter((item) => String(item.sk).startsWith(POD_MEMBER_PREFIX))
          .map((item) => String(item.menteeId));
        result.set(podId, [String(pod.mentorId), ...[...new Set(mentees)].sort()]);
      }
      return result;
    },

    mentorshipOf: async (menteeId) => {
      const item = await get(menteeMentorshipKey(menteeId));
      return item ? recordOf<MentorshipRecord & { status?: string }>(item) : undefined;
    },

    mentorshipsBehind: async (month) => {
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :partition AND gsi1sk < :month',
        ExpressionAttributeValues: { ':partition': CHECK_IN_STATUS_PARTITION, ':month': month },
      });
      return items.map((item) => recordOf<MentorshipRecord>(item));
    },

    preferences: async (personId) => {
      const item = await get(preferencesKey(personId));
      return item ? recordOf<EmailPreferences>(item) : undefined;
    },

    isSuppressed: async (email) => (await get(suppressionKey(email))) !== undefined,

    session: async (sessionId) => {
      const item = await get(sessionKey(sessionId));
      return item ? recordOf<CompletedSession>(item) : undefined;
    },
  };
};
