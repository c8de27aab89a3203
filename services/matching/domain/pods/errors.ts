/** Named errors of pods, runs and reassignments; handlers map them to HTTP statuses, consumers to retries. */
export class RunNotFoundError extends Error {
  override readonly name = 'RunNotFoundError';
  constructor(readonly runId: string) {
    super(`No matching run ${runId}`);
  }
}

export class PodNotFoundError extends Error {
  override readonly name = 'PodNotFoundError';
  constructor(readonly podId: string) {
    super(`No pod ${podId}`);
  }
}

export class RequestNotFoundError extends Error {
  override readonly name = 'RequestNotFoundError';
  constructor(readonly requestId: string) {
    super(`No reassignment request ${requestId}`);
  }
}

/** The people or pairings a dry run read have changed: its result no longer describes the organisation. */
export class InputsChangedError extends Error {
  override readonly name = 'InputsChangedError';
}

/** Another run is being committed; pairings are changed by one commit at a time. Retry shortly. */
export class CommitInProgressError extends Error {
  override readonly name = 'CommitInProgressError';
  constructor(readonly runId: string | null) {
    super(
      runId
        ? `Run ${runId} is being committed (or its commit was interrupted: commit it again to finish it).`
        : 'A run is being committed.',
    );
  }
}

/** The run cannot be committed as it stands (aborted, too old, not proven optimal). */
export class RunNotCommittableError extends Error {
  override readonly name = 'RunNotCommittableError';
  constructor(
    message: string,
    readonly kind: 'aborted' | 'expired' | 'not-proven',
  ) {
    super(message);
  }
}

/** A commit step or pairing change met a state it did not expect (after retries). */
export class PairingConflictError extends Error {
  override readonly name = 'PairingConflictError';
}

/** A commit stopped part-way because the stored state contradicted its plan; applied steps stay applied. */
export class CommitAbortedError extends Error {
  override readonly name = 'CommitAbortedError';
}

/** A commit stopped on an infrastructure failure; committing the same run again resumes it. */
export class CommitInterruptedError extends Error {
  override readonly name = 'CommitInterruptedError';
}

/** A request that is well-formed but names something that does not fit (e.g. a mentee not in the pod). */
export class InvalidPairingRequestError extends Error {
  override readonly name = 'InvalidPairingRequestError';
  constructor(
    readonly location: string,
    message: string,
  ) {
    super(message);
  }
}

export class ReassignmentStateError extends Error {
  override readonly name = 'ReassignmentStateError';
}

/** The mentor a life coach named cannot take the mentee; `rule` says why. */
export class ReassignmentTargetError extends Error {
  override readonly name = 'ReassignmentTargetError';
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

/** Only the pod's own mentee or mentor may ask; or a mentee asks for someone else. */
export class NotEntitledError extends Error {
  override readonly name = 'NotEntitledError';
}

export class NotAMentorError extends Error {
  override readonly name = 'NotAMentorError';
  constructor(readonly personId: string) {
    super(`${personId} does not have the mentor role`);
  }
}
