/** The scheduling service's domain errors; handlers/http-errors.ts answers each over HTTP. */
import type { FieldError } from '../../../shared/http/errors';

/** No such session, or one the caller may not know about (alike, so nothing is revealed). */
export class SessionNotFoundError extends Error {
  override readonly name = 'SessionNotFoundError';
  constructor(readonly sessionId: string) {
    super(`No session ${sessionId}.`);
  }
}

/** The caller may not do this for these people (a 1:1 they are not part of, say). */
export class NotEntitledError extends Error {
  override readonly name = 'NotEntitledError';
}

/** Someone the service does not know (no `Person.Registered` yet) or who left the programme. */
export class UnknownPersonError extends Error {
  override readonly name = 'UnknownPersonError';
  constructor(
    readonly personId: string,
    readonly location: string,
  ) {
    super(`${personId} is not an active person in the programme.`);
  }
}

/** The request is well-formed but cannot be honoured as it is: each wrong field says why. */
export class UnprocessableRequestError extends Error {
  override readonly name = 'UnprocessableRequestError';
  constructor(
    message: string,
    readonly errors: readonly FieldError[],
  ) {
    super(message);
  }
}

/** The slot is taken: another session of one of the participants overlaps it. */
export class SessionClashError extends Error {
  override readonly name = 'SessionClashError';
  constructor(readonly clashes: readonly { personId: string; sessionId: string; startsAt: string; endsAt: string }[]) {
    super(
      `The slot clashes with ${clashes
        .map((clash) => `session ${clash.sessionId} of ${clash.personId} (${clash.startsAt} to ${clash.endsAt})`)
        .join(', ')}.`,
    );
  }
}

/** The session is not in a state that allows this (cancel a completed session, complete a future one...). */
export class SessionStateError extends Error {
  override readonly name = 'SessionStateError';
}

/** Kept being changed by someone else at the same time, through every retry. */
export class ConcurrentChangeError extends Error {
  override readonly name = 'ConcurrentChangeError';
}

export class PlanNotFoundError extends Error {
  override readonly name = 'PlanNotFoundError';
  constructor(readonly planId: string) {
    super(`No skip-level plan ${planId}.`);
  }
}

/** The plan (or the quarter) does not allow this any more: confirmed already, say. */
export class PlanStateError extends Error {
  override readonly name = 'PlanStateError';
}

/** A link that is not one of ours, or was altered. */
export class InvalidLinkError extends Error {
  override readonly name = 'InvalidLinkError';
}

/** A link that expired or was used already. */
export class LinkGoneError extends Error {
  override readonly name = 'LinkGoneError';
}
