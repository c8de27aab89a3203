import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../../../shared/dynamo/batch';
import { outboxContextOf, outboxPut } from '../../../shared/dynamo/outbox';
import { indexPage, queryAll } from '../../../shared/dynamo/pages';
import { type RepositoryOptions, recordOf } from '../../../shared/dynamo/table';
import {
  retryTransactionConflicts,
  type TransactItem,
  TransactionCancelledError,
  transactWrite,
} from '../../../shared/dynamo/transactions';
import { applyOnce } from '../../../shared/events/idempotent-consumer';
import type { PendingEvent } from '../../../shared/events/outbox';
import { InvalidCursorError } from '../../../shared/pagination';
import type { WriteContext } from '../domain/people/directory';
import { type Person, publicPerson } from '../domain/people/person';
import { CommitInProgressError, PairingConflictError, ReassignmentStateError } from '../domain/pods/errors';
import type {
  DeferredOffboarding,
  Mentorship,
  PastPairing,
  PendingRematch,
  PodRecord,
  PodWithMembers,
  ReassignmentRequest,
  Separation,
  WaitingMentee,
} from '../domain/pods/model';
import type { PairingChange } from '../domain/pods/pairing-change';
import type { MatchingState, PairingRepository } from '../domain/pods/ports';
import {
  DEFERRED_OFFBOARDINGS_PARTITION,
  deferredOffboardingKey,
  MENTORSHIPS_PARTITION,
  matchingStateKey,
  menteeMentorshipKey,
  menteeOpenRequestKey,
  mentorPodKey,
  mentorshipsIndexKey,
  PAST_PAIRINGS_PARTITION,
  PENDING_REMATCHES_PARTITION,
  PODS_PARTITION,
  pastPairingKey,
  pastPairingPrefix,
  pastPairingsIndexKey,
  pendingRematchesIndexKey,
  pendingRematchKey,
  personKey,
  personRequestKey,
  personRequestPrefix,
  podKey,
  podMemberKey,
  podMemberPrefix,
  podsDomainPrefix,
  podsIndexKey,
  requestKey,
  requestsIndexKey,
  runStepKey,
  SEPARATIONS_PARTITION,
  separationKey,
  separationPrefix,
  separationsIndexKey,
  WAITING_PARTITION,
  waitingDomainPrefix,
  waitingIndexKey,
  waitingKey,
} from './keys';
import { personFromItem } from './people-repository';

/** No pod ever holds more, whatever a mentor's capacity says (the product's 3-5 rule). */
const MAX_POD_SIZE = 5;

/** What each item of a change's transaction is, to explain a cancellation. */
type ItemRole =
  | 'other'
  | 'member'
  | 'mentee'
  | 'history'
  | 'pod'
  | 'mentor'
  | 'pending'
  | 'request'
  | 'deferral'
  | 'state'
  | 'step'
  | 'event';

export const podItem = (pod: PodRecord) => ({
  ...podKey(pod.podId),
  ...(pod.status === 'active' ? podsIndexKey(pod.domain, pod.podId) : {}),
  ...pod,
});
const memberItem = (m: Mentorship) => ({
  ...podMemberKey(m.podId, m.menteeId),
  ...mentorshipsIndexKey(m.domain, m.mentorId, m.menteeId),
  ...m,
});
const requestItem = (request: ReassignmentRequest) => ({
  ...requestKey(request.requestId),
  ...requestsIndexKey(request.status, request.createdAt, request.requestId),
  ...request,
});

/** Who sees a request as their own: the mentee it is about, and whoever asked (a mentor). */
const involvedIn = (request: ReassignmentRequest): string[] => [...new Set([request.menteeId, request.requestedBy])];

/** A cursor of a person's request listing: their partition, a request sort key, nothing else. */
const decodeRequestCursor = (cursor: string, personId: string): { pk: string; sk: string } => {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const valid =
      Object.keys(key).sort().join(',') === 'pk,sk' &&
      key.pk === personKey(personId).pk &&
      typeof key.sk === 'string' &&
      key.sk.startsWith(personRequestPrefix) &&
      key.sk.length < 1024;
    if (valid) return key as { pk: string; sk: string };
  } catch {
    // not base64 JSON: refused below
  }
  throw new InvalidCursorError();
};

/** The attributes `status` and `load` are DynamoDB reserved words. */
const names = { '#status': 'status', '#load': 'load' };

