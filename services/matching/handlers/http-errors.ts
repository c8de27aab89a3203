/** The matching service's domain errors and their HTTP answers, in one table. */
import {
  answer,
  badRequest,
  commonErrors,
  conflict,
  type ErrorTable,
  forbidden,
  notFound,
  preconditionFailed,
  serviceUnavailable,
  unprocessable,
} from '../../../shared/http/errors';
import {
  ConcurrentModificationError,
  DuplicateEmailError,
  InvalidPersonFieldError,
  InvalidRosterError,
  PersonNotFoundError,
  PersonNotOffboardedError,
  PersonOffboardedError,
  StaleVersionError,
} from '../domain/people/errors';
import {
  CommitAbortedError,
  CommitInProgressError,
  CommitInterruptedError,
  InputsChangedError,
  InvalidPairingRequestError,
  NotAMentorError,
  NotEntitledError,
  PairingConflictError,
  PodNotFoundError,
  ReassignmentStateError,
  ReassignmentTargetError,
  RequestNotFoundError,
  RunNotCommittableError,
  RunNotFoundError,
} from '../domain/pods/errors';
import { DomainInUseError, SettingsChangedError } from '../domain/settings/programme-settings';

const conflictAsIs = (error: Error) => conflict(error.message);

export const matchingErrors: ErrorTable = [
  ...commonErrors,
  answer(PersonNotFoundError, (error) => notFound(`No person ${error.personId}.`)),
  answer(ConcurrentModificationError, (error) =>
    conflict(`Person ${error.personId} was changed by someone else at the same time; retry.`),
  ),
  answer(InvalidRosterError, (error) => badRequest(error.message, [{ location: 'body', message: error.message }])),
  answer(PersonOffboardedError, conflictAsIs),
  answer(PersonNotOffboardedError, conflictAsIs),
  answer(DuplicateEmailError, (error) =>
    conflict(error.message, [{ location: 'body.email', message: `is already ${error.ownerId}'s address` }]),
  ),
  answer(StaleVersionError, (error) => preconditionFailed(error.message)),
  answer(InvalidPersonFieldError, (error) =>
    badRequest('The request has invalid fields.', [{ location: `body.${error.field}`, message: error.reason }]),
  ),
  answer(SettingsChangedError, (error) => preconditionFailed(error.message)),
  answer(DomainInUseError, conflictAsIs),
  answer(RunNotFoundError, (error) => notFound(`No matching run ${error.runId}.`)),
  answer(PodNotFoundError, (error) => notFound(`No pod ${error.podId}.`)),
  answer(RequestNotFoundError, (error) => notFound(`No reassignment request ${error.requestId}.`)),
  answer(RunNotCommittableError, (error) =>
    error.kind === 'not-proven' ? unprocessable(error.message) : conflict(error.message),
  ),
  answer(InputsChangedError, conflictAsIs),
  answer(CommitInProgressError, conflictAsIs),
  answer(CommitAbortedError, conflictAsIs),
  answer(ReassignmentStateError, conflictAsIs),
  answer(NotAMentorError, conflictAsIs),
  answer(PairingConflictError, (error) =>
    conflict(`Pairings were changed by someone else at the same time (${error.message}); retry.`),
  ),
  answer(CommitInterruptedError, (error) => serviceUnavailable(error.message)),
  answer(ReassignmentTargetError, (error) =>
    unprocessable(error.message, [{ location: 'body.newMentorId', message: `${error.rule}: ${error.message}` }]),
  ),
  answer(InvalidPairingRequestError, (error) =>
    badRequest('The request has invalid fields.', [{ location: error.location, message: error.message }]),
  ),
  answer(NotEntitledError, (error) => forbidden(error.message)),
];
