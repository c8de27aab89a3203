/** The scheduling service's domain errors and their HTTP answers, in one table. */
import {
  answer,
  badRequest,
  commonErrors,
  conflict,
  type ErrorTable,
  forbidden,
  HttpProblem,
  notFound,
  unprocessable,
} from '../../../shared/http/errors';
import {
  ConcurrentChangeError,
  InvalidLinkError,
  LinkGoneError,
  NotEntitledError,
  PlanNotFoundError,
  PlanStateError,
  SessionClashError,
  SessionNotFoundError,
  SessionStateError,
  UnknownPersonError,
  UnprocessableRequestError,
} from '../domain/errors';

const conflictAsIs = (error: Error) => conflict(error.message);

export const schedulingErrors: ErrorTable = [
  ...commonErrors,
  answer(SessionNotFoundError, (error) => notFound(error.message)),
  answer(PlanNotFoundError, (error) => notFound(error.message)),
  answer(NotEntitledError, (error) => forbidden(error.message)),
  answer(UnknownPersonError, (error) =>
    unprocessable(error.message, [{ location: error.location, message: 'is not an active person in the programme' }]),
  ),
  answer(UnprocessableRequestError, (error) => unprocessable(error.message, error.errors)),
  answer(SessionClashError, conflictAsIs),
  answer(SessionStateError, conflictAsIs),
  answer(PlanStateError, conflictAsIs),
  answer(ConcurrentChangeError, conflictAsIs),
  answer(InvalidLinkError, (error) => badRequest(error.message, [{ location: 'path.token', message: error.message }])),
  answer(LinkGoneError, (error) => new HttpProblem(410, 'Gone', error.message)),
];