export const readMatchingState = async (db: DynamoDBDocumentClient, tableName: string): Promise<MatchingState> => {
  const found = await db.send(new GetCommand({ TableName: tableName, Key: matchingStateKey(), ConsistentRead: true }));
  return {
    generation: Number(found.Item?.generation ?? 0),
    committingRunId: (found.Item?.committingRunId as string | undefined) ?? null,
    commitStartedAt: (found.Item?.commitStartedAt as string | undefined) ?? null,
  };
};

export interface PairingRepositoryOptions extends RepositoryOptions {
  /**
   * How long a past pairing can still matter (the repeat penalty's window), in months: its history
   * item expires (TTL) that long after the pairing ended, so a run's reads stop growing.
   */
  pastPairingRetentionMonths?: () => Promise<number>;
}

/** The instant `months` after `from` (calendar months, as the lock dates). */
const monthsAfter = (from: string, months: number): Date => {
  const date = new Date(from);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date;
};

export const createDynamoPairingRepository = (options: PairingRepositoryOptions): PairingRepository => {
  const { db, tableName } = options;
  const outboxContext = (correlationId: string) => outboxContextOf(options, correlationId);

  const podsOf = async (podIds: readonly string[]): Promise<PodWithMembers[]> =>
    (
      await Promise.all(
        podIds.map(async (podId) => {
          const items = await queryAll(db, {
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': podKey(podId).pk },
            ConsistentRead: true,
          });
          const header = items.find((item) => item.sk === 'POD');
          if (!header) return undefined;
          const members = items
            .filter((item) => String(item.sk).startsWith(podMemberPrefix))
            .map((item) => recordOf<Mentorship>(item));
          return { pod: recordOf<PodRecord>(header), members };
        }),
      )
    ).filter((found): found is PodWithMembers => found !== undefined);

  const changeItems = (change: PairingChange, correlationId: string, retentionMonths: number | undefined) => {
    const items: TransactItem[] = [];
    const roles: ItemRole[] = [];
    const push = (role: ItemRole, item: TransactItem) => {
      items.push(item);
      roles.push(role);
    };
    const restarted = new Map(change.starts.map((start) => [start.menteeId, start]));
    const ended = new Set(change.ends.map((end) => end.mentorship.menteeId));
    const now = options.clock().toISOString();

    for (const { mentorship, reason, endedAt } of change.ends) {
      push('member', {
        Delete: {
          TableName: tableName,
          Key: podMemberKey(mentorship.podId, mentorship.menteeId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      });
      const restart = restarted.get(mentorship.menteeId);
      const guardCondition = {
        ConditionExpression: 'mentorshipId = :ended',
        ExpressionAttributeValues: { ':ended': mentorship.mentorshipId },
      };
      push(
        'mentee',
        restart
          ? {
              Put: {
                TableName: tableName,
                Item: { ...menteeMentorshipKey(restart.menteeId), ...restart },
                ...guardCondition,
              },
            }
          : { Delete: { TableName: tableName, Key: menteeMentorshipKey(mentorship.menteeId), ...guardCondition } },
      );
      const past: PastPairing = { mentorId: mentorship.mentorId, menteeId: mentorship.menteeId, endedAt, reason };
      const expiresAt =
        retentionMonths === undefined
          ? {}
          : { expiresAt: Math.floor(monthsAfter(endedAt, retentionMonths).getTime() / 1000) };
      push('history', {
        Put: {
          TableName: tableName,
          Item: {
            ...pastPairingKey(mentorship.menteeId, mentorship.mentorId),
            ...pastPairingsIndexKey(mentorship.mentorId, mentorship.menteeId),
            ...past,
            ...expiresAt,
          },
        },
      });
    }
    for (const start of change.starts) {
      if (!ended.has(start.menteeId)) {
        push('mentee', {
          Put: {
            TableName: tableName,
            Item: { ...menteeMentorshipKey(start.menteeId), ...start },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      push('member', {
        Put: { TableName: tableName, Item: memberItem(start), ConditionExpression: 'attribute_not_exists(pk)' },
      });
    }
    for (const { mentorship, lockedUntil } of change.renewals) {
      push('mentee', {
        Update: {
          TableName: tableName,
          Key: menteeMentorshipKey(mentorship.menteeId),
          UpdateExpression: 'SET lockedUntil = :until',
          ConditionExpression: 'mentorshipId = :id',
          ExpressionAttributeValues: { ':until': lockedUntil, ':id': mentorship.mentorshipId },
        },
      });
      push('member', {
        Update: {
          TableName: tableName,
          Key: podMemberKey(mentorship.podId, mentorship.menteeId),
          UpdateExpression: 'SET lockedUntil = :until',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':until': lockedUntil },
        },
      });
    }
    for (const pod of change.pods) {
      if (pod.kind === 'form') {
        if (pod.pod.load > Math.min(pod.pod.capacity, MAX_POD_SIZE)) {
          throw new PairingConflictError(`pod ${pod.pod.podId} would start above its capacity`);
        }
        push('pod', {
          Put: { TableName: tableName, Item: podItem(pod.pod), ConditionExpression: 'attribute_not_exists(pk)' },
        });
        push('mentor', {
          Put: {
            TableName: tableName,
            Item: { ...mentorPodKey(pod.pod.mentorId), podId: pod.pod.podId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      } else if (pod.kind === 'adjust') {
        const joining = pod.delta > 0;
        push('pod', {
          Update: {
            TableName: tableName,
            Key: podKey(pod.podId),
            UpdateExpression: `ADD #load :delta${joining ? ' SET #capacity = :capacity' : ''}`,
            // Capacity is enforced here, by the database, whatever the application believed.
            ConditionExpression: `#status = :active AND ${joining ? '#load <= :bound' : '#load >= :bound'}`,
            ExpressionAttributeNames: { ...names, ...(joining ? { '#capacity': 'capacity' } : {}) },
            ExpressionAttributeValues: {
              ':delta': pod.delta,
              ':active': 'active',
              ':bound': joining ? Math.min(pod.capacity ?? 0, MAX_POD_SIZE) - pod.delta : -pod.delta,
              ...(joining ? { ':capacity': pod.capacity } : {}),
            },
          },
        });
      } else {
        push('pod', {
          Update: {
            TableName: tableName,
            Key: podKey(pod.podId),
            UpdateExpression:
              'SET #status = :dissolved, dissolvedAt = :at, dissolvedReason = :reason ADD #load :delta REMOVE gsi1pk, gsi1sk',
            ConditionExpression: '#status = :active AND #load = :members',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ':dissolved': 'dissolved',
              ':active': 'active',
              ':at': pod.at,
              ':reason': pod.reason,
              ':delta': pod.delta,
              ':members': -pod.delta,
            },
          },
        });
        push('mentor', {
          Delete: {
            TableName: tableName,
            Key: mentorPodKey(pod.mentorId),
            ConditionExpression: 'podId = :podId',
            ExpressionAttributeValues: { ':podId': pod.podId },
          },
        });
      }
    }
    for (const pending of change.pendingRematches?.add ?? []) {
      push('pending', {
        Put: {
          TableName: tableName,
          Item: {
            ...pendingRematchKey(pending.triggerId, pending.menteeId),
            ...pendingRematchesIndexKey(pending.since, pending.triggerId, pending.menteeId),
            ...pending,
          },
        },
      });
    }
    for (const pending of change.pendingRematches?.remove ?? []) {
      push('pending', {
        Delete: { TableName: tableName, Key: pendingRematchKey(pending.triggerId, pending.menteeId) },
      });
    }
    for (const separation of change.separations?.add ?? []) {
      push('other', {
        Put: {
          TableName: tableName,
          Item: {
            ...separationKey(separation.menteeId, separation.mentorId),
            ...separationsIndexKey(separation.mentorId, separation.menteeId),
            ...separation,
          },
        },
      });
    }
    for (const separation of change.separations?.remove ?? []) {
      push('other', {
        Delete: { TableName: tableName, Key: separationKey(separation.menteeId, separation.mentorId) },
      });
    }
    for (const waiting of change.waiting?.add ?? []) {
      push('other', {
        Put: {
          TableName: tableName,
          Item: {
            ...waitingKey(waiting.menteeId),
            ...waitingIndexKey(waiting.domain, waiting.since, waiting.menteeId),
            ...waiting,
          },
        },
      });
    }
    const waitingAdded = new Set((change.waiting?.add ?? []).map((item) => item.menteeId));
    for (const menteeId of change.waiting?.remove ?? []) {
      if (!waitingAdded.has(menteeId)) push('other', { Delete: { TableName: tableName, Key: waitingKey(menteeId) } });
    }
    if (change.decidedRequest) {
      const request = change.decidedRequest;
      push('request', {
        Put: {
          TableName: tableName,
          Item: requestItem(request),
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':open': 'open' },
        },
      });
      for (const personId of involvedIn(request)) {
        push('other', {
          Put: {
            TableName: tableName,
            Item: { ...personRequestKey(personId, request.createdAt, request.requestId), ...request },
          },
        });
      }
      push('request', {
        Delete: {
          TableName: tableName,
          Key: menteeOpenRequestKey(request.menteeId),
          ConditionExpression: 'requestId = :id',
          ExpressionAttributeValues: { ':id': request.requestId },
        },
      });
    }
    if (change.deferredOffboarding) {
      const { personId, eventId } = change.deferredOffboarding;
      push('deferral', {
        Delete: {
          TableName: tableName,
          Key: deferredOffboardingKey(personId),
          ConditionExpression: 'eventId = :eventId',
          ExpressionAttributeValues: { ':eventId': eventId },
        },
      });
    }
    if (change.guard.kind === 'outside-commit') {
      push('state', {
        Update: {
          TableName: tableName,
          Key: matchingStateKey(),
          UpdateExpression: 'ADD generation :one',
          ConditionExpression: 'attribute_not_exists(committingRunId)',
          ExpressionAttributeValues: { ':one': 1 },
        },
      });
    } else if (change.guard.kind === 'run-step') {
      push('step', {
        Update: {
          TableName: tableName,
          Key: runStepKey(change.guard.runId, change.guard.index),
          UpdateExpression: 'SET appliedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(appliedAt)',
          ExpressionAttributeValues: { ':now': now },
        },
      });
    }
    for (const event of change.events) push('event', outboxPut(event, outboxContext(correlationId)));
    return { items, roles };
  };

  const explainCancellation = async (error: TransactionCancelledError, roles: readonly ItemRole[]) => {
    const failed = new Set(roles.filter((_, index) => error.conditionFailedAt(index)));
    // Someone else applied this run step, or carried out this deferred offboarding, first.
    if (failed.has('step') || failed.has('deferral')) return 'already-applied' as const;
    if (failed.has('state')) {
      throw new CommitInProgressError((await readMatchingState(db, tableName)).committingRunId);
    }
    const what: Record<ItemRole, string> = {
      other: 'a record of the change',
      member: 'a pod member',
      mentee: 'a mentee’s current mentorship',
      history: 'a past pairing',
      pod: 'a pod (its status, or its load against its capacity)',
      mentor: 'a mentor’s active pod',
      pending: 'a pending re-match',
      request: 'the reassignment request',
      deferral: 'a deferred offboarding',
      state: 'the commit slot',
      step: 'the run step',
      event: 'an event',
    };
    throw new PairingConflictError(`the stored state changed: ${[...failed].map((role) => what[role]).join(', ')}`);
  };

  return {
    matchingState: () => readMatchingState(db, tableName),

    async snapshot() {
      const { generation, committingRunId } = await readMatchingState(db, tableName);
      const index = (partition: string) =>
        queryAll(db, {
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :partition',
          ExpressionAttributeValues: { ':partition': partition },
        });
      const [pods, mentorships, past, separations] = await Promise.all([
        index(PODS_PARTITION),
        index(MENTORSHIPS_PARTITION),
        index(PAST_PAIRINGS_PARTITION),
        index(SEPARATIONS_PARTITION),
      ]);
      // DynamoDB deletes expired items within days, not at once: what expired is left out here.
      const now = Math.floor(options.clock().getTime() / 1000);
      return {
        generation,
        committingRunId,
        pods: pods.map((item) => recordOf<PodRecord>(item)),
        mentorships: mentorships.map((item) => recordOf<Mentorship>(item)),
        pastPairings: past
          .filter((item) => item.expiresAt === undefined || Number(item.expiresAt) > now)
          .map((item) => recordOf<PastPairing>(item)),
        separations: separations.map((item) => recordOf<Separation>(item)),
      };
    },

    async podWithMembers(podId) {
      return (await podsOf([podId]))[0];
    },

    async activePodOfMentor(mentorId) {
      const found = await db.send(
        new GetCommand({ TableName: tableName, Key: mentorPodKey(mentorId), ConsistentRead: true }),
      );
      const podId = found.Item?.podId as string | undefined;
      return podId ? (await podsOf([podId]))[0] : undefined;
    },

    async mentorshipOf(menteeId) {
      const found = await db.send(
        new GetCommand({ TableName: tableName, Key: menteeMentorshipKey(menteeId), ConsistentRead: true }),
      );
      return found.Item ? recordOf<Mentorship>(found.Item) : undefined;
    },

    async currentMentorships(menteeIds) {
      const items = await batchGet(db, tableName, menteeIds.map(menteeMentorshipKey), true);
      return new Map(items.map((item) => [String(item.menteeId), recordOf<Mentorship>(item)]));
    },

    async currentPods(podIds) {
      const items = await batchGet(db, tableName, podIds.map(podKey), true);
      return new Map(items.map((item) => [String(item.podId), recordOf<PodRecord>(item)]));
    },

    async currentMentorPods(mentorIds) {
      const items = await batchGet(db, tableName, mentorIds.map(mentorPodKey), true);
      return new Map(items.map((item) => [String(item.pk).slice('MENTOR#'.length), String(item.podId)]));
    },

    async activePodsInDomain(domain) {
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :partition AND begins_with(gsi1sk, :prefix)',
        ExpressionAttributeValues: { ':partition': PODS_PARTITION, ':prefix': podsDomainPrefix(domain) },
      });
      return items.map((item) => recordOf<PodRecord>(item)).filter((pod) => pod.domain === domain);
    },

    async pastPairingsOf(menteeId) {
      const items = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pastPairingKey(menteeId, '').pk, ':prefix': pastPairingPrefix },
      });
      const now = Math.floor(options.clock().getTime() / 1000);
      return items
        .filter((item) => item.expiresAt === undefined || Number(item.expiresAt) > now)
        .map((item) => recordOf<PastPairing>(item));
    },

    async separationsOf(menteeId) {
      const items = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': separationKey(menteeId, '').pk, ':prefix': separationPrefix },
        ConsistentRead: true,
      });
      return items.map((item) => recordOf<Separation>(item));
    },

    async waitingIn(domain) {
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :partition AND begins_with(gsi1sk, :prefix)',
        ExpressionAttributeValues: { ':partition': WAITING_PARTITION, ':prefix': waitingDomainPrefix(domain) },
      });
      return items.map((item) => recordOf<WaitingMentee>(item));
    },

    async allWaiting() {
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :partition',
        ExpressionAttributeValues: { ':partition': WAITING_PARTITION },
      });
      return items.map((item) => recordOf<WaitingMentee>(item)).sort((a, b) => a.since.localeCompare(b.since));
    },

    async requestsOf(personId, { limit, cursor }) {
      const start = cursor ? decodeRequestCursor(cursor, personId) : undefined;
      const result = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': personKey(personId).pk, ':prefix': personRequestPrefix },
          ScanIndexForward: false,
          Limit: limit + 1,
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const found = result.Items ?? [];
      const items = found.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map((item) => recordOf<ReassignmentRequest>(item)),
        ...(found.length > limit && last
          ? { nextCursor: Buffer.from(JSON.stringify({ pk: last.pk, sk: last.sk })).toString('base64url') }
          : {}),
      };
    },

    async listPods({ limit, cursor, domain }) {
      const page = await indexPage(db, {
        tableName,
        partition: PODS_PARTITION,
        prefix: domain && podsDomainPrefix(domain),
        limit,
        cursor,
      });
      const podIds = page.items.map((item) => String(item.podId));
      const found = new Map((await podsOf(podIds)).map((pod) => [pod.pod.podId, pod]));
      return {
        items: podIds.flatMap((podId) => {
          const pod = found.get(podId);
          return pod && pod.pod.status === 'active' ? [pod] : [];
        }),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },

    async peopleByIds(personIds) {
      const items = await batchGet(db, tableName, personIds.map(personKey), false);
      const people = new Map<string, Person>();
      for (const item of items) {
        const person = publicPerson(personFromItem(item));
        people.set(person.personId, person);
      }
      return people;
    },

    async pendingRematches(triggerId) {
      const items = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pendingRematchKey(triggerId, '').pk },
        ConsistentRead: true,
      });
      return items.map((item) => recordOf<PendingRematch>(item));
    },

    async pendingRematchesSince(cutoff) {
      // The index is sorted by the instant each wait started: those left behind are a prefix.
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :partition AND gsi1sk < :cutoff',
        ExpressionAttributeValues: { ':partition': PENDING_REMATCHES_PARTITION, ':cutoff': cutoff },
      });
      return items.map((item) => recordOf<PendingRematch>(item));
    },

    async deferOffboarding(deferral, context) {
      const consumed = context.consumedEvent;
      if (!consumed) throw new Error('A deferred offboarding is recorded with its consumed event');
      const consumer = { db, tableName, consumer: consumed.consumer, clock: options.clock };
      const effects: TransactItem[] = [
        {
          ConditionCheck: {
            TableName: tableName,
            Key: matchingStateKey(),
            ConditionExpression: 'attribute_exists(committingRunId)',
          },
        },
        {
          // A person's first deferral is kept: a second event about the same leaver adds nothing.
          Update: {
            TableName: tableName,
            Key: deferredOffboardingKey(deferral.personId),
            UpdateExpression:
              'SET personId = :person, eventId = if_not_exists(eventId, :event), correlationId = if_not_exists(correlationId, :correlation), deferredAt = if_not_exists(deferredAt, :at), deferredKind = if_not_exists(deferredKind, :kind)',
            ExpressionAttributeValues: {
              ':kind': deferral.kind ?? 'offboarding',
              ':person': deferral.personId,
              ':event': deferral.eventId,
              ':correlation': deferral.correlationId,
              ':at': deferral.deferredAt,
            },
          },
        },
      ];
      try {
        const outcome = await retryTransactionConflicts(() => applyOnce(consumer, consumed.eventId, effects));
        return outcome === 'applied' ? 'deferred' : 'duplicate';
      } catch (error) {
        if (error instanceof TransactionCancelledError && error.conditionFailedAt(0)) return 'slot-free';
        throw error;
      }
    },

    async deferredOffboardings() {
      const items = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': DEFERRED_OFFBOARDINGS_PARTITION },
        ConsistentRead: true,
      });
      return items.map((item) => {
        const { deferredKind, ...deferral } = recordOf<DeferredOffboarding & { deferredKind?: string }>(item);
        return deferredKind === 'directory-change' ? { ...deferral, kind: 'directory-change' as const } : deferral;
      });
    },

    async apply(change, context: WriteContext) {
      const retention = change.ends.length > 0 ? await options.pastPairingRetentionMonths?.() : undefined;
      const { items, roles } = changeItems(change, context.correlationId, retention);
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
        if (error instanceof TransactionCancelledError && error.onlyConditionsFailed) {
          return explainCancellation(error, roles);
        }
        throw error;
      }
    },

    async createRequest(request, events: PendingEvent[], context) {
      try {
        await retryTransactionConflicts(() =>
          transactWrite(db, [
            {
              Put: {
                TableName: tableName,
                Item: { ...menteeOpenRequestKey(request.menteeId), requestId: request.requestId },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: requestItem(request),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...involvedIn(request).map((personId) => ({
              Put: {
                TableName: tableName,
                Item: { ...personRequestKey(personId, request.createdAt, request.requestId), ...request },
              },
            })),
            ...events.map((event) => outboxPut(event, outboxContext(context.correlationId))),
          ]),
        );
      } catch (error) {
        if (error instanceof TransactionCancelledError && error.conditionFailedAt(0)) {
          const open = await db.send(
            new GetCommand({ TableName: tableName, Key: menteeOpenRequestKey(request.menteeId), ConsistentRead: true }),
          );
          throw new ReassignmentStateError(
            `${request.menteeId} already has an open reassignment request (${String(open.Item?.requestId ?? 'unknown')}).`,
          );
        }
        throw error;
      }
    },

    async getRequest(requestId) {
      const found = await db.send(
        new GetCommand({ TableName: tableName, Key: requestKey(requestId), ConsistentRead: true }),
      );
      return found.Item ? recordOf<ReassignmentRequest>(found.Item) : undefined;
    },

    async listRequests({ status, limit, cursor }) {
      const partition = requestsIndexKey(status, '', '').gsi1pk;
      const page = await indexPage(db, { tableName, partition, limit, cursor });
      return {
        items: page.items.map((item) => recordOf<ReassignmentRequest>(item)),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },
  };
};
