/**
 * The directory projection in DynamoDB. Events arrive at least once and in any order, so each
 * change is applied once (a consumed-event marker in the same transaction) and only if it is
 * newer than what is stored (`asOf`); a mentorship that ended leaves a tombstone so that a late
 * `Mentorship.Started` cannot bring it back. A write that lost a race is redecided on fresh data.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../../../shared/dynamo/batch';
import { queryAll } from '../../../shared/dynamo/pages';
import { type Item, type RepositoryOptions, recordOf } from '../../../shared/dynamo/table';
import { type TransactItem, TransactionCancelledError, transactWrite } from '../../../shared/dynamo/transactions';
import { applyOnce } from '../../../shared/events/idempotent-consumer';
import { retry } from '../../../shared/retry';
import type { DirectoryChange, DirectoryPerson, DirectoryRepository, WriteContext } from '../domain/ports';
import {
  endedMentorshipKey,
  LIFE_COACHES_PARTITION,
  lifeCoachIndexKey,
  menteeMentorshipKey,
  mentorPodKey,
  personKey,
  podKey,
} from './keys';

/** Tombstones of ended mentorships outlive any redelivery or replay window (the archive keeps 90 days). */
const TOMBSTONE_RETENTION_SECONDS = 400 * 24 * 3600;

interface StoredPerson extends DirectoryPerson {
  asOf: string;
}

/** Lost a race with another writer of the same item: decide again on what is stored now. */
class ProjectionRaceError extends Error {
  override readonly name = 'ProjectionRaceError';
}

