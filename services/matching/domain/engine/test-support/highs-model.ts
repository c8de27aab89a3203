import type { Highs } from 'highs';
import type { MatchingInput } from '../types';
import {
  referenceDefaults,
  referenceIsMentee,
  referenceIsMentor,
  referenceLoadCost,
  referenceLocks,
  referencePairRule,
  referencePairScore,
} from './reference-rules';

export interface MipOptimum {
  /** Mentees matched, locked ones included. */
  matched: number;
  /** pairScore - loadCost of the whole assignment, locked pairs included. */
  score: number;
  variables: number;
}

/**
 * The same problem as a mixed-integer programme, solved by HiGHS (an independent exact method); the
 * allowed pairs, locks and pair scores come from the independent reference, not from the engine:
 *
 *   x_ij in {0,1}  for every allowed (mentee, mentor) pair of unlocked mentees
 *   y_j  in {0,1}  mentor j takes new mentees
 *   z_jk in [0,1]  k-th new slot of mentor j (cost: marginal load of pod size locked_j + k)
 *   sum_j x_ij <= 1                          each mentee at most once
 *   r_j y_j <= sum_i x_ij <= u_j y_j         0 or enough to reach the minimum pod, within capacity
 *   sum_i x_ij = sum_k z_jk                  load; marginals increase so the LP fills slots in order
 *
 * Solved lexicographically, which is what the coverage bonus encodes: first maximise sum x (phase 1),
 * then fix it and maximise sum s_ij x_ij - sum m_jk z_jk (phase 2), each with a zero MIP gap. Two small
 * objectives keep HiGHS away from the huge coefficients a single weighted objective would need.
 */
export const mipOptimum = (highs: Highs, input: MatchingInput): MipOptimum => {
  const rules = { ...referenceDefaults.rules, ...input.rules, excludedPairs: input.excludedPairs };
  const { minPodSize } = rules;
  const loadStep = referenceLoadCost(input, 2);
  const people = new Map(input.people.map((person) => [person.personId, person]));
  const locks = referenceLocks(people, input.existingPairings ?? [], input.runDate);

  let lockedScore = 0;
  const lockedCount = new Map<string, number>();
  for (const [menteeId, mentorId] of locks) {
    lockedCount.set(mentorId, (lockedCount.get(mentorId) ?? 0) + 1);
    const mentor = people.get(mentorId);
    const mentee = people.get(menteeId);
    if (mentor && mentee) lockedScore += referencePairScore(mentor, mentee, input);
  }
  let lockedLoad = 0;
  for (const count of lockedCount.values()) lockedLoad += referenceLoadCost(input, count);

  const mentors = input.people.filter(referenceIsMentor);
  const mentees = input.people.filter((person) => referenceIsMentee(person) && !locks.has(person.personId));
  const pairs: Array<{ i: number; j: number; score: number }> = [];
  mentees.forEach((mentee, i) => {
    mentors.forEach((mentor, j) => {
      if (mentor.domain !== mentee.domain) return;
      if (referencePairRule(mentor, mentee, people, input.runDate, rules) !== null) return;
      pairs.push({ i, j, score: referencePairScore(mentor, mentee, input) });
    });
  });
  if (pairs.length === 0) return { matched: locks.size, score: lockedScore - lockedLoad, variables: 0 };

  const x = (pair: { i: number; j: number }) => `x_${pair.i}_${pair.j}`;
  const byMentee = new Map<number, string[]>();
  const byMentor = new Map<number, string[]>();
  for (const pair of pairs) {
    byMentee.set(pair.i, byMentee.get(pair.i) ?? []);
    byMentee.get(pair.i)?.push(x(pair));
    byMentor.set(pair.j, byMentor.get(pair.j) ?? []);
    byMentor.get(pair.j)?.push(x(pair));
  }
  const rows: string[] = [];
  const bounds: string[] = [];
  const binaries: string[] = pairs.map(x);
  const slotTerms: string[] = [];
  const sum = (terms: readonly string[]) =>
    terms.map((term, index) => `${index === 0 ? '' : '+ '}${term}`).join('\n   ');
  for (const [i, terms] of byMentee) rows.push(` e${i}: ${sum(terms)} <= 1`);
  for (const [j, terms] of byMentor) {
    const mentor = mentors[j];
    if (!mentor) continue;
    const locked = lockedCount.get(mentor.personId) ?? 0;
    const open = Math.max(0, Math.min(mentor.mentorCapacity, rules.maxPodSize) - locked);
    const required = Math.max(0, minPodSize - locked);
    binaries.push(`y_${j}`);
    rows.push(` up${j}: ${sum(terms)} - ${open} y_${j} <= 0`);
    rows.push(` lo${j}: ${sum(terms)} - ${required} y_${j} >= 0`);
    const slots = Array.from({ length: open }, (_, k) => `z_${j}_${k + 1}`);
    rows.push(` ld${j}: ${sum(terms)}${slots.map((slot) => `\n   - ${slot}`).join('')} = 0`);
    slots.forEach((slot, k) => {
      bounds.push(` 0 <= ${slot} <= 1`);
      const marginal = loadStep * (locked + k);
      if (marginal !== 0) slotTerms.push(`- ${marginal} ${slot}`);
    });
  }
  const model = (objective: string[], extraRows: string[]) =>
    [
      'Maximize',
      ` obj: ${objective.length > 0 ? objective.join('\n   ') : `0 ${binaries[0]}`}`,
      'Subject To',
      ...rows,
      ...extraRows,
      'Bounds',
      ...bounds,
      'Binary',
      ...binaries.map((name) => ` ${name}`),
      'End',
    ].join('\n');
  const options = { output_flag: false, mip_rel_gap: 0, mip_abs_gap: 0.5, time_limit: 60 };

  const coverage = highs.solve(
    model(
      pairs.map((pair, index) => `${index === 0 ? '' : '+ '}${x(pair)}`),
      [],
    ),
    options,
  );
  if (coverage.Status !== 'Optimal') throw new Error(`HiGHS phase 1: ${coverage.Status}`);
  const matched = Math.round(coverage.ObjectiveValue);

  const scoreTerms = pairs
    .filter((pair) => pair.score !== 0)
    .map((pair) => `${pair.score < 0 ? '-' : '+'} ${Math.abs(pair.score)} ${x(pair)}`);
  const best = highs.solve(
    model([...scoreTerms, ...slotTerms], [` cover: ${sum(pairs.map(x))} = ${matched}`]),
    options,
  );
  if (best.Status !== 'Optimal') throw new Error(`HiGHS phase 2: ${best.Status}`);
  return {
    matched: matched + locks.size,
    score: Math.round(best.ObjectiveValue) + lockedScore - lockedLoad,
    variables: binaries.length,
  };
};
