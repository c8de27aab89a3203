/**
 * Surveys, rounds, audiences, responses, comments, releases and conversations in DynamoDB.
 *
 * A response is written in one transaction with its participation record, but nothing joins the
 * two: the response sits under `RESPONSES#<round>` / a random id, holds no person and no time; the
 * participation record is `ROUND#<round>` / `MEMBER#<person>` with `answered = true` and no time.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchDelete, batchGet, batchPut } from '../../../shared/dynamo/batch';
import { outboxContextOf, outboxPut } from '../../../shared/dynamo/outbox';
import { indexPage, queryAll } from '../../../shared/dynamo/pages';
import { type Item, type RepositoryOptions, recordOf } from '../../../shared/dynamo/table';
import { type TransactItem, TransactionCancelledError, transactWrite } from '../../../shared/dynamo/transactions';
import { retry } from '../../../shared/retry';
import { AlreadyAnsweredError, ReleaseBusyError, RoundNotOpenError } from '../domain/errors';
import type { QueuedMail, SurveyRepository } from '../domain/ports';
import type { AudienceMember, Round, StoredComment, StoredResponse, Survey } from '../domain/surveys/model';
import type { StoredResults, ThreadMessage } from '../domain/surveys/results-model';
import type { TrendEntry } from '../domain/surveys/trends';
import {
  commentKey,
  commentsPartition,
  MEMBER_PREFIX,
  mailDueIndexKey,
  mailKey,
  memberKey,
  membershipIndexKey,
  messageKey,
  ROUNDS_DUE_PARTITION,
  releaseSlotKey,
  replyTokenIndexKey,
  responseKey,
  responsesPartition,
  resultsKey,
  roundKey,
  roundOfComment,
  roundsDueIndexKey,
  SIGNATURES_PARTITION,
  SURVEYS_PARTITION,
  signatureKey,
  surveyKey,
  surveysIndexKey,
  TALLY_PREFIX,
  TALLY_SHARDS,
  tallyKey,
  threadPartition,
  trendKey,
} from './keys';

const roundItem = (round: Round): Item => ({
  ...roundKey(round.roundId),
  ...round,
  ...(round.status === 'scheduled' ? roundsDueIndexKey(round.opensAt, round.roundId) : {}),
  ...(round.status === 'open' ? roundsDueIndexKey(round.closesAt, round.roundId) : {}),
});

export const mailItem = (mail: QueuedMail): Item => ({
  ...mailKey(mail.mailId),
  ...mailDueIndexKey(mail.dueAt, mail.mailId),
  ...mail,
});

/** The mail ids a round's audience member gets (for removing them when the audience is written again). */
const mailIdsOf = (roundId: string, personId: string) => [
  `survey-invitation.${roundId}.${personId}`,
  `survey-reminder.${roundId}.${personId}`,
];

