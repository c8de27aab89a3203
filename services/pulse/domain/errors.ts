/** Named errors of the pulse domain; handlers map them to HTTP statuses, consumers to retries. */
export class SurveyNotFoundError extends Error {
  override readonly name = 'SurveyNotFoundError';
  constructor(readonly surveyId: string) {
    super(`No survey ${surveyId}`);
  }
}

/** The caller is not in the round's audience (fixed when it opened). */
export class NotInAudienceError extends Error {
  override readonly name = 'NotInAudienceError';
}

export class AlreadyAnsweredError extends Error {
  override readonly name = 'AlreadyAnsweredError';
  constructor() {
    super('You have already answered this round of the survey: one response per person.');
  }
}

export class RoundNotOpenError extends Error {
  override readonly name = 'RoundNotOpenError';
}

export class SurveyClosedError extends Error {
  override readonly name = 'SurveyClosedError';
}

/** Input that passed the schema but not the rules that need more context (answers against questions, an audience too small). */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(readonly errors: readonly { location: string; message: string }[]) {
    super(errors.map((error) => `${error.location} ${error.message}`).join('; '));
  }
}

/** Understood, but cannot be done as asked (an audience smaller than the anonymity threshold). */
export class UnprocessableError extends Error {
  override readonly name = 'UnprocessableError';
  constructor(
    message: string,
    readonly location: string,
  ) {
    super(message);
  }
}

/** Another round's release holds the release slot; the release is retried (by the bus). */
export class ReleaseBusyError extends Error {
  override readonly name = 'ReleaseBusyError';
}

export class CommentNotFoundError extends Error {
  override readonly name = 'CommentNotFoundError';
  constructor(readonly commentId: string) {
    super(`No comment ${commentId}`);
  }
}

/** The reply token is missing or malformed (`malformed`), or holds no conversation (`unknown`). */
export class InvalidReplyTokenError extends Error {
  override readonly name = 'InvalidReplyTokenError';
  constructor(
    readonly kind: 'malformed' | 'unknown',
    message: string,
  ) {
    super(message);
  }
}

/** The caller may not see or do this (not the mentee's mentor, not the session's mentee...). */
export class NotEntitledError extends Error {
  override readonly name = 'NotEntitledError';
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

export class DuplicateCheckInError extends Error {
  override readonly name = 'DuplicateCheckInError';
}

export class ConcurrentGoalChangeError extends Error {
  override readonly name = 'ConcurrentGoalChangeError';
  constructor(readonly goalId: string) {
    super(`Goal ${goalId} was changed by someone else at the same time; read it again and retry.`);
  }
}

export class AlreadyRatedError extends Error {
  override readonly name = 'AlreadyRatedError';
  constructor() {
    super('You have already rated this session.');
  }
}

/** Two ratings of the same mentor raced; the loser is retried. */
export class ConcurrentRatingError extends Error {
  override readonly name = 'ConcurrentRatingError';
}

/** The token holder tried to answer a thread nobody has written in yet. */
export class ConversationNotStartedError extends Error {
  override readonly name = 'ConversationNotStartedError';
  constructor() {
    super('Nobody has replied to this comment yet: there is nothing to answer.');
  }
}
