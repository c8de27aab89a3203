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

/**
 * Cursors of a listing read by position (a stored list of known length, such as a run's result
 * pages): the position of the next item, opaque to the caller, refused unless it is one we issued
 * for a list of this length.
 */
export const positionCursor = {
  encode: (position: number): string => Buffer.from(JSON.stringify({ at: position })).toString('base64url'),
  decode: (cursor: string, total: number): number => {
    try {
      const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
      const at = (parsed as { at?: unknown }).at;
      const keys = typeof parsed === 'object' && parsed !== null ? Object.keys(parsed) : [];
      if (keys.length === 1 && Number.isInteger(at) && (at as number) > 0 && (at as number) < total)
        return at as number;
    } catch {
      // refused below
    }
    throw new InvalidCursorError();
  },
};

/** One page of a list read by position: the items from the cursor on, and the cursor after them. */
export const positionPage = async <T>(
  read: (slice: { offset: number; limit: number }) => Promise<{ items: T[]; total: number }>,
  query: { limit: number; cursor?: string | undefined },
  total?: number,
): Promise<Page<T> & { total: number }> => {
  const offset = query.cursor ? positionCursor.decode(query.cursor, total ?? Number.MAX_SAFE_INTEGER) : 0;
  const page = await read({ offset, limit: query.limit });
  if (query.cursor && offset >= page.total) throw new InvalidCursorError();
  const next = offset + page.items.length;
  return {
    items: page.items,
    total: page.total,
    ...(next < page.total ? { nextCursor: positionCursor.encode(next) } : {}),
  };
};
