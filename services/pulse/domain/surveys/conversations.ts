/**
 * Anonymous conversations about comments. The respondent received a reply token when they
 * answered; only its hash is stored with their comments. The life coach replies to a comment they
 * can see in the results; only the token's holder reads the thread and answers it. The token
 * routes need no sign-in, so neither the request nor its logs name anyone.
 */

import { CommentNotFoundError, ConversationNotStartedError, InvalidReplyTokenError } from '../errors';
import { dayOf } from '../ids';
import type { PulseDependencies } from '../ports';
import { domainSegment, EVERYONE } from './anonymity';
import type { StoredComment } from './model';
import { hashReplyToken } from './responses';
import type { ThreadMessage } from './results-model';

/** Reply tokens are 43 base64url characters (32 random bytes); anything else is not one. */
export const REPLY_TOKEN = /^[A-Za-z0-9_-]{43}$/;

const isVisibleToStaff = async (deps: PulseDependencies, comment: StoredComment) => {
  const results = await deps.surveys.results(comment.roundId);
  return (
    results?.shown.some((entry) => entry.segment === EVERYONE || entry.segment === domainSegment(comment.domain)) ??
    false
  );
};

export const replyToComment = async (
  deps: PulseDependencies,
  commentId: string,
  text: string,
): Promise<ThreadMessage> => {
  const comment = await deps.surveys.comment(commentId);
  // A comment the results do not show is, for everyone, a comment that does not exist.
  if (!comment || !(await isVisibleToStaff(deps, comment))) throw new CommentNotFoundError(commentId);
  const message: ThreadMessage = {
    messageId: deps.newId(),
    from: 'life-coach',
    text,
    sentOn: dayOf(deps.clock()),
  };
  await deps.surveys.addMessage(commentId, message);
  return message;
};

const commentsOfToken = async (deps: PulseDependencies, token: string | undefined) => {
  if (!token || !REPLY_TOKEN.test(token)) {
    throw new InvalidReplyTokenError(
      'malformed',
      'The x-reply-token header must hold the reply token you got when answering.',
    );
  }
  const comments = await deps.surveys.commentsWithToken(hashReplyToken(token));
  if (comments.length === 0) throw new InvalidReplyTokenError('unknown', 'This reply token holds no conversation.');
  return comments;
};

export const threadsOfToken = async (deps: PulseDependencies, token: string | undefined) => {
  const comments = await commentsOfToken(deps, token);
  return Promise.all(
    comments.map(async (comment) => {
      const survey = await deps.surveys.survey(comment.surveyId);
      const question = survey?.questions.find((candidate) => candidate.questionId === comment.questionId);
      return {
        commentId: comment.commentId,
        surveyTitle: survey?.title ?? '',
        question: question?.text ?? '',
        comment: comment.text,
        messages: await deps.surveys.messages(comment.commentId),
      };
    }),
  );
};

/** The token's holder answers the life coach in one of their threads (once the coach has written). */
export const answerThread = async (
  deps: PulseDependencies,
  token: string | undefined,
  commentId: string,
  text: string,
): Promise<ThreadMessage> => {
  const comments = await commentsOfToken(deps, token);
  if (!comments.some((comment) => comment.commentId === commentId)) throw new CommentNotFoundError(commentId);
  const messages = await deps.surveys.messages(commentId);
  if (!messages.some((message) => message.from === 'life-coach')) {
    throw new ConversationNotStartedError();
  }
  const message: ThreadMessage = { messageId: deps.newId(), from: 'respondent', text, sentOn: dayOf(deps.clock()) };
  await deps.surveys.addMessage(commentId, message);
  return message;
};
