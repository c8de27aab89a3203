/** The escalation service's domain errors and their HTTP answers, in one table. */
import {
  answer,
  commonErrors,
  conflict,
  type ErrorTable,
  forbidden,
  notFound,
  serviceUnavailable,
  unprocessable,
} from '../../../shared/http/errors';
import {
  ConcurrentEscalationChangeError,
  DepartmentNotFoundError,
  EscalationNotFoundError,
  IllegalTransitionError,
  NotEntitledError,
  StaleVersionError,
  UnknownDepartmentsError,
  WebhookCredentialsRequiredError,
  WebhookSetupFailedError,
} from '../domain/escalations/errors';

export const escalationErrors: ErrorTable = [
  ...commonErrors,
  answer(EscalationNotFoundError, (error) => notFound(`No escalation ${error.escalationId}.`)),
  answer(NotEntitledError, (error) => forbidden(error.message)),
  answer(IllegalTransitionError, (error) => conflict(error.message)),
  answer(ConcurrentEscalationChangeError, (error) =>
    conflict(`Escalation ${error.escalationId} kept being changed by someone else at the same time; retry.`),
  ),
  answer(DepartmentNotFoundError, (error) => notFound(`No department ${error.departmentId}.`)),
  answer(UnknownDepartmentsError, (error) =>
    unprocessable(
      'Departments that do not exist are named.',
      error.unknown.map((item) => ({ location: item.location, message: `no department ${item.departmentId}` })),
    ),
  ),
  answer(StaleVersionError, (error) =>
    conflict(error.message || 'Changed by someone else at the same time; read it again.'),
  ),
  answer(WebhookCredentialsRequiredError, (error) =>
    unprocessable(error.message, [{ location: 'body.webhook.auth', message: 'is required for a new webhook' }]),
  ),
  answer(WebhookSetupFailedError, (error) => serviceUnavailable(error.message, 5)),
];
