/** The pulse service's domain errors and their HTTP answers, in one table. */
import {
  answer,
  badRequest,
  commonErrors,
  conflict,
  type ErrorTable,
  forbidden,
  notFound,
  unprocessable,
} from '../../../shared/http/errors';
import {
  AlreadyAnsweredError,
  AlreadyRatedError,
  CommentNotFoundError,
  ConcurrentGoalChangeError,
  ConversationNotStartedError,
  DuplicateCheckInError,
  InvalidInputError,
  InvalidReplyTokenError,
  NotEntitledError,
  NotFoundError,
  NotInAudienceError,
  RoundNotOpenError,
  SurveyClosedError,
  SurveyNotFoundError,
  UnprocessableError,
} from '../domain/errors';

const conflictAsIs = (error: Error) => conflict(error.message);

export const pulseErrors: ErrorTable = [
  ...commonErrors,
  answer(InvalidInputError, (error) => badRequest('The request has invalid fields.', error.errors)),
  answer(UnprocessableError, (error) =>
    unprocessable(error.message, [{ location: error.location, message: error.message }]),
  ),
  answer(SurveyNotFoundError, (error) => notFound(`No survey ${error.surveyId}.`)),
  answer(NotFoundError, (error) => notFound(error.message)),
  answer(CommentNotFoundError, (error) => notFound(`No comment ${error.commentId}.`)),
  answer(NotInAudienceError, (error) => forbidden(error.message)),
  answer(NotEntitledError, (error) => forbidden(error.message)),
  answer(AlreadyAnsweredError, conflictAsIs),
  answer(RoundNotOpenError, conflictAsIs),
  answer(SurveyClosedError, conflictAsIs),
  answer(ConversationNotStartedError, conflictAsIs),
  answer(DuplicateCheckInError, conflictAsIs),
  answer(ConcurrentGoalChangeError, conflictAsIs),
  answer(AlreadyRatedError, conflictAsIs),
  answer(InvalidReplyTokenError, (error) =>
    error.kind === 'malformed'
      ? badRequest('The request has invalid fields.', [{ location: 'header.x-reply-token', message: error.message }])
      : notFound(error.message),
  ),
];
