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