export const createDynamoSurveyRepository = (options: RepositoryOptions): SurveyRepository => {
  const { db, tableName } = options;
  const get = async (key: { pk: string; sk: string }) =>
    (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  const partition = (pk: string, prefix?: string) =>
    queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}) },
      ConsistentRead: true,
    });
  const indexQuery = (condition: string, values: Record<string, string>, extra: { limit?: number } = {}) =>
    db
      .send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: condition,
          ExpressionAttributeValues: values,
          ...(extra.limit ? { Limit: extra.limit } : {}),
        }),
      )
      .then((result) => result.Items ?? []);

  const repository: SurveyRepository = {
    createSurvey: async (survey, firstRound) => {
      await transactWrite(db, [
        {
          Put: {
            TableName: tableName,
            Item: { ...surveyKey(survey.surveyId), ...surveysIndexKey(survey.createdAt, survey.surveyId), ...survey },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: tableName, Item: roundItem(firstRound), ConditionExpression: 'attribute_not_exists(pk)' } },
      ]);
    },

    survey: async (surveyId) => {
      const item = await get(surveyKey(surveyId));
      return item ? recordOf<Survey>(item) : undefined;
    },

    listSurveys: async ({ limit, cursor }) => {
      const page = await indexPage(db, { tableName, partition: SURVEYS_PARTITION, limit, cursor });
      return {
        items: page.items.map((item) => recordOf<Survey>(item)),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },

    round: async (roundId) => {
      const item = await get(roundKey(roundId));
      return item ? recordOf<Round>(item) : undefined;
    },

    dueRounds: async (now, limit) => {
      const items = await indexQuery(
        'gsi1pk = :partition AND gsi1sk <= :now',
        { ':partition': ROUNDS_DUE_PARTITION, ':now': `${now}#~` },
        { limit },
      );
      return items.map((item) => recordOf<Round>(item));
    },

    writeAudience: async (roundId, members, mails) => {
      const round = await repository.round(roundId);
      const closesAt = round?.closesAt ?? '';
      const keep = new Set(members.map((member) => member.personId));
      const existing = await partition(`ROUND#${roundId}`, MEMBER_PREFIX);
      const removed = existing.map((item) => String(item.personId)).filter((personId) => !keep.has(personId));
      await batchDelete(db, tableName, [
        ...removed.map((personId) => memberKey(roundId, personId)),
        ...removed.flatMap((personId) => mailIdsOf(roundId, personId).map(mailKey)),
      ]);
      await batchPut(db, tableName, [
        ...members.map((member) => ({
          ...memberKey(roundId, member.personId),
          ...membershipIndexKey(member.personId, closesAt, roundId),
          ...member,
        })),
        ...mails.map(mailItem),
      ]);
    },

    markOpen: async ({ round, audienceSize, nextRound, events }, context) => {
      const outbox = outboxContextOf(options, context.correlationId);
      try {
        await transactWrite(db, [
          {
            Update: {
              TableName: tableName,
              Key: roundKey(round.roundId),
              UpdateExpression: 'SET #status = :open, audienceSize = :size, gsi1pk = :due, gsi1sk = :dueKey',
              ConditionExpression: '#status = :scheduled',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':open': 'open',
                ':scheduled': 'scheduled',
                ':size': audienceSize,
                ':due': ROUNDS_DUE_PARTITION,
                ':dueKey': roundsDueIndexKey(round.closesAt, round.roundId).gsi1sk,
              },
            },
          },
          ...(nextRound
            ? [
                {
                  Put: {
                    TableName: tableName,
                    Item: roundItem(nextRound),
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
                {
                  Update: {
                    TableName: tableName,
                    Key: surveyKey(round.surveyId),
                    UpdateExpression: 'SET latestRound = :next',
                    ExpressionAttributeValues: { ':next': nextRound.round },
                  },
                },
              ]
            : []),
          ...events.map((event) => outboxPut(event, outbox)),
        ]);
        return true;
      } catch (error) {
        if (error instanceof TransactionCancelledError && error.conditionFailedAt(0)) return false;
        throw error;
      }
    },

    markClosed: async ({ round, closedAt, early, closeSurvey, events }, context) => {
      const outbox = outboxContextOf(options, context.correlationId);
      const survey = closeSurvey ? await repository.survey(round.surveyId) : undefined;
      const dropScheduled = survey !== undefined && survey.latestRound > round.round;
      try {
        await transactWrite(db, [
          {
            Update: {
              TableName: tableName,
              Key: roundKey(round.roundId),
              UpdateExpression:
                'SET #status = :closed, closedAt = :closedAt, closedEarly = :early REMOVE gsi1pk, gsi1sk',
              ConditionExpression: '#status IN (:open, :scheduled)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':closed': 'closed',
                ':open': 'open',
                ':scheduled': 'scheduled',
                ':closedAt': closedAt,
                ':early': early,
              },
            },
          },
          ...(survey
            ? [
                {
                  Update: {
                    TableName: tableName,
                    Key: surveyKey(survey.surveyId),
                    UpdateExpression: 'SET #status = :closed, latestRound = :latest',
                    ExpressionAttributeNames: { '#status': 'status' },
                    ExpressionAttributeValues: { ':closed': 'closed', ':latest': round.round },
                  },
                },
              ]
            : []),
          ...(dropScheduled
            ? [
                {
                  Delete: {
                    TableName: tableName,
                    Key: roundKey(`${round.surveyId}-r${survey.latestRound}`),
                    ConditionExpression: '#status = :scheduled',
                    ExpressionAttributeNames: { '#status': 'status' },
                    ExpressionAttributeValues: { ':scheduled': 'scheduled' },
                  },
                },
              ]
            : []),
          ...events.map((event) => outboxPut(event, outbox)),
        ]);
        return true;
      } catch (error) {
        if (error instanceof TransactionCancelledError && error.onlyConditionsFailed) return false;
        throw error;
      }
    },

    member: async (roundId, personId) => {
      const item = await get(memberKey(roundId, personId));
      return item ? memberOf(item) : undefined;
    },

    members: async (roundId) => (await partition(`ROUND#${roundId}`, MEMBER_PREFIX)).map(memberOf),

    membershipsOf: async (personId, after) => {
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :partition AND gsi1sk > :after',
        ExpressionAttributeValues: { ':partition': membershipIndexKey(personId, '', '').gsi1pk, ':after': after },
      });
      return items.map(memberOf);
    },

    recordResponse: async ({ member, response, comments, events }, context) => {
      const outbox = outboxContextOf(options, context.correlationId);
      const items: TransactItem[] = [
        {
          Update: {
            TableName: tableName,
            Key: memberKey(member.roundId, member.personId),
            UpdateExpression: 'SET answered = :yes',
            ConditionExpression: 'attribute_exists(pk) AND answered = :no',
            ExpressionAttributeValues: { ':yes': true, ':no': false },
          },
        },
        {
          ConditionCheck: {
            TableName: tableName,
            Key: roundKey(member.roundId),
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':open': 'open' },
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: { ...responseKey(response.roundId, response.responseId), ...response },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...comments.map((comment) => ({
          Put: {
            TableName: tableName,
            Item: {
              ...commentKey(comment.roundId, comment.commentId),
              ...replyTokenIndexKey(comment.tokenHash, comment.commentId),
              ...comment,
            },
          },
        })),
        {
          Update: {
            TableName: tableName,
            Key: tallyKey(member.roundId, Math.floor(Math.random() * TALLY_SHARDS)),
            UpdateExpression: 'ADD responses :one',
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
        ...events.map((event) => outboxPut(event, outbox)),
      ];
      try {
        await retry(() => transactWrite(db, items), {
          attempts: 6,
          retryable: (error) =>
            error instanceof TransactionCancelledError && error.reasons.includes('TransactionConflict'),
          backoff: { baseMs: 20, maxMs: 640, jitter: true },
        });
      } catch (error) {
        if (error instanceof TransactionCancelledError && error.conditionFailedAt(0)) throw new AlreadyAnsweredError();
        if (error instanceof TransactionCancelledError && error.conditionFailedAt(1)) {
          throw new RoundNotOpenError('The round closed before the answer arrived.');
        }
        throw error;
      }
    },

    responseCount: async (roundId) =>
      (await partition(`ROUND#${roundId}`, TALLY_PREFIX)).reduce((sum, item) => sum + Number(item.responses ?? 0), 0),

    responses: async (roundId) =>
      (await partition(responsesPartition(roundId))).map((item) => recordOf<StoredResponse>(item)),

    comments: async (roundId) =>
      (await partition(commentsPartition(roundId))).map((item) => recordOf<StoredComment>(item)),

    pendingRelease: async () => {
      const slot = await get(releaseSlotKey());
      return typeof slot?.pendingRound === 'string' ? slot.pendingRound : null;
    },

    signatures: async (applying) => {
      const items = await partition(SIGNATURES_PARTITION);
      return new Map(
        items.flatMap((item) => {
          const signature = applying !== undefined && item.release === applying ? item.previous : item.signature;
          return typeof signature === 'string' ? [[String(item.personId), signature]] : [];
        }),
      );
    },

    beginRelease: async ({ round, results, trend, events }, context) => {
      const outbox = outboxContextOf(options, context.correlationId);
      try {
        await transactWrite(db, [
          {
            Put: {
              TableName: tableName,
              Item: { ...releaseSlotKey(), pendingRound: round.roundId },
              ConditionExpression: 'attribute_not_exists(pk) OR attribute_not_exists(pendingRound)',
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: { ...resultsKey(round.roundId), results: JSON.stringify(results) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: roundKey(round.roundId),
              UpdateExpression: 'SET #status = :released',
              ConditionExpression: '#status = :closed',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':released': 'released', ':closed': 'closed' },
            },
          },
          ...(trend
            ? [
                {
                  Put: {
                    TableName: tableName,
                    Item: { ...trendKey(trend.topic, trend.closedAt, trend.roundId), ...trend },
                  },
                },
              ]
            : []),
          ...events.map((event) => outboxPut(event, outbox)),
        ]);
      } catch (error) {
        if (error instanceof TransactionCancelledError && error.onlyConditionsFailed) {
          throw new ReleaseBusyError(
            `Another release holds the slot, or round ${round.roundId} was released meanwhile.`,
          );
        }
        throw error;
      }
    },

    applySignatures: async (roundId, updates) => {
      const personIds = [...updates.keys()];
      const stored = new Map(
        (await batchGet(db, tableName, personIds.map(signatureKey), true)).map((item) => [String(item.personId), item]),
      );
      await batchPut(
        db,
        tableName,
        personIds.flatMap((personId) => {
          const previous = stored.get(personId);
          if (previous?.release === roundId) return [];
          return [
            {
              ...signatureKey(personId),
              personId,
              signature: updates.get(personId),
              previous: typeof previous?.signature === 'string' ? previous.signature : null,
              release: roundId,
            },
          ];
        }),
      );
    },

    finishRelease: async (roundId) => {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: releaseSlotKey(),
            UpdateExpression: 'REMOVE pendingRound',
            ConditionExpression: 'pendingRound = :round',
            ExpressionAttributeValues: { ':round': roundId },
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    },

    results: async (roundId) => {
      const item = await get(resultsKey(roundId));
      return item ? (JSON.parse(String(item.results)) as StoredResults) : undefined;
    },

    trend: async (topic, limit) => {
      const found = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': trendKey(topic, '', '').pk },
          ScanIndexForward: false,
          Limit: limit,
          ConsistentRead: true,
        }),
      );
      return (found.Items ?? []).map((item) => recordOf<TrendEntry>(item));
    },

    comment: async (commentId) => {
      const item = await get(commentKey(roundOfComment(commentId), commentId));
      return item ? recordOf<StoredComment>(item) : undefined;
    },

    commentsWithToken: async (tokenHash) => {
      const items = await queryAll(db, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :partition',
        ExpressionAttributeValues: { ':partition': replyTokenIndexKey(tokenHash, '').gsi1pk },
      });
      return items.map((item) => recordOf<StoredComment>(item));
    },

    messages: async (commentId) =>
      (await partition(threadPartition(commentId)))
        .map((item) => recordOf<ThreadMessage & { sequence?: number }>(item))
        .map(({ sequence: _sequence, ...message }) => message),

    addMessage: async (commentId, message) => {
      // Messages are numbered in the order they arrive; two at once: the second takes the next number.
      await retry(
        async () => {
          const count = (await partition(threadPartition(commentId))).length;
          await db.send(
            new PutCommand({
              TableName: tableName,
              Item: { ...messageKey(commentId, count + 1), ...message, sequence: count + 1 },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
        },
        { attempts: 5, retryable: (error) => (error as Error).name === 'ConditionalCheckFailedException' },
      );
    },
  };
  return repository;
};

const memberOf = (item: Item): AudienceMember => recordOf<AudienceMember>(item);
