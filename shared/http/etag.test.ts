import { describe, expect, it } from 'vitest';
import { HttpProblem } from './errors';
import { etagOf, versionFromPrecondition } from './etag';

describe('entity tags', () => {
  it('quotes a version, and reads it back in every form a client sends', () => {
    expect(etagOf(3)).toBe('"3"');
    for (const header of ['"3"', 'W/"3"', '3', ' "3" ']) expect(versionFromPrecondition(header, 'if-match')).toBe(3);
    expect(versionFromPrecondition('*', 'if-none-match')).toBe('*');
    expect(versionFromPrecondition(undefined, 'if-match')).toBeUndefined();
  });

  it('refuses a list of tags or a tag we never issued, naming the header', () => {
    for (const header of ['"3", "4"', '"abc"', 'W/']) {
      try {
        versionFromPrecondition(header, 'if-match');
        throw new Error('expected a refusal');
      } catch (error) {
        expect(error).toBeInstanceOf(HttpProblem);
        expect((error as HttpProblem).errors?.[0]?.location).toBe('header.if-match');
      }
    }
  });
});
