/**
 * Answering a survey. The response is stored with no identity: the participation record (who
 * answered, for one answer each and for reminders) and the answers are written in one transaction
 * but in unrelated items, with no shared key, no time, no order. The submission's event carries
 * neither, under a fresh correlation id; nothing here is logged.
 */
import { createHash } from 'node:crypto';
import { PulseResponseRecordedV1 } from '../../../../shared/contracts/pulse-events';
import { pendingEvent } from '../../../../shared/events/outbox';
import { lazySchema } from '../../../../shared/lazy-schema';
import * as z from '../../../../shared/zod';
import {
  AlreadyAnsweredError,
  InvalidInputError,
  NotInAudienceError,
  RoundNotOpenError,
  SurveyNotFoundError,
} from '../errors';
import type { PulseDependencies } from '../ports';
import { type AnswerValue, type Question, type Round, roundIdOf, type StoredComment, type Survey } from './model';

export const AnswerInputSchema = lazySchema(() =>
  z.strictObject({
    questionId: z.string().check(z.minLength(1), z.maxLength(16)),
    value: z.optional(z.int()),
    option: z.optional(z.string().check(z.maxLength(100))),
    text: z.optional(z.string().check(z.maxLength(2000))),
  }),
);
export const ResponseInputSchema = lazySchema(() =>
  z.strictObject({ answers: z.array(AnswerInputSchema()).check(z.maxLength(30)) }),
);
export type ResponseInput = z.infer<ReturnType<typeof ResponseInputSchema>>;

export const hashReplyToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** The answers checked against the survey's questions: every problem at once, by position. */
export const checkAnswers = (
  questions: readonly Question[],
  input: ResponseInput,
): { answers: AnswerValue[]; texts: { questionId: string; text: string }[] } => {
  const problems: { location: string; message: string }[] = [];
  const answers: AnswerValue[] = [];
  const texts: { questionId: string; text: string }[] = [];
  const seen = new Set<string>();
  const problem = (location: string, message: string) => problems.push({ location, message });
  for (const [index, answer] of input.answers.entries()) {
    const at = `body.answers.${index}`;
    const question = questions.find((candidate) => candidate.questionId === answer.questionId);
    if (!question) {
      problem(`${at}.questionId`, 'is not a question of this survey');
      continue;
    }
    if (seen.has(question.questionId)) {
      problem(`${at}.questionId`, `answers ${question.questionId} a second time`);
      continue;
    }
    seen.add(question.questionId);
    const others = (field: 'value' | 'option' | 'text') =>
      (['value', 'option', 'text'] as const).some((other) => other !== field && answer[other] !== undefined);
    if (question.type === 'scale' || question.type === 'enps') {
      const [min, max] = question.type === 'scale' ? [1, 5] : [0, 10];
      if (answer.value === undefined || answer.value < min || answer.value > max || others('value')) {
        problem(`${at}.value`, `must be a whole number from ${min} to ${max}, alone`);
      } else {
        answers.push({ questionId: question.questionId, value: answer.value });
      }
    } else if (question.type === 'choice') {
      if (answer.option === undefined || !question.options.includes(answer.option) || others('option')) {
        problem(`${at}.option`, `must be one of: ${question.options.join(', ')}`);
      } else {
        answers.push({ questionId: question.questionId, option: answer.option });
      }
    } else if (answer.text === undefined || others('text')) {
      problem(`${at}.text`, 'must be the free-text answer, alone');
    } else if (answer.text.trim().length > 0) {
      texts.push({ questionId: question.questionId, text: answer.text.trim() });
    }
  }
  for (const question of questions) {
    if (question.type !== 'text' && !seen.has(question.questionId)) {
      problems.push({
        location: 'body.answers',
        message: `needs an answer to ${question.questionId} (${question.type})`,
      });
    }
  }
  if (problems.length > 0) throw new InvalidInputError(problems);
  return { answers, texts };
};

/** The round of a survey that is open now, if any (a recurring pulse may have its next one scheduled). */
export const openRoundOf = async (deps: PulseDependencies, survey: Survey): Promise<Round | undefined> => {
  for (const number of [survey.latestRound, survey.latestRound - 1]) {
    if (number < 1) continue;
    const round = await deps.surveys.round(roundIdOf(survey.surveyId, number));
    if (round?.status === 'open') return round;
  }
  return undefined;
};

export const submitResponse = async (
  deps: PulseDependencies,
  surveyId: string,
  personId: string,
  input: ResponseInput,
): Promise<{ replyToken: string | null }> => {
  const survey = await deps.surveys.survey(surveyId);
  if (!survey) throw new SurveyNotFoundError(surveyId);
  const round = await openRoundOf(deps, survey);
  if (!round || round.closesAt <= deps.clock().toISOString()) {
    throw new RoundNotOpenError('The survey is not open for answers (closed, or its next round has not opened).');
  }
  const member = await deps.surveys.member(round.roundId, personId);
  if (!member) throw new NotInAudienceError('You are not in the audience of this survey round.');
  if (member.answered) throw new AlreadyAnsweredError();
  const { answers, texts } = checkAnswers(survey.questions, input);

  const replyToken = texts.length > 0 ? deps.randomToken() : null;
  const comments: StoredComment[] = texts.map(({ questionId, text }) => ({
    commentId: `${round.roundId}.${deps.randomToken().slice(0, 16)}`,
    roundId: round.roundId,
    surveyId,
    questionId,
    domain: member.domain,
    text,
    tokenHash: hashReplyToken(replyToken as string),
  }));
  await deps.surveys.recordResponse(
    {
      member,
      response: { responseId: deps.randomToken(), roundId: round.roundId, domain: member.domain, answers },
      comments,
      events: [pendingEvent(PulseResponseRecordedV1, { surveyId, roundId: round.roundId })],
    },
    // A fresh correlation id: the request's would lead back to the caller through the access log.
    { correlationId: `pulse-response-${deps.randomToken().slice(0, 16)}` },
  );
  return { replyToken };
};
