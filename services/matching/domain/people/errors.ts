/** Named domain errors; handlers map them to HTTP statuses, consumers to retry behaviour. */
export class PersonNotFoundError extends Error {
  override readonly name = 'PersonNotFoundError';
  constructor(readonly personId: string) {
    super(`No person ${personId}`);
  }
}

/** Someone else changed the record between our read and our write. Safe to retry. */
export class ConcurrentModificationError extends Error {
  override readonly name = 'ConcurrentModificationError';
  constructor(readonly personId: string) {
    super(`Person ${personId} was changed concurrently`);
  }
}

/** A roster that cannot be read at all (as opposed to rows with errors). */
export class InvalidRosterError extends Error {
  override readonly name = 'InvalidRosterError';
}

/** A write to someone who left: bringing them back is a rehire, an explicit act. */
export class PersonOffboardedError extends Error {
  override readonly name = 'PersonOffboardedError';
  constructor(
    readonly personId: string,
    readonly offboardedAt?: string,
  ) {
    super(
      `${personId} was offboarded${offboardedAt ? ` on ${offboardedAt.slice(0, 10)}` : ''}; to bring them back, rehire them (POST /people/${personId}/rehire).`,
    );
  }
}

/** A rehire of someone who has not left. */
export class PersonNotOffboardedError extends Error {
  override readonly name = 'PersonNotOffboardedError';
  constructor(readonly personId: string) {
    super(`${personId} is active: there is nobody to rehire.`);
  }
}

/** A conditional write (If-Match, a `version` in the body) against a version that is no longer current. */
export class StaleVersionError extends Error {
  override readonly name = 'StaleVersionError';
  constructor(
    readonly personId: string,
    readonly expected: number | '*' | 'absent',
    readonly current: number | undefined,
  ) {
    super(
      current === undefined
        ? `${personId} does not exist (the request expected version ${expected}).`
        : expected === 'absent'
          ? `${personId} already exists (version ${current}).`
          : `${personId} is at version ${current}, not ${expected}: someone changed it since you read it. Read it again and reapply your change.`,
    );
  }
}

/** Another person already has this email address (every person's address is unique). */
export class DuplicateEmailError extends Error {
  override readonly name = 'DuplicateEmailError';
  constructor(
    readonly email: string,
    readonly ownerId: string,
  ) {
    super(`${email} is already the email address of ${ownerId}.`);
  }
}

/** A field whose value is well-formed but not acceptable for this directory (unknown domain, no such manager). */
export class InvalidPersonFieldError extends Error {
  override readonly name = 'InvalidPersonFieldError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
