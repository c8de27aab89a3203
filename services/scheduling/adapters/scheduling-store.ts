/**
 * The scheduling store on DynamoDB (the service's own table; keys in keys.ts). A unit of work is
 * one TransactWriteItems with its outbox records, applied at most once per consumed event; a failed
 * condition comes back as WriteConflictError naming the writes whose conditions failed.
 */

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, type QueryCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet, batchPut } from '../../../shared/dynamo/batch';
import { outboxContextOf, outboxPut } from '../../../shared/dynamo/outbox';
import { decodeCursor, encodeCursor, indexPage, queryAll } from '../../../shared/dynamo/pages';
import { type Item, type RepositoryOptions, recordOf } from '../../../shared/dynamo/table';
import {
  retryTransactionConflicts,
  type TransactItem,
  TransactionCancelledError,
  transactWrite,
} from '../../../shared/dynamo/transactions';
import { applyOnce } from '../../../shared/events/idempotent-consumer';
import { InvalidCursorError } from '../../../shared/pagination';
import type {
  CalendarEntry,
  MentorshipRecord,
  Notice,
  NoticeRef,
  PersonRecord,
  PlanEntry,
  PodRecord,
  Preferences,
  Session,
  SkipLevelPlan,
  Suppression,
} from '../domain/model';
import { type SchedulingStore, type UnitOfWork, type Write, WriteConflictError } from '../domain/ports';
import {
  CADENCES_PARTITION,
  cadencesIndexKey,
  cadencesMentorPrefix,
  calendarBound,
  calendarEntryKey,
  calendarEntryPrefix,
  calendarLockKey,
  confirmedQuarterKey,
  DUE_SHARDS,
  dueIndexKey,
  duePartition,
  emailOwnerKey,
  emailOwnersPartition,
  mentorshipKey,
  mentorshipLinkKey,
  mentorshipLinkPrefix,
  noticeKey,
  PEOPLE_PARTITION,
  peopleDomainPrefix,
  peopleIndexKey,
  personKey,
  planEntryKey,
  planEntryPrefix,
  planKey,
  podKey,
  preferencesKey,
  SESSIONS_PARTITION,
  SUPPRESSIONS_PARTITION,
  seriesEntryKey,
  sessionKey,
  sessionsIndexKey,
  suppressionKey,
  suppressionsIndexKey,
  usedLinkKey,
} from './keys';

/** How long a finished notice is kept (what was sent to whom, for support questions). */
const FINISHED_NOTICE_RETENTION_SECONDS = 180 * 24 * 3600;
const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

const versionCondition = (expectedVersion: number | null) =>
  expectedVersion === null
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } };

const noticeOf = (item: Item): Notice => recordOf<Notice & { expiresAt?: number }>(item);

