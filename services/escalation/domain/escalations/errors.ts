/** Named domain errors; handlers map them to HTTP statuses, consumers to retry behaviour. */
import type { EscalationStatus } from './model';

/** No such escalation, or not one the caller may see (alike, so nothing is revealed). */
export class EscalationNotFoundError extends Error {
  override readonly name = 'EscalationNotFoundError';
  constructor(readonly escalationId: string) {
    super(`No escalation ${escalationId}`);
  }
}

/** The caller may see the escalation but not do this to it (a department reopening, say). */
export class NotEntitledError extends Error {
  override readonly name = 'NotEntitledError';
}

/** The status machine does not allow this move from where the escalation is. */
export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly from: EscalationStatus,
    readonly attempted: string,
    readonly allowed: readonly string[],
  ) {
    super(
      `The escalation is ${from}: it cannot ${attempted}. ${
        allowed.length > 0 ? `Allowed from ${from}: ${allowed.join(', ')}.` : `Nothing moves it from ${from}.`
      }`,
    );
  }
}

/** Someone else changed the escalation between our read and our write. Safe to retry. */
export class ConcurrentEscalationChangeError extends Error {
  override readonly name = 'ConcurrentEscalationChangeError';
  constructor(readonly escalationId: string) {
    super(`Escalation ${escalationId} was changed concurrently`);
  }
}

export class DepartmentNotFoundError extends Error {
  override readonly name = 'DepartmentNotFoundError';
  constructor(readonly departmentId: string) {
    super(`No department ${departmentId}`);
  }
}

/** Routing settings name departments that do not exist (422, naming each). */
export class UnknownDepartmentsError extends Error {
  override readonly name = 'UnknownDepartmentsError';
  constructor(readonly unknown: readonly { location: string; departmentId: string }[]) {
    super(`Unknown departments: ${unknown.map((item) => item.departmentId).join(', ')}`);
  }
}

/** The routing settings (or a department) changed since the version the caller based its change on. */
export class StaleVersionError extends Error {
  override readonly name = 'StaleVersionError';
}

/** A webhook without credentials where none are stored yet (422). */
export class WebhookCredentialsRequiredError extends Error {
  override readonly name = 'WebhookCredentialsRequiredError';
}

/** The department's webhook delivery could not be set up (EventBridge refused or failed): retry later (503). */
export class WebhookSetupFailedError extends Error {
  override readonly name = 'WebhookSetupFailedError';
}
