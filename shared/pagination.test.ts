import { describe, expect, it } from 'vitest';
import { InvalidCursorError, positionCursor, positionPage } from './pagination';

describe('pages of a list read by position', () => {
  const list = Array.from({ length: 7 }, (_, index) => `item-${index}`);
  const read = async ({ offset, limit }: { offset: number; limit: number }) => ({
    items: list.slice(offset, offset + limit),
    total: list.length,
  });

  it('walks the list with opaque cursors, and gives none after the last item', async () => {
    const seen: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await positionPage(read, { limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(page.items);
      cursor = page.nextCursor;
      if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    } while (cursor);
    expect(seen).toEqual([list.slice(0, 3), list.slice(3, 6), list.slice(6)]);
    expect((await positionPage(read, { limit: 7 })).nextCursor).toBeUndefined();
  });

  it('refuses a cursor it did not issue, or one past the end', async () => {
    for (const cursor of ['nope', Buffer.from('{"at":-1}').toString('base64url'), positionCursor.encode(99)]) {
      await expect(positionPage(read, { limit: 3, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    }
    expect(() => positionCursor.decode(Buffer.from('{"at":2,"x":1}').toString('base64url'), 7)).toThrow(
      InvalidCursorError,
    );
  });
});