export const createDynamoDirectoryRepository = (options: RepositoryOptions): DirectoryRepository => {
  const { db, tableName } = options;

  const read = async (key: { pk: string; sk: string }): Promise<Item | undefined> =>
    (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

  /** Put only if the item is still what was read (absent, or with the same `asOf`). */
  const putIfUnchanged = (item: Item, readAsOf: string | undefined): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: item,
      ...(readAsOf === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'asOf = :readAsOf', ExpressionAttributeValues: { ':readAsOf': readAsOf } }),
    },
  });

  const personItem = (person: StoredPerson): Item => ({
    ...personKey(person.personId),
    ...(person.roles.includes('life-coach') ? lifeCoachIndexKey(person.personId) : {}),
    ...person,
  });

  /** The writes one change needs, given what is stored now (none when the change is older). */
  const effectsOf = async (change: DirectoryChange): Promise<TransactItem[]> => {
    switch (change.kind) {
      case 'person':
      case 'person-offboarded': {
        const personId = change.kind === 'person' ? change.person.personId : change.personId;
        const stored = await read(personKey(personId));
        const storedAsOf = stored?.asOf as string | undefined;
        if (storedAsOf !== undefined && storedAsOf > change.asOf) return [];
        if (change.kind === 'person-offboarded') {
          if (!stored) return [];
          return [
            putIfUnchanged(
              personItem({ ...recordOf<StoredPerson>(stored), active: false, asOf: change.asOf }),
              storedAsOf,
            ),
          ];
        }
        return [putIfUnchanged(personItem({ ...change.person, asOf: change.asOf }), storedAsOf)];
      }
      case 'pod-formed': {
        const stored = await read(mentorPodKey(change.mentorId));
        const storedAsOf = stored?.asOf as string | undefined;
        const podMentor: TransactItem = {
          Put: {
            TableName: tableName,
            Item: { ...podKey(change.podId), podId: change.podId, mentorId: change.mentorId },
          },
        };
        if (storedAsOf !== undefined && storedAsOf > change.asOf) return [podMentor];
        return [
          podMentor,
          putIfUnchanged({ ...mentorPodKey(change.mentorId), podId: change.podId, asOf: change.asOf }, storedAsOf),
        ];
      }
      case 'pod-dissolved': {
        const stored = await read(mentorPodKey(change.mentorId));
        if (stored?.podId !== change.podId) return [];
        return [
          {
            Delete: {
              TableName: tableName,
              Key: mentorPodKey(change.mentorId),
              ConditionExpression: 'podId = :podId',
              ExpressionAttributeValues: { ':podId': change.podId },
            },
          },
        ];
      }
      case 'mentorship-started': {
        const podMentor: TransactItem = {
          Put: {
            TableName: tableName,
            Item: { ...podKey(change.podId), podId: change.podId, mentorId: change.mentorId },
          },
        };
        const [stored, ended] = await Promise.all([
          read(menteeMentorshipKey(change.menteeId)),
          read(endedMentorshipKey(change.mentorshipId)),
        ]);
        const storedAsOf = stored?.asOf as string | undefined;
        if (ended || (storedAsOf !== undefined && storedAsOf > change.asOf)) return [podMentor];
        return [
          podMentor,
          putIfUnchanged(
            {
              ...menteeMentorshipKey(change.menteeId),
              mentorshipId: change.mentorshipId,
              podId: change.podId,
              mentorId: change.mentorId,
              asOf: change.asOf,
            },
            storedAsOf,
          ),
          {
            ConditionCheck: {
              TableName: tableName,
              Key: endedMentorshipKey(change.mentorshipId),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ];
      }
      case 'mentorship-ended': {
        const stored = await read(menteeMentorshipKey(change.menteeId));
        const tombstone: TransactItem = {
          Put: {
            TableName: tableName,
            Item: {
              ...endedMentorshipKey(change.mentorshipId),
              endedAt: change.asOf,
              expiresAt: Math.floor(options.clock().getTime() / 1000) + TOMBSTONE_RETENTION_SECONDS,
            },
          },
        };
        if (stored?.mentorshipId !== change.mentorshipId) return [tombstone];
        return [
          tombstone,
          {
            Delete: {
              TableName: tableName,
              Key: menteeMentorshipKey(change.menteeId),
              ConditionExpression: 'mentorshipId = :mentorshipId',
              ExpressionAttributeValues: { ':mentorshipId': change.mentorshipId },
            },
          },
        ];
      }
    }
  };

  return {
    async person(personId) {
      const item = await read(personKey(personId));
      if (!item) return undefined;
      const { asOf: _asOf, ...person } = recordOf<StoredPerson>(item);
      return person;
    },

    async podOf(personId) {
      const items = await batchGet(db, tableName, [menteeMentorshipKey(personId), mentorPodKey(personId)], true);
      const asMentee = items.find((item) => item.sk === menteeMentorshipKey(personId).sk);
      if (asMentee) return { podId: String(asMentee.podId), as: 'mentee' };
      const asMentor = items.find((item) => item.sk === mentorPodKey(personId).sk);
      return asMentor ? { podId: String(asMentor.podId), as: 'mentor' } : null;
    },

    async mentorOfPod(podId) {
      const item = await read(podKey(podId));
      return item ? String(item.mentorId) : null;
    },

    async lifeCoaches() {
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :partition',
        ExpressionAttributeValues: { ':partition': LIFE_COACHES_PARTITION },
      });
      return items.map((item) => {
        const { asOf: _asOf, ...person } = recordOf<StoredPerson>(item);
        return person;
      });
    },

    apply: (change: DirectoryChange, context: WriteContext) =>
      retry(
        async () => {
          const effects = await effectsOf(change);
          try {
            if (!context.consumedEvent) {
              await transactWrite(db, effects);
              return 'applied' as const;
            }
            return await applyOnce(
              { db, tableName, consumer: context.consumedEvent.consumer, clock: options.clock },
              context.consumedEvent.eventId,
              effects,
            );
          } catch (error) {
            if (
              error instanceof TransactionCancelledError &&
              error.reasons.slice(0, effects.length).includes('ConditionalCheckFailed')
            ) {
              throw new ProjectionRaceError(error.message);
            }
            throw error;
          }
        },
        { attempts: 5, retryable: (error) => error instanceof ProjectionRaceError },
      ),
  };
};
