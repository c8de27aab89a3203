/** A page of a listing and the cursor to the next one (absent on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** A cursor that no listing of ours issued (forged, altered, or from another listing): a 400. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor() {
    super('The cursor is not one this API issued');
  }
}
