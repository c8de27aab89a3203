import { describe, expect, it } from 'vitest';
import { atomSizes, decideRelease, domainSegment, EVERYONE, type RoundPopulation } from './anonymity';

/** An audience: `{ a: 12, b: 3 }` is 12 people in a, 3 in b, everyone answering unless `respondents` says. */
const population = (
  roundId: string,
  sizes: Record<string, number>,
  respondents: Record<string, number> = sizes,
  prefix = '',
): RoundPopulation & { audience: { personId: string; domain: string }[] } => ({
  roundId,
  audience: Object.entries(sizes).flatMap(([domain, size]) =>
    Array.from({ length: size }, (_, index) => ({ personId: `${prefix}${domain}${index}`, domain })),
  ),
  respondentsByDomain: new Map(Object.entries(respondents)),
});

const apply = (signatures: Map<string, string>, updates: Map<string, string>) => {
  for (const [personId, signature] of updates) signatures.set(personId, signature);
  return signatures;
};

describe('decideRelease within a round', () => {
  it('shows everyone and every domain with at least the threshold of respondents', () => {
    const decision = decideRelease(5, population('r1', { a: 8, b: 6 }), new Map());
    expect(decision.shown).toEqual([EVERYONE, domainSegment('a'), domainSegment('b')]);
    expect(decision.withheld).toEqual([]);
  });

  it('withholds a small domain, and hides the next smallest too so the total cannot give it away', () => {
    // c has six people, three of whom answered: total minus a minus b would be those three.
    const decision = decideRelease(5, population('r1', { a: 12, b: 7, c: 6 }, { a: 12, b: 7, c: 3 }), new Map());
    expect(decision.shown).toEqual([EVERYONE, domainSegment('a')]);
    expect(decision.withheld).toEqual([
      { segment: domainSegment('b'), reason: 'would-isolate-hidden-domains' },
      { segment: domainSegment('c'), reason: 'below-threshold' },
    ]);
  });

  it('counts respondents, not the audience: a big domain with few answers is withheld', () => {
    const decision = decideRelease(5, population('r1', { a: 12, b: 9 }, { a: 10, b: 2 }), new Map());
    expect(decision.shown).toEqual([EVERYONE]);
    expect(decision.withheld.map((entry) => entry.segment)).toEqual([domainSegment('a'), domainSegment('b')]);
  });

  it('with everyone answering, withholds a domain whose audience the others would single out', () => {
    const decision = decideRelease(5, population('r1', { a: 12, b: 7, c: 3 }), new Map());
    expect(decision.shown).toEqual([EVERYONE, domainSegment('a')]);
    expect(decision.withheld.map((entry) => entry.segment)).toEqual([domainSegment('b'), domainSegment('c')]);
  });

  it('shows nothing with fewer respondents than the threshold in all', () => {
    const decision = decideRelease(5, population('r1', { a: 12 }, { a: 4 }), new Map());
    expect(decision.shown).toEqual([]);
    expect(decision.signatureUpdates.size).toBe(0);
  });
});

describe('decideRelease across rounds', () => {
  it('withholds a second survey whose audience is the first one minus a few people', () => {
    const signatures = apply(new Map(), decideRelease(5, population('r1', { a: 10 }), new Map()).signatureUpdates);
    // The same domain without two of its people: the difference would be those two.
    const second = population('r2', { a: 8 });
    const decision = decideRelease(5, second, signatures);
    expect(decision.shown).toEqual([]);
    expect(decision.withheld).toContainEqual({ segment: EVERYONE, reason: 'would-split-earlier-groups' });
  });

  it('keeps showing a recurring pulse to the same audience, round after round', () => {
    const signatures = new Map<string, string>();
    for (const roundId of ['r1', 'r2', 'r3', 'r4']) {
      const decision = decideRelease(5, population(roundId, { a: 9, b: 7 }, { a: 6, b: 5 }), signatures);
      expect(decision.shown).toEqual([EVERYONE, domainSegment('a'), domainSegment('b')]);
      apply(signatures, decision.signatureUpdates);
    }
    expect([...atomSizes(signatures).values()].sort()).toEqual([7, 9]);
  });

  it('withholds what would single out a joiner, and shows it again once enough people have joined', () => {
    const signatures = apply(
      new Map(),
      decideRelease(5, population('r1', { a: 10, b: 10 }), new Map()).signatureUpdates,
    );
    const oneJoiner = population('r2', { a: 10, b: 10 });
    oneJoiner.audience.push({ personId: 'new0', domain: 'a' });
    oneJoiner.respondentsByDomain = new Map([
      ['a', 11],
      ['b', 10],
    ]);
    const withOne = decideRelease(5, oneJoiner, signatures);
    expect(withOne.shown).toEqual([domainSegment('b')]);
    apply(signatures, withOne.signatureUpdates);

    const fiveJoiners = population('r3', { a: 10, b: 10 });
    fiveJoiners.audience.push(...Array.from({ length: 5 }, (_, index) => ({ personId: `new${index}`, domain: 'a' })));
    fiveJoiners.respondentsByDomain = new Map([
      ['a', 15],
      ['b', 10],
    ]);
    expect(decideRelease(5, fiveJoiners, signatures).shown).toEqual([EVERYONE, domainSegment('a'), domainSegment('b')]);
  });

  it('shows two surveys whose audiences overlap as long as every part of the overlap is large enough', () => {
    const signatures = apply(new Map(), decideRelease(5, population('r1', { a: 6, b: 6 }), new Map()).signatureUpdates);
    // Only domain a this time: a and b each stay a group of 6.
    expect(decideRelease(5, population('r2', { a: 6 }), signatures).shown).toEqual([EVERYONE, domainSegment('a')]);
  });
});
