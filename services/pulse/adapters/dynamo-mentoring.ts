/** Check-ins, goals and 1:1 ratings in DynamoDB. */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { outboxContextOf, outboxPut } from '../../../shared/dynamo/outbox';
import { queryAll } from '../../../shared/dynamo/pages';
import { type RepositoryOptions, recordOf } from '../../../shared/dynamo/table';
import { type TransactItem, TransactionCancelledError, transactWrite } from '../../../shared/dynamo/transactions';
import {
  AlreadyRatedError,
  ConcurrentGoalChangeError,
  ConcurrentRatingError,
  DuplicateCheckInError,
} from '../domain/errors';
import type { CheckIn, Goal, RatingState, ReleasedBatch, StoredRating } from '../domain/mentoring/model';
import type { MentoringRepository } from '../domain/ports';
import {
  checkInKey,
  checkInStatusIndexKey,
  checkInsPartition,
  goalKey,
  goalsIndexKey,
  menteeMentorshipKey,
  pendingRatingKey,
  pendingRatingPrefix,
  RELEASED_BATCH_PREFIX,
  ratingStateKey,
  releasedBatchKey,
  sessionKey,
} from './keys';

export const createDynamoMentoringRepository = (options: RepositoryOptions): MentoringRepository => {
  const { db, tableName } = options;
  const get = async (key: { pk: string; sk: string }) =>
    (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  const goalPut = (goal: Goal, expectedVersion: number | null): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: { ...goalKey(goal.goalId), ...goalsIndexKey(goal.menteeId, goal.createdAt, goal.goalId), ...goal },
      ...(expectedVersion === null
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
    },
  });

  return {
    recordCheckIn: async ({ checkIn, goals, events }, context) => {
      const outbox = outboxContextOf(options, context.correlationId);
      const pointer = await get(menteeMentorshipKey(checkIn.menteeId));
      // The mentorship's last check-in month moves forward only (a late one for last month leaves it).
      const movesForward =
        pointer?.mentorId === checkIn.mentorId &&
        (typeof pointer.lastCheckInMonth !== 'string' || pointer.lastCheckInMonth < checkIn.month);
      const items: TransactItem[] = [
        {
          Put: {
            TableName: tableName,
            Item: { ...checkInKey(checkIn.menteeId, checkIn.month, checkIn.mentorId), ...checkIn },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...goals.map(({ goal, expectedVersion }) => goalPut(goal, expectedVersion)),
        ...(movesForward
          ? [
              {
                Update: {
                  TableName: tableName,
                  Key: menteeMentorshipKey(checkIn.menteeId),
                  UpdateExpression: 'SET lastCheckInMonth = :month, gsi1pk = :partition, gsi1sk = :sort',
                  ConditionExpression: 'mentorId = :mentor',
                  ExpressionAttributeValues: {
                    ':month': checkIn.month,
                    ':mentor': checkIn.mentorId,
                    ':partition': checkInStatusIndexKey(checkIn.month, checkIn.menteeId).gsi1pk,
                    ':sort': checkInStatusIndexKey(checkIn.month, checkIn.menteeId).gsi1sk,
                  },
                },
              },
            ]
          : []),
        ...events.map((event) => outboxPut(event, outbox)),
      ];
      try {
        await transactWrite(db, items);
      } catch (error) {
        if (error instanceof TransactionCancelledError) {
          if (error.conditionFailedAt(0))
            throw new DuplicateCheckInError('A check-in for this month is already recorded.');
          const goal = goals.find((_, index) => error.conditionFailedAt(index + 1));
          if (goal) throw new ConcurrentGoalChangeError(goal.goal.goalId);
        }
        throw error;
      }
    },

    checkInsOf: async (menteeId) => {
      const found = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': checkInsPartition(menteeId) },
        ScanIndexForward: false,
        ConsistentRead: true,
      });
      return found
        .map((item) => recordOf<CheckIn>(item))
        .sort((a, b) => `${b.month}#${b.recordedAt}`.localeCompare(`${a.month}#${a.recordedAt}`));
    },

    createGoal: async (goal) => {
      await transactWrite(db, [goalPut(goal, null)]);
    },

    goal: async (goalId) => {
      const item = await get(goalKey(goalId));
      return item ? recordOf<Goal>(item) : undefined;
    },

    updateGoal: async (goal, expectedVersion) => {
      try {
        await transactWrite(db, [goalPut(goal, expectedVersion)]);
      } catch (error) {
        if (error instanceof TransactionCancelledError && error.conditionFailedAt(0)) {
          throw new ConcurrentGoalChangeError(goal.goalId);
        }
        throw error;
      }
    },

    goalsOf: async (menteeId) => {
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :partition',
        ExpressionAttributeValues: { ':partition': goalsIndexKey(menteeId, '', '').gsi1pk },
      });
      return items.map((item) => recordOf<Goal>(item));
    },

    ratingState: async (mentorId) => {
      const item = await get(ratingStateKey(mentorId));
      return item
        ? recordOf<RatingState>(item)
        : { mentorId, batch: 1, pendingCount: 0, pendingRaters: [], lastReleasedMean: null, version: 0 };
    },

    pendingRatings: async (mentorId, batch) => {
      const items = await queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': ratingStateKey(mentorId).pk, ':prefix': pendingRatingPrefix(batch) },
        ConsistentRead: true,
      });
      return items.map((item) => {
        const {
          mentorId: _mentor,
          batch: _batch,
          ...rating
        } = recordOf<StoredRating & { mentorId: string; batch: number }>(item);
        return rating;
      });
    },

    recordRating: async ({ session, rating, state, expectedVersion, release, events }, context) => {
      const outbox = outboxContextOf(options, context.correlationId);
      const batch = release ? release.batch : state.batch;
      try {
        await transactWrite(db, [
          {
            Update: {
              TableName: tableName,
              Key: sessionKey(session.sessionId),
              UpdateExpression: 'SET rated = :yes',
              ConditionExpression: 'attribute_exists(pk) AND rated = :no',
              ExpressionAttributeValues: { ':yes': true, ':no': false },
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: { ...ratingStateKey(state.mentorId), ...state },
              ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
              ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: {
                ...pendingRatingKey(state.mentorId, batch, rating.ratingId),
                ...rating,
                mentorId: state.mentorId,
                batch,
              },
            },
          },
          ...(release
            ? [
                {
                  Put: {
                    TableName: tableName,
                    Item: { ...releasedBatchKey(release.mentorId, release.batch), ...release },
                  },
                },
              ]
            : []),
          ...events.map((event) => outboxPut(event, outbox)),
        ]);
      } catch (error) {
        if (error instanceof TransactionCancelledError) {
          if (error.conditionFailedAt(0)) throw new AlreadyRatedError();
          if (error.conditionFailedAt(1) || error.reasons.includes('TransactionConflict'))
            throw new ConcurrentRatingError();
        }
        throw error;
      }
    },

    releasedBatches: async (mentorId) => {
      const found = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': ratingStateKey(mentorId).pk, ':prefix': RELEASED_BATCH_PREFIX },
          ConsistentRead: true,
        }),
      );
      return (found.Items ?? []).map((item) => recordOf<ReleasedBatch>(item));
    },
  };
};
