import { describe, expect, it } from 'vitest';
import { rankOf, smallestIsolatableGroup } from './adversary';

const group = (...ids: string[]) => new Set(ids);
const range = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}${index}`);

describe('the adversary', () => {
  it('computes exact ranks', () => {
    expect(
      rankOf([
        [1, 1, 0],
        [0, 1, 1],
        [1, 2, 1],
      ]),
    ).toBe(2);
    expect(
      rankOf([
        [2, 4],
        [1, 3],
      ]),
    ).toBe(2);
    expect(rankOf([])).toBe(0);
  });

  it('subtracts a subset from its superset', () => {
    expect(smallestIsolatableGroup([group(...range('a', 8), 'x', 'y'), group(...range('a', 8))], 5)?.sort()).toEqual([
      'x',
      'y',
    ]);
  });

  it('finds what no pair shows: two domains minus a survey of almost both', () => {
    const a = range('a', 10);
    const b = range('b', 10);
    // A + B - C = {b9}, though every pair differs by 9 or more people.
    expect(smallestIsolatableGroup([group(...a), group(...b), group(...a, ...b.slice(0, 9))], 5)).toEqual(['b9']);
  });

  it('finds nothing in groups that only combine into large ones', () => {
    const a = range('a', 6);
    const b = range('b', 6);
    expect(smallestIsolatableGroup([group(...a), group(...b), group(...a, ...b)], 5)).toBeNull();
    // Two overlapping groups whose three parts are each small but cannot be separated by two figures... can be: A∩B is not alone.
    expect(
      smallestIsolatableGroup([group(...a.slice(0, 4), ...b.slice(0, 4)), group(...b.slice(0, 4), ...a.slice(4))], 5),
    ).toBeNull();
  });
});
