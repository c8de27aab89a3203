import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../pagination';
import { decodeCursor, encodeCursor } from './pages';

const listing = { partition: 'PODS', prefix: 'backend#' };
const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const valid = { pk: 'POD#1', sk: 'POD', gsi1pk: 'PODS', gsi1sk: 'backend#1' };

describe('cursors', () => {
  it('round-trip a position this listing issued', () => {
    expect(decodeCursor(encodeCursor(valid), listing)).toEqual(valid);
  });

  it.each([
    ['empty key values (a 500 from DynamoDB before)', { pk: '', sk: '', gsi1pk: 'PODS', gsi1sk: '' }],
    ['another listing’s partition', { ...valid, gsi1pk: 'DIRECTORY' }],
    ['outside the listing’s prefix', { ...valid, gsi1sk: 'data#1' }],
    ['a missing key attribute', { pk: 'POD#1', gsi1pk: 'PODS', gsi1sk: 'backend#1' }],
    ['an extra attribute', { ...valid, status: 'active' }],
    ['a number for a key', { ...valid, sk: 7 }],
    ['a sort key longer than DynamoDB accepts', { ...valid, sk: 'x'.repeat(1025) }],
    ['an array', [valid]],
    ['null', null],
  ])('refuse %s with InvalidCursorError', (_, key) => {
    expect(() => decodeCursor(cursorOf(key), listing)).toThrow(InvalidCursorError);
  });

  it('refuse what is not base64 JSON', () => {
    expect(() => decodeCursor('%%%', listing)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(Buffer.from('{"pk":').toString('base64url'), listing)).toThrow(InvalidCursorError);
  });
});
