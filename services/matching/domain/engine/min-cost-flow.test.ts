import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PodFlow } from './min-cost-flow';

interface FlowInstance {
  mentees: number;
  mentors: number;
  arcs: Array<{ mentee: number; mentor: number; cost: number }>;
  marginals: ReadonlyArray<readonly number[]>;
}

/** Exhaustive minimum over every assignment (each mentee: one of its arcs or unmatched). */
const bruteForceCost = (instance: FlowInstance): number => {
  const byMentee = Array.from({ length: instance.mentees }, (_, i) => instance.arcs.filter((arc) => arc.mentee === i));
  const load = new Array<number>(instance.mentors).fill(0);
  let best = Number.POSITIVE_INFINITY;
  const visit = (i: number, cost: number): void => {
    if (i === instance.mentees) {
      let total = cost;
      for (let j = 0; j < instance.mentors; j++) {
        for (let k = 0; k < (load[j] ?? 0); k++) total += instance.marginals[j]?.[k] ?? 0;
      }
      best = Math.min(best, total);
      return;
    }
    visit(i + 1, cost);
    for (const arc of byMentee[i] ?? []) {
      if ((load[arc.mentor] ?? 0) >= (instance.marginals[arc.mentor]?.length ?? 0)) continue;
      load[arc.mentor] = (load[arc.mentor] ?? 0) + 1;
      visit(i + 1, cost + arc.cost);
      load[arc.mentor] = (load[arc.mentor] ?? 0) - 1;
    }
  };
  visit(0, 0);
  return best;
};

const convexMarginals = fc
  .tuple(fc.integer({ min: -40, max: 30 }), fc.array(fc.integer({ min: 0, max: 25 }), { maxLength: 4 }))
  .map(([first, steps]) => {
    const marginals = [first];
    for (const step of steps) marginals.push((marginals.at(-1) ?? first) + step);
    return marginals;
  });

const instanceArbitrary = fc
  .record({ mentees: fc.integer({ min: 1, max: 6 }), mentors: fc.integer({ min: 1, max: 3 }) })
  .chain(({ mentees, mentors }) =>
    fc.record({
      mentees: fc.constant(mentees),
      mentors: fc.constant(mentors),
      arcs: fc.uniqueArray(
        fc.record({
          mentee: fc.integer({ min: 0, max: mentees - 1 }),
          mentor: fc.integer({ min: 0, max: mentors - 1 }),
          cost: fc.integer({ min: -60, max: 10 }),
        }),
        { selector: (arc) => `${arc.mentee}-${arc.mentor}`, maxLength: mentees * mentors },
      ),
      marginals: fc.array(fc.oneof(convexMarginals, fc.constant<number[]>([])), {
        minLength: mentors,
        maxLength: mentors,
      }),
    }),
  );

const build = (instance: FlowInstance, arcs = instance.arcs): PodFlow => {
  const flow = new PodFlow(instance.mentees, instance.mentors, 5);
  instance.marginals.forEach((marginals, j) => {
    flow.setMarginals(j, marginals);
  });
  for (const arc of arcs) flow.addArc(arc.mentee, arc.mentor, arc.cost);
  return flow;
};

describe('PodFlow', () => {
  it('finds the minimum cost of every small instance', () => {
    fc.assert(
      fc.property(instanceArbitrary, (instance) => {
        const flow = build(instance);
        flow.solve();
        expect(flow.checkInvariants()).toBeNull();
        expect(flow.cost()).toBe(bruteForceCost(instance));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('stays optimal through added arcs and changed marginals (warm re-solves)', () => {
    fc.assert(
      fc.property(
        instanceArbitrary,
        fc.array(fc.tuple(fc.nat(), convexMarginals, fc.boolean()), { maxLength: 4 }),
        (instance, changes) => {
          const half = Math.floor(instance.arcs.length / 2);
          const flow = build(instance, instance.arcs.slice(0, half));
          flow.solve();
          for (const arc of instance.arcs.slice(half)) flow.addArc(arc.mentee, arc.mentor, arc.cost);
          flow.solve();
          expect(flow.checkInvariants()).toBeNull();
          expect(flow.cost()).toBe(bruteForceCost(instance));
          const current = { ...instance, marginals: [...instance.marginals] };
          for (const [which, marginals, close] of changes) {
            const j = which % instance.mentors;
            current.marginals[j] = close ? [] : marginals;
            flow.setMarginals(j, current.marginals[j] ?? []);
            flow.solve();
            expect(flow.checkInvariants()).toBeNull();
            expect(flow.cost()).toBe(bruteForceCost(current));
          }
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});