export const createDynamoSchedulingStore = (options: RepositoryOptions): SchedulingStore => {
  const { db, tableName } = options;

  const get = async <T>(key: { pk: string; sk: string }, consistent = true): Promise<T | undefined> => {
    const found = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: consistent }));
    return found.Item ? recordOf<T>(found.Item) : undefined;
  };
  const put = (item: Item, condition: Record<string, unknown> = {}): TransactItem => ({
    Put: { TableName: tableName, Item: item, ...condition },
  });
  const remove = (key: { pk: string; sk: string }): TransactItem => ({ Delete: { TableName: tableName, Key: key } });

  const itemOf = (write: Write): TransactItem => {
    switch (write.type) {
      case 'person': {
        const { record } = write;
        const listed = record.status === 'active' && record.profile;
        return put(
          {
            ...personKey(record.personId),
            ...(listed && record.profile ? peopleIndexKey(record.profile.domain, record.personId) : {}),
            ...record,
          },
          versionCondition(write.expectedVersion),
        );
      }
      case 'preferences':
        return put(
          { ...preferencesKey(write.record.personId), ...write.record },
          versionCondition(write.expectedVersion),
        );
      case 'mentorship': {
        const { record } = write;
        return put(
          {
            ...mentorshipKey(record.mentorshipId),
            ...(record.status === 'active'
              ? cadencesIndexKey(record.mentorId, record.menteeId, record.mentorshipId)
              : {}),
            ...record,
          },
          versionCondition(write.expectedVersion),
        );
      }
      case 'pod':
        return put({ ...podKey(write.record.podId), ...write.record }, versionCondition(write.expectedVersion));
      case 'session':
        return put(
          {
            ...sessionKey(write.record.sessionId),
            ...sessionsIndexKey(write.record.startsAt, write.record.sessionId),
            ...write.record,
          },
          versionCondition(write.expectedVersion),
        );
      case 'plan':
        return put({ ...planKey(write.record.planId), ...write.record }, versionCondition(write.expectedVersion));
      case 'plan-entry':
        // A confirmed plan's entries are kept; a proposal's expire with it (see savePlanEntries).
        return put({ ...planEntryKey(write.planId, write.entry.entryId), ...write.entry });
      case 'calendar-lock':
        return {
          Update: {
            TableName: tableName,
            Key: calendarLockKey(write.personId),
            UpdateExpression: 'SET version = :next',
            ...(write.expectedVersion === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeValues: { ':next': 1 } }
              : {
                  ConditionExpression: 'version = :expected',
                  ExpressionAttributeValues: { ':expected': write.expectedVersion, ':next': write.expectedVersion + 1 },
                }),
          },
        };
      case 'calendar-entry':
        return put({
          ...calendarEntryKey(write.entry.personId, write.entry.startsAt, write.entry.sessionId),
          ...write.entry,
        });
      case 'remove-calendar-entry':
        return remove(calendarEntryKey(write.personId, write.startsAt, write.sessionId));
      case 'series-entry':
        return put({ ...seriesEntryKey(write.seriesId, write.startsAt, write.sessionId), sessionId: write.sessionId });
      case 'remove-series-entry':
        return remove(seriesEntryKey(write.seriesId, write.startsAt, write.sessionId));
      case 'mentorship-link':
        return put({
          ...mentorshipLinkKey(write.personId, write.mentorshipId),
          mentorshipId: write.mentorshipId,
          role: write.role,
          active: write.active,
        });
      case 'email-owner':
        return put({ ...emailOwnerKey(write.email, write.personId), personId: write.personId });
      case 'remove-email-owner':
        return remove(emailOwnerKey(write.email, write.personId));
      case 'notice': {
        const { notice } = write;
        return put({
          ...noticeKey(notice),
          ...(notice.state === 'pending' ? dueIndexKey(notice, notice.dueAt) : {}),
          ...notice,
        });
      }
      case 'remove-notice':
        return remove(noticeKey(write.ref));
      case 'link-used':
        return put(
          { ...usedLinkKey(write.linkId), usedAt: write.usedAt, expiresAt: epochSeconds(write.expiresAt) },
          { ConditionExpression: 'attribute_not_exists(pk)' },
        );
      case 'suppression':
        return put(
          {
            ...suppressionKey(write.suppression.email),
            ...suppressionsIndexKey(write.suppression.suppressedAt, write.suppression.email),
            ...write.suppression,
          },
          { ConditionExpression: 'attribute_not_exists(pk)' },
        );
      case 'quarter-confirmed':
        return put(
          { ...confirmedQuarterKey(write.quarter), planId: write.planId },
          { ConditionExpression: 'attribute_not_exists(pk)' },
        );
    }
  };

  const transactItemsOf = (work: UnitOfWork, correlationId: string): TransactItem[] => {
    const outbox = outboxContextOf(options, correlationId);
    return [...work.writes.map(itemOf), ...work.events.map((event) => outboxPut(event, outbox))];
  };

  /** The writes whose conditions failed, from a cancelled transaction of `[...writes, ...]`. */
  const conflictOf = (error: unknown, writes: readonly Write[], offset = 0): never => {
    if (error instanceof TransactionCancelledError && error.onlyConditionsFailed) {
      throw new WriteConflictError(writes.filter((_, index) => error.conditionFailedAt(index + offset)));
    }
    throw error;
  };

  const queryRange = (input: Omit<QueryCommandInput, 'TableName'>) => queryAll(db, { TableName: tableName, ...input });

  return {
    getPerson: (personId) => get<PersonRecord>(personKey(personId)),

    async getPeople(personIds) {
      const items = await batchGet(db, tableName, personIds.map(personKey), true);
      return new Map(items.map((item) => [String(item.personId), recordOf<PersonRecord>(item)]));
    },

    async activePeople(domains) {
      const partitions = domains?.length ? domains.map(peopleDomainPrefix) : [undefined];
      const items = (
        await Promise.all(
          partitions.map((prefix) =>
            queryRange({
              IndexName: 'gsi1',
              KeyConditionExpression: prefix ? 'gsi1pk = :p AND begins_with(gsi1sk, :prefix)' : 'gsi1pk = :p',
              ExpressionAttributeValues: { ':p': PEOPLE_PARTITION, ...(prefix ? { ':prefix': prefix } : {}) },
            }),
          ),
        )
      ).flat();
      return items.map((item) => recordOf<PersonRecord>(item));
    },

    async personIdsWithEmail(email) {
      const items = await queryRange({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': emailOwnersPartition(email) },
      });
      return items.map((item) => String(item.personId));
    },

    getPreferences: (personId) => get<Preferences>(preferencesKey(personId)),

    async getPreferencesOf(personIds) {
      const items = await batchGet(db, tableName, personIds.map(preferencesKey), false);
      return new Map(items.map((item) => [String(item.personId), recordOf<Preferences>(item)]));
    },

    getMentorship: (mentorshipId) => get<MentorshipRecord>(mentorshipKey(mentorshipId)),

    async mentorshipLinksOf(personId) {
      const items = await queryRange({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': personKey(personId).pk, ':prefix': mentorshipLinkPrefix },
        ConsistentRead: true,
      });
      return items.map((item) => ({
        mentorshipId: String(item.mentorshipId),
        role: item.role as 'mentor' | 'mentee',
        active: item.active === true,
      }));
    },

    async getMentorships(mentorshipIds) {
      const items = await batchGet(db, tableName, mentorshipIds.map(mentorshipKey), true);
      return items.map((item) => recordOf<MentorshipRecord>(item));
    },

    async activeMentorships({ limit, cursor, mentorId }) {
      const page = await indexPage(db, {
        tableName,
        partition: CADENCES_PARTITION,
        prefix: mentorId ? cadencesMentorPrefix(mentorId) : undefined,
        limit,
        cursor,
      });
      return {
        items: page.items.map((item) => recordOf<MentorshipRecord>(item)),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },

    getPod: (podId) => get<PodRecord>(podKey(podId)),

    getSession: (sessionId) => get<Session>(sessionKey(sessionId)),

    async getSessions(sessionIds) {
      const items = await batchGet(db, tableName, sessionIds.map(sessionKey), true);
      const byId = new Map(items.map((item) => [String(item.sessionId), recordOf<Session>(item)]));
      return sessionIds.flatMap((sessionId) => {
        const session = byId.get(sessionId);
        return session ? [session] : [];
      });
    },

    async calendarLocks(personIds) {
      const items = await batchGet(db, tableName, personIds.map(calendarLockKey), true);
      const versions = new Map(personIds.map((personId) => [personId, 0]));
      for (const item of items) versions.set(String(item.pk).slice('PERSON#'.length), Number(item.version));
      return versions;
    },

    async calendarOf(personId, from, to) {
      const items = await queryRange({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': personKey(personId).pk,
          ':from': calendarBound(from),
          ':to': calendarBound(to),
        },
        ConsistentRead: true,
      });
      return items.map((item) => recordOf<CalendarEntry>(item));
    },

    async listSessionIds({ personId, from, to, limit, cursor }) {
      if (personId) {
        const pk = personKey(personId).pk;
        const start = cursor ? decodeCalendarCursor(cursor, pk) : undefined;
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': pk, ':from': calendarBound(from), ':to': calendarBound(to) },
            Limit: limit,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        const items = page.Items ?? [];
        const last = items.at(-1);
        return {
          items: items.map((item) => String(item.sessionId)),
          ...(page.LastEvaluatedKey && last ? { nextCursor: encodeCursor({ pk: last.pk, sk: last.sk }) } : {}),
        };
      }
      const start = cursor ? decodeCursor(cursor, { partition: SESSIONS_PARTITION }) : undefined;
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p AND gsi1sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':p': SESSIONS_PARTITION, ':from': from, ':to': to },
          Limit: limit,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const items = page.Items ?? [];
      const last = items.at(-1);
      return {
        items: items.map((item) => String(item.sessionId)),
        ...(page.LastEvaluatedKey && last
          ? { nextCursor: encodeCursor({ pk: last.pk, sk: last.sk, gsi1pk: last.gsi1pk, gsi1sk: last.gsi1sk }) }
          : {}),
      };
    },

    async previousInSeries(seriesId, startsAt, sessionId) {
      const before = seriesEntryKey(seriesId, startsAt, sessionId);
      const found = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk < :before',
          ExpressionAttributeValues: { ':pk': before.pk, ':before': before.sk },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      const previousId = found.Items?.[0]?.sessionId;
      return typeof previousId === 'string' ? get<Session>(sessionKey(previousId)) : undefined;
    },

    async getNotice(ref) {
      const item = await db.send(new GetCommand({ TableName: tableName, Key: noticeKey(ref), ConsistentRead: true }));
      return item.Item ? noticeOf(item.Item) : undefined;
    },

    async dueNotices(now, limit) {
      const upper = `${now}~`;
      const shards = await Promise.all(
        Array.from({ length: DUE_SHARDS }, async (_, shard) => {
          const items: Item[] = [];
          let start: Item | undefined;
          do {
            const page = await db.send(
              new QueryCommand({
                TableName: tableName,
                IndexName: 'gsi1',
                KeyConditionExpression: 'gsi1pk = :p AND gsi1sk < :upper',
                ExpressionAttributeValues: { ':p': duePartition(shard), ':upper': upper },
                ProjectionExpression: 'subject, kind, recipientId, dueAt',
                Limit: limit - items.length,
                ...(start ? { ExclusiveStartKey: start } : {}),
              }),
            );
            items.push(...(page.Items ?? []));
            start = page.LastEvaluatedKey;
          } while (start && items.length < limit);
          return items;
        }),
      );
      return shards
        .flat()
        .sort((a, b) => String(a.dueAt).localeCompare(String(b.dueAt)))
        .slice(0, limit)
        .map((item) => ({
          subject: item.subject as NoticeRef['subject'],
          kind: item.kind as NoticeRef['kind'],
          recipientId: (item.recipientId as string | null) ?? null,
        }));
    },

    async claimNotice(ref, now, claim) {
      try {
        const answer = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: noticeKey(ref),
            UpdateExpression: 'SET #state = :sending, claim = :claim, attempts = attempts + :one',
            ConditionExpression:
              'attribute_exists(gsi1pk) AND ((#state = :pending AND dueAt <= :now) OR (#state = :sending AND claim.#until < :now))',
            ExpressionAttributeNames: { '#state': 'state', '#until': 'until' },
            ExpressionAttributeValues: {
              ':sending': 'sending',
              ':pending': 'pending',
              ':now': now,
              ':claim': claim,
              ':one': 1,
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return answer.Attributes ? noticeOf(answer.Attributes) : undefined;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return undefined;
        throw error;
      }
    },

    async finishNotice(notice, outcome, work, context) {
      const { state, ...result } = outcome;
      const finish: TransactItem = {
        Update: {
          TableName: tableName,
          Key: noticeKey(notice),
          UpdateExpression: 'SET #state = :state, #result = :result, expiresAt = :expires REMOVE claim, gsi1pk, gsi1sk',
          ConditionExpression: 'claim.#token = :token',
          ExpressionAttributeNames: { '#state': 'state', '#result': 'result', '#token': 'token' },
          ExpressionAttributeValues: {
            ':state': state,
            ':result': result,
            ':token': notice.claim?.token ?? '',
            ':expires': epochSeconds(outcome.at) + FINISHED_NOTICE_RETENTION_SECONDS,
          },
        },
      };
      try {
        await retryTransactionConflicts(() =>
          transactWrite(db, [finish, ...transactItemsOf(work, context.correlationId)]),
        );
        return 'finished';
      } catch (error) {
        if (error instanceof TransactionCancelledError && error.conditionFailedAt(0)) return 'lost-claim';
        return conflictOf(error, work.writes, 1);
      }
    },

    async releaseNotice(notice, retryAt, reason) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: noticeKey(notice),
            UpdateExpression: 'SET #state = :pending, dueAt = :due, gsi1sk = :sort, #result = :result REMOVE claim',
            ConditionExpression: 'claim.#token = :token',
            ExpressionAttributeNames: { '#state': 'state', '#result': 'result', '#token': 'token' },
            ExpressionAttributeValues: {
              ':pending': 'pending',
              ':due': retryAt,
              ':sort': dueIndexKey(notice, retryAt).gsi1sk,
              ':result': { at: new Date().toISOString(), reason },
              ':token': notice.claim?.token ?? '',
            },
          }),
        );
      } catch (error) {
        // Someone else's now (a newer notice replaced it): nothing to give back.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    async getPlan(planId) {
      const items = await queryRange({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': planKey(planId).pk },
        ConsistentRead: true,
      });
      const header = items.find((item) => item.sk === 'PLAN');
      if (!header) return undefined;
      return {
        plan: recordOf<SkipLevelPlan>(header),
        entries: items
          .filter((item) => String(item.sk).startsWith(planEntryPrefix))
          .map((item) => recordOf<PlanEntry>(item))
          .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.entryId.localeCompare(b.entryId)),
      };
    },

    async savePlanEntries(planId, entries, expiresAt) {
      await batchPut(
        db,
        tableName,
        entries.map((entry) => ({
          ...planEntryKey(planId, entry.entryId),
          ...entry,
          expiresAt: epochSeconds(expiresAt),
        })),
      );
    },

    async confirmedPlanOf(quarter) {
      const found = await get<{ planId: string }>(confirmedQuarterKey(quarter));
      return found?.planId;
    },

    getSuppression: (email) => get<Suppression>(suppressionKey(email), false),

    async listSuppressions({ limit, cursor }) {
      const page = await indexPage(db, { tableName, partition: SUPPRESSIONS_PARTITION, limit, cursor });
      return {
        items: page.items.map((item) => recordOf<Suppression>(item)),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },

    async linkUsed(linkId) {
      return (await get(usedLinkKey(linkId))) !== undefined;
    },

    async commit(work, context) {
      const items = transactItemsOf(work, context.correlationId);
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
        return conflictOf(error, work.writes);
      }
    },
  };
};

/** A cursor over one person's calendar: exactly its keys, in that person's partition. */
const decodeCalendarCursor = (cursor: string, pk: string): Item => {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const fields = (key ?? {}) as Record<string, unknown>;
  const valid =
    typeof key === 'object' &&
    !Array.isArray(key) &&
    Object.keys(fields).sort().join(',') === 'pk,sk' &&
    fields.pk === pk &&
    typeof fields.sk === 'string' &&
    fields.sk.startsWith(calendarEntryPrefix) &&
    fields.sk.length <= 1024;
  if (!valid) throw new InvalidCursorError();
  return fields;
};
