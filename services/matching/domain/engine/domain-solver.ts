import type { MatchingContext } from './context';
import { Deadline, OutOfTime } from './deadline';
import { type DomainIndex, forbidden, noPair, type ScanResult } from './domain-index';
import { PodFlow } from './min-cost-flow';
import type { PodProblem } from './pod-lagrangian';
import { searchPods } from './pod-search';

/**
 * Exact solver for one domain.
 *
 * The problem: choose for each mentee at most one allowed mentor, so that every mentor's number of new
 * mentees n_j lies in {0} ∪ [r_j, u_j] (r_j: what the minimum pod still needs above their locks, u_j:
 * capacity left), maximising  B * matches + sum of pair scores - sum of convex load costs.
 *
 * 1. Relaxation: drop the "0 or at least r_j" condition and it is a min-cost flow (`PodFlow`), with
 *    arc cost -(B + score) and the mentor's convex load cost on its sink arc.
 * 2. Column generation: the flow starts with each mentee's best `candidatesPerMentee` mentors only.
 *    After each solve every left-out allowed pair is priced with the flow's potentials; the most
 *    negative one per mentee is added and the flow re-solved, until none is left. No negative reduced
 *    cost anywhere proves the restricted optimum is the optimum over all pairs. Pricing is cheap:
 *    a mentee's left-out pairs score at most `bestLeftOut`, mentors are visited in potential order
 *    down to the threshold that bound implies, and a certificate per mentee lets the next round look
 *    only at the mentors whose potential rose.
 * 3. Branch and bound over mentors with 0 < n_j < r_j in the relaxation: either closed (capacity 0)
 *    or opened (their first r_j slots get a bonus F = 2B, larger than anything filling them could cost,
 *    so the flow fills them whenever it can: forcing without lower bounds; if it cannot, the node is
 *    infeasible). Undecided mentors carry the convex envelope of their true cost over {0} ∪ [r_j, u_j]
 *    (the first r_j slots share f(r_j) evenly), a tighter relaxation that equals the true cost at
 *    every feasible load. Every node is re-solved warm from the previous flow and priced to
 *    convergence, so its bound is exact; a node is pruned when its bound cannot beat the incumbent.
 *    When no violating mentor is left the relaxation is feasible, so its value is exact.
 * 4. Where the flow bound is weak (several mentors under the minimum at once, or a search past a few
 *    nodes) a node is also bounded by a Lagrangian relaxation (see `lagrangian`), which knows the
 *    minimum pod: its prices start from the flow's duals (or the last node's prices) and improve by
 *    subgradient steps; undecided mentors it proves cannot go one way are fixed the other way
 *    (reduced-cost fixing), and it picks the mentor to branch on. When the root has many violations,
 *    a first dive finds an incumbent and the search then restarts from the root, so that fixing
 *    against that incumbent prunes the whole tree.
 * 5. Hard domains go to `searchPods` (`pod-search.ts`): at once when 4 or more mentors are under the
 *    minimum at the root, or with the best assignment found so far when this search has not closed
 *    in `flowNodesBeforePodSearch` nodes (a load cost that outweighs the pair scores).
 *
 * Every bound is an exact integer (costs are integer centipoints, prices stay integers), so pruning
 * never drops an assignment that could be better. By default the search runs until it closes
 * (`maxBranchNodes` and the time budget unlimited); with a limit, it stops there and the result is the
 * best found, not proven, with a proven bound on the gap (the root's bound minus the value found). Out
 * of time before any assignment was found, it returns a greedy one (`greedyAssignment`).
 */

/**
 * The Lagrangian costs passes over the allowed pairs: it pays off where several mentors violate the
 * minimum at once, and wherever the search has grown past a few nodes (a few violations close
 * faster by branching on the flow alone).
 */
const cheapNodes = 8;
const manyViolations = 4;
/** Root violations from which a domain is solved by `searchPods` instead of this flow's search. */
const podSearchViolations = manyViolations;
/**
 * Nodes of this flow's search after which a domain it has not closed goes to `searchPods` all the same,
 * with the best assignment found so far. Few violations usually close in a handful of nodes; where
 * they do not (a load cost that outweighs the pair scores makes many assignments worth nearly the same),
 * the pod search's bound, which sees whole pod sizes, closes them in a few hundred.
 */
const flowNodesBeforePodSearch = 500;
/** Thrown to leave the flow's search for the pod search (caught in `solveDomain`). */
const handOverToPodSearch = new Error('The flow search hands this domain over to the pod search');
/**
 * Pod search nodes before a MIP solver, when given, takes the reduced problem (a few seconds at most).
 * The same where one load step outweighs every pair score: the root's incumbent has the best load
 * profile there, so its reduced-cost fixing leaves HiGHS a fraction of the pairs.
 */
const podNodesBeforeMip = 30;
/** Subgradient steps per strengthened node, and for the root's bound after the first dive. */
const subgradientSteps = 30;
const rootSubgradientSteps = 150;
const stallsBeforeHalving = 5;

const free = 0;
const undecided = 1;
const opened = 2;
const closed = 3;

export interface DomainSolution {
  /** Domain mentee index -> domain mentor index, or -1. */
  assignment: Int32Array;
  /** B * new matches + their pair scores - the load cost of the new mentees (locked part excluded). */
  value: number;
  /** Proven upper bound on the domain's value (equal to `value` when proven optimal). */
  upperBound: number;
  pricingRounds: number;
  initialArcs: number;
  pricedArcs: number;
  allowedPairs: number;
  rootViolations: number;
  branchNodes: number;
  proven: boolean;
  stoppedBy: 'node-limit' | 'time-budget' | null;
}

export const solveDomain = (
  context: MatchingContext,
  index: DomainIndex,
  deadline: Deadline = Deadline.never,
): DomainSolution => {
  const { params } = context;
  const bonus = context.coverageBonus;
  const forcing = 2 * bonus;
  const loadStep = params.centipoints.balancedLoad;
  const mentorCount = index.mentors.length;
  const menteeCount = index.mentees.length;

  const never = new Uint8Array(mentorCount);
  for (let j = 0; j < mentorCount; j++) {
    if ((index.openSlots[j] ?? 0) === 0 || (index.openSlots[j] ?? 0) < (index.required[j] ?? 0)) never[j] = 1;
  }
  const scan = index.scanAll(params.solver.candidatesPerMentee, never);
  for (let j = 0; j < mentorCount; j++) {
    if ((index.compatible[j] ?? 0) < Math.max(1, index.required[j] ?? 0)) never[j] = 1;
  }

  // Mentees with at least one allowed mentor take part in the flow.
  const flowMentees: number[] = [];
  for (let i = 0; i < menteeCount; i++) {
    if ((scan.candidateCount[i] as number) > 0) flowMentees.push(i);
  }
  const flowCount = flowMentees.length;
  let candidateArcs = 0;
  for (const i of flowMentees) candidateArcs += scan.candidateCount[i] as number;
  // Room for the candidates and a few priced arcs per mentee, so the arc arrays rarely grow.
  const flow = new PodFlow(
    flowCount,
    mentorCount,
    Math.max(1, ...Array.from(index.openSlots)),
    candidateArcs + 2 * flowCount,
  );
  const arcBits = new Uint32Array(Math.ceil((flowCount * mentorCount) / 32) + 1);
  const hasArc = (f: number, j: number): boolean => {
    const bit = f * mentorCount + j;
    return ((arcBits[bit >>> 5] ?? 0) & (1 << (bit & 31))) !== 0;
  };
  const addArc = (f: number, j: number, score: number): void => {
    const bit = f * mentorCount + j;
    arcBits[bit >>> 5] = (arcBits[bit >>> 5] ?? 0) | (1 << (bit & 31));
    flow.addArc(f, j, -(bonus + score));
  };

  const state = new Uint8Array(mentorCount);
  const trueMarginal = (j: number, k: number): number => loadStep * ((index.lockedCount[j] ?? 0) + k - 1);
  const marginalsFor = (j: number): number[] => {
    const slots = index.openSlots[j] ?? 0;
    const required = index.required[j] ?? 0;
    const s = state[j];
    if (never[j] || s === closed) return [];
    const marginals = Array.from({ length: slots }, (_, k) => trueMarginal(j, k + 1));
    if (s === opened) {
      for (let k = 0; k < required; k++) marginals[k] = (marginals[k] ?? 0) - forcing;
    } else if (s === undecided) {
      let total = 0;
      for (let k = 0; k < required; k++) total += marginals[k] ?? 0;
      const even = Math.floor(total / required);
      const remainder = total - even * required;
      for (let k = 0; k < required; k++) marginals[k] = even + (k >= required - remainder ? 1 : 0);
    }
    return marginals;
  };
  for (let j = 0; j < mentorCount; j++) {
    state[j] = (index.required[j] ?? 0) > 0 ? undecided : free;
    flow.setMarginals(j, marginalsFor(j));
  }
  let initialArcs = 0;
  flowMentees.forEach((i, f) => {
    const first = i * scan.keep;
    const last = first + (scan.candidateCount[i] as number);
    for (let c = first; c < last; c++) {
      const j = scan.candidates[c] as number;
      if (never[j]) continue;
      addArc(f, j, scan.candidateScores[c] as number);
      initialArcs += 1;
    }
  });

  let pricingRounds = 0;
  let pricedArcs = 0;
  const openPotentials = new Float64Array(mentorCount);
  // Pricing certificates: certified[f] bounds s_fj + pi_j over f's left-out pairs under the current
  // potentials. Between two rounds only mentors whose potential rose can break it, so when few rose a
  // mentee is re-certified by looking at those mentors alone; while certified[f] <= pi_f - B no
  // left-out pair of f has a negative reduced cost.
  const certified = new Float64Array(flowCount).fill(Number.POSITIVE_INFINITY);
  const lastPotential = new Float64Array(mentorCount);
  const wasOpen = new Uint8Array(mentorCount);
  /**
   * Adds, for each mentee, the left-out allowed pair with the most negative reduced cost (if any);
   * returns how many. rc(f, j) = -(B + s) + pi_f - pi_j < 0 needs pi_j > pi_f - B - s >= threshold, so
   * a full scan visits mentors in decreasing potential and stops at the threshold.
   */
  const scoreMatrix = index.scoreMatrix;
  const scoreOf = (i: number, j: number): number => {
    const score = scoreMatrix ? (scoreMatrix[i * mentorCount + j] as number) : index.pairScore(i, j);
    return score === noPair ? forbidden : score;
  };
  const openMentors = new Int32Array(mentorCount);
  const risen = new Int32Array(mentorCount);
  /** Re-certifies mentee f against the mentors whose potential rose; returns the new certificate. */
  const recertify = (f: number, i: number, risenCount: number): number => {
    const pi = flow.potential;
    let highest = certified[f] as number;
    for (let r = 0; r < risenCount; r++) {
      const j = risen[r] as number;
      const score = scoreOf(i, j);
      if (score === forbidden) continue;
      const value = score + (pi[flowCount + j] as number);
      if (value > highest && !hasArc(f, j)) highest = value;
    }
    certified[f] = highest;
    return highest;
  };
  /**
   * Scans mentee f's left-out pairs in potential order down to the threshold its bound implies, adds
   * the best one if its reduced cost is negative and keeps the next best as f's certificate.
   */
  const priceMentee = (f: number, i: number, base: number, bound: number, open: number): number => {
    const threshold = base - bound;
    if ((openPotentials[0] as number) <= threshold) {
      certified[f] = bound + (openPotentials[0] as number);
      return 0;
    }
    // The two largest s + pi_j among f's left-out pairs: the first is added if it beats f's value,
    // the second (or the first, if nothing is added) is the new certificate.
    let bestMentor = -1;
    let bestScore = 0;
    let bestValue = forbidden;
    let secondValue = forbidden;
    let t = 0;
    for (; t < open; t++) {
      const potential = openPotentials[t] as number;
      if (potential <= threshold) break;
      const j = openMentors[t] as number;
      const score = scoreOf(i, j);
      if (score === forbidden) continue;
      const value = score + potential;
      if (value <= secondValue || hasArc(f, j)) continue;
      if (value > bestValue) {
        secondValue = bestValue;
        bestValue = value;
        bestMentor = j;
        bestScore = score;
      } else {
        secondValue = value;
      }
    }
    // Mentors past the threshold add at most bound + their potential, which is <= base.
    const tail = t < open ? bound + (openPotentials[t] as number) : forbidden;
    const improves = bestMentor >= 0 && bestValue > base;
    certified[f] = Math.max(improves ? secondValue : bestValue, tail);
    if (!improves) return 0;
    addArc(f, bestMentor, bestScore);
    return 1;
  };
  const price = (): number => {
    deadline.check();
    pricingRounds += 1;
    const pi = flow.potential;
    let open = 0;
    let risenCount = 0;
    for (let j = 0; j < mentorCount; j++) {
      const potential = pi[flowCount + j] as number;
      if (flow.mentorCapacity(j) > 0) {
        openMentors[open++] = j;
        // A mentor closed at the last round is in no certificate yet: treat it like a risen one.
        if (!wasOpen[j] || potential > (lastPotential[j] as number)) risen[risenCount++] = j;
        wasOpen[j] = 1;
      } else {
        wasOpen[j] = 0;
      }
      lastPotential[j] = potential;
    }
    if (open === 0) return 0;
    const incremental = risenCount * 4 <= open;
    openMentors
      .subarray(0, open)
      .sort((a, b) => (pi[flowCount + b] as number) - (pi[flowCount + a] as number) || a - b);
    for (let t = 0; t < open; t++) openPotentials[t] = pi[flowCount + (openMentors[t] as number)] as number;
    let added = 0;
    for (let f = 0; f < flowCount; f++) {
      const i = flowMentees[f] as number;
      const bound = scan.bestLeftOut[i] as number;
      if (bound === forbidden) continue;
      const base = (pi[f] as number) - bonus;
      if (incremental && (certified[f] as number) !== Number.POSITIVE_INFINITY && recertify(f, i, risenCount) <= base) {
        continue;
      }
      added += priceMentee(f, i, base, bound, open);
    }
    pricedArcs += added;
    return added;
  };

  const solveExactly = (): void => {
    flow.solve(deadline);
    while (price() > 0) flow.solve(deadline);
  };

  let forcedSlots = 0;
  const setState = (j: number, next: number): void => {
    if (state[j] === opened) forcedSlots -= index.required[j] ?? 0;
    state[j] = next;
    if (next === opened) forcedSlots += index.required[j] ?? 0;
    flow.setMarginals(j, marginalsFor(j));
  };
  const relaxedValue = (): number => -flow.cost() - forcing * forcedSlots;
  const forcedFilled = (): boolean => {
    for (let j = 0; j < mentorCount; j++) {
      if (state[j] === opened && flow.mentorLoad(j) < (index.required[j] ?? 0)) return false;
    }
    return true;
  };
  const violator = (): number => {
    let best = -1;
    let bestLoad = 0;
    for (let j = 0; j < mentorCount; j++) {
      if (state[j] !== undecided) continue;
      const load = flow.mentorLoad(j);
      if (load > 0 && load < (index.required[j] ?? 0) && load > bestLoad) {
        best = j;
        bestLoad = load;
      }
    }
    return best;
  };
  /**
   * After `strengthen`: among the flow's violators, the mentor the Lagrangian is least sure about
   * (its best open pod worth closest to nothing), whose two branches split the search most evenly.
   */
  const lagrangianViolator = (): number => {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < mentorCount; j++) {
      if (state[j] !== undecided) continue;
      const load = flow.mentorLoad(j);
      if (load === 0 || load >= (index.required[j] ?? 0)) continue;
      const score = -Math.abs(openValue[j] ?? 0);
      if (score > bestScore) {
        best = j;
        bestScore = score;
      }
    }
    return best;
  };
  const countViolations = (): number => {
    let count = 0;
    for (let j = 0; j < mentorCount; j++) {
      const load = flow.mentorLoad(j);
      if (state[j] === undecided && load > 0 && load < (index.required[j] ?? 0)) count += 1;
    }
    return count;
  };

  // Lagrangian bound. Dualise "each mentee at most once" with integer prices p_f >= 0; what is left
  // splits by mentor: each picks its best pod of an allowed size ({0} or [r_j, u_j], as its branching
  // state allows) from ALL its allowed mentees, valued B + s - p. Summed with sum(p) it bounds every
  // assignment of the node, and it sees the minimum pod (the flow does not), so it is far tighter
  // where mentees are scarce. The prices start from the flow's duals (pi_f - pi_sink) and are improved
  // by subgradient steps; they stay integers, so every bound is an exact integer. Per mentor, its
  // value when open and when closed also show which mentors the incumbent already decides
  // (reduced-cost fixing).
  const matrix = index.scoreMatrix;
  const slotStride = Math.max(1, ...Array.from(index.openSlots));
  const topValues = new Float64Array(slotStride);
  const topMentees = new Int32Array(slotStride);
  const openValue = new Float64Array(mentorCount);
  const bestValue = new Float64Array(mentorCount);
  const prices = new Float64Array(flowCount);
  const bestPrices = new Float64Array(flowCount);
  const chosenCount = new Int32Array(flowCount);
  let warmPrices = false;
  // Allowed pairs by mentor (flow mentee, score), built on first use.
  let pairStart: Int32Array | null = null;
  let pairMentee = new Int32Array(0);
  let pairScore = new Float64Array(0);
  const buildPairs = (): Int32Array => {
    const start = new Int32Array(mentorCount + 1);
    const scoreAt = (i: number, j: number): number => {
      const score = matrix ? (matrix[i * mentorCount + j] ?? noPair) : index.pairScore(i, j);
      return score === noPair ? forbidden : score;
    };
    for (let f = 0; f < flowCount; f++) {
      const i = flowMentees[f] ?? 0;
      for (let j = 0; j < mentorCount; j++)
        if (!never[j] && scoreAt(i, j) !== forbidden) start[j + 1] = (start[j + 1] as number) + 1;
    }
    for (let j = 0; j < mentorCount; j++) start[j + 1] = (start[j + 1] ?? 0) + (start[j] ?? 0);
    const fill = start.slice(0, mentorCount);
    pairMentee = new Int32Array(start[mentorCount] ?? 0);
    pairScore = new Float64Array(start[mentorCount] ?? 0);
    for (let f = 0; f < flowCount; f++) {
      const i = flowMentees[f] ?? 0;
      for (let j = 0; j < mentorCount; j++) {
        if (never[j]) continue;
        const score = scoreAt(i, j);
        if (score === forbidden) continue;
        const at = fill[j] ?? 0;
        pairMentee[at] = f;
        pairScore[at] = score;
        fill[j] = at + 1;
      }
    }
    return start;
  };
  /** L(prices): exact, and records each mentor's open / best value and how often each mentee is picked. */
  const lagrangian = (): number => {
    if (!pairStart) pairStart = buildPairs();
    const starts = pairStart;
    chosenCount.fill(0);
    let total = 0;
    for (let f = 0; f < flowCount; f++) total += prices[f] as number;
    for (let j = 0; j < mentorCount; j++) {
      const slots = flow.mentorCapacity(j);
      if (slots === 0) {
        openValue[j] = Number.NEGATIVE_INFINITY;
        bestValue[j] = 0;
        continue;
      }
      let count = 0;
      const end = starts[j + 1] as number;
      for (let p = starts[j] as number; p < end; p++) {
        const f = pairMentee[p] as number;
        const value = bonus + (pairScore[p] as number) - (prices[f] as number);
        if (count === slots && value <= (topValues[count - 1] as number)) continue;
        let position = count < slots ? count++ : slots - 1;
        while (position > 0 && (topValues[position - 1] as number) < value) {
          topValues[position] = topValues[position - 1] as number;
          topMentees[position] = topMentees[position - 1] as number;
          position -= 1;
        }
        topValues[position] = value;
        topMentees[position] = f;
      }
      const required = state[j] === free ? 0 : (index.required[j] ?? 0);
      let gain = 0;
      let bestOpen = Number.NEGATIVE_INFINITY;
      let bestSize = 0;
      let bestAny = state[j] === opened ? Number.NEGATIVE_INFINITY : 0;
      for (let k = 1; k <= count; k++) {
        gain += (topValues[k - 1] as number) - trueMarginal(j, k);
        if (k >= Math.max(1, required)) {
          if (gain > bestOpen) bestOpen = gain;
          if (gain > bestAny) {
            bestAny = gain;
            bestSize = k;
          }
        }
      }
      for (let k = 0; k < bestSize; k++) {
        const f = topMentees[k] as number;
        chosenCount[f] = (chosenCount[f] as number) + 1;
      }
      openValue[j] = bestOpen;
      bestValue[j] = bestAny;
      total += bestAny;
    }
    return total;
  };
  /**
   * The node's Lagrangian bound, its prices improved by up to `iterations` subgradient steps
   * (Polyak steps aimed at `target`); openValue / bestValue are left at the best prices found.
   */
  const lagrangianBound = (iterations: number, target: number): number => {
    const pi = flow.potential;
    const sinkPotential = pi[flowCount + mentorCount] ?? 0;
    for (let f = 0; f < flowCount; f++) prices[f] = Math.max(0, (pi[f] ?? 0) - sinkPotential);
    let best = lagrangian();
    if (iterations === 0 || best === Number.NEGATIVE_INFINITY) return best;
    // The last node's prices are usually a better start than this node's flow duals.
    if (warmPrices) {
      const flowPrices = prices.slice();
      prices.set(bestPrices);
      const warm = lagrangian();
      if (warm < best) best = warm;
      else {
        prices.set(flowPrices);
        lagrangian();
      }
    }
    if (best === Number.NEGATIVE_INFINITY) return best;
    bestPrices.set(prices);
    warmPrices = true;
    let atBest = true;
    let theta = 1;
    let stalled = 0;
    for (let iteration = 0; iteration < iterations && best > target; iteration++) {
      deadline.check();
      let norm = 0;
      for (let f = 0; f < flowCount; f++) {
        const g = 1 - (chosenCount[f] as number);
        if (g !== 0 && !(g > 0 && (prices[f] as number) === 0)) norm += g * g;
      }
      if (norm === 0) break; // the subproblem's pods are a partition: no price change can lower L
      const step = (theta * (best - target)) / norm;
      let moved = false;
      for (let f = 0; f < flowCount; f++) {
        const g = 1 - (chosenCount[f] as number);
        if (g === 0) continue;
        const next = Math.max(0, Math.round((prices[f] as number) - step * g));
        if (next !== prices[f]) {
          prices[f] = next;
          moved = true;
        }
      }
      if (!moved) break;
      const value = lagrangian();
      if (value < best) {
        best = value;
        bestPrices.set(prices);
        atBest = true;
        stalled = 0;
      } else {
        atBest = false;
        if (++stalled >= stallsBeforeHalving) {
          theta /= 2;
          stalled = 0;
        }
      }
    }
    if (!atBest) {
      prices.set(bestPrices);
      lagrangian();
    }
    return best;
  };

  // Held in an object: TypeScript does not see assignments made inside the recursive closure.
  const best: { assignment: Int32Array | null; value: number } = { assignment: null, value: Number.NEGATIVE_INFINITY };
  let branchNodes = 0;
  let exhausted = false;
  let stoppedBy: DomainSolution['stoppedBy'] = null;
  // Until the root is solved: every mentee with its best mentor, no load cost (load costs are >= 0).
  let rootBound = 0;
  flowMentees.forEach((i) => {
    rootBound += bonus + (scan.candidateScores[i * scan.keep] as number);
  });
  let rootViolations = 0;
  let diving = false;
  let dived = false;

  /** Tightens the node with the Lagrangian bound; false when it cannot beat the incumbent. */
  const strengthen = (fixed: number[]): boolean => {
    if (!best.assignment) return true;
    for (;;) {
      const bound = lagrangianBound(subgradientSteps, best.value);
      if (bound <= best.value) return false;
      let changed = false;
      for (let j = 0; j < mentorCount; j++) {
        if (state[j] !== undecided) continue;
        const withoutJ = bound - (bestValue[j] ?? 0);
        if (withoutJ + (openValue[j] ?? 0) <= best.value) {
          setState(j, closed); // opening j cannot beat the incumbent
        } else if (withoutJ <= best.value) {
          setState(j, opened); // closing j cannot beat the incumbent
        } else {
          continue;
        }
        fixed.push(j);
        changed = true;
      }
      if (!changed) return true;
      solveExactly();
      if (!forcedFilled() || relaxedValue() <= best.value) return false;
    }
  };

  const search = (): void => {
    branchNodes += 1;
    if (best.assignment && branchNodes > params.solver.maxBranchNodes) {
      exhausted = true;
      stoppedBy = 'node-limit';
      return;
    }
    if (best.assignment && branchNodes > flowNodesBeforePodSearch) throw handOverToPodSearch;
    deadline.check();
    solveExactly();
    if (!forcedFilled()) return;
    const bound = relaxedValue();
    if (bound <= best.value) return;
    const fixed: number[] = [];
    const undo = () => {
      for (const j of fixed) setState(j, undecided);
    };
    const violations = countViolations();
    const strengthened = violations > 0 && (violations >= manyViolations || branchNodes > cheapNodes);
    if (strengthened && !strengthen(fixed)) {
      undo();
      return;
    }
    const j = strengthened ? lagrangianViolator() : violator();
    if (j < 0) {
      best.assignment = flow.assignment();
      best.value = relaxedValue();
      if (diving) dived = true;
      undo();
      return;
    }
    // With Lagrangian values, follow the side the Lagrangian prefers; otherwise a mentor one short of
    // the minimum is more often worth opening, and a lone mentee is more often moved.
    const openFirst = strengthened ? (openValue[j] ?? 0) >= 0 : 2 * flow.mentorLoad(j) >= (index.required[j] ?? 0);
    for (const choice of openFirst ? [opened, closed] : [closed, opened]) {
      setState(j, choice);
      search();
      if (exhausted || (diving && dived)) break;
    }
    setState(j, undecided);
    undo();
  };
  /** The flow's duals at the root (the pod search's first prices), kept where a search follows. */
  let rootPrices = new Float64Array(0);
  /** Mentees the root's relaxation matches: no assignment matches more (its coverage term is the same). */
  let relaxedMatched = 0;
  const solveByPodSearch = (incumbent: Int32Array | null, flowNodes: number): DomainSolution => {
    const problem = podProblemOf(context, index, flowMentees, never);
    const result = searchPods(problem, {
      prices: rootPrices,
      minTotal: 0,
      maxTotal: relaxedMatched,
      incumbent,
      deadline,
      maxNodes: params.solver.maxBranchNodes - flowNodes,
      mipSolver: params.solver.mipSolver,
      nodesBeforeMip: podNodesBeforeMip,
    });
    return {
      assignment: toDomainAssignment(result.assignment, flowMentees, menteeCount),
      value: result.value,
      upperBound: result.upperBound,
      pricingRounds,
      initialArcs,
      pricedArcs,
      allowedPairs: scan.allowedPairs,
      rootViolations,
      branchNodes: flowNodes + result.nodes,
      proven: result.proven,
      stoppedBy: result.stoppedBy,
    };
  };
  try {
    solveExactly();
    rootViolations = countViolations();
    const rootFlowBound = relaxedValue();
    rootBound = rootFlowBound;
    // Only worth passes over all pairs where the search may not close (it bounds the reported gap).
    if (rootViolations >= manyViolations) rootBound = Math.min(rootFlowBound, lagrangianBound(0, rootFlowBound));
    if (rootViolations > 0) {
      const pi = flow.potential;
      const sinkPotential = pi[flowCount + mentorCount] ?? 0;
      rootPrices = Float64Array.from({ length: flowCount }, (_, f) => Math.max(0, (pi[f] ?? 0) - sinkPotential));
      for (let j = 0; j < mentorCount; j++) relaxedMatched += flow.mentorLoad(j);
    }
    // Many mentors under the minimum at once (mentees scarce, or a load cost that outweighs the pair
    // scores): the pod search's bounds know the minimum pod, the flow's do not.
    if (rootViolations >= podSearchViolations) return solveByPodSearch(null, 0);
    if (rootViolations >= manyViolations) {
      // Dive once for an incumbent, then search from the root again, where the Lagrangian can now fix
      // mentors against it for the whole tree.
      diving = true;
      search();
      diving = false;
      // Back at the root's state: with an incumbent to aim at, the subgradient tightens the root bound
      // (any prices give a valid bound), which is what a node-limited result reports as its gap.
      // The search itself keeps the prices it had (its node counts are better from the dive's prices).
      if (best.assignment) {
        const searchPrices = bestPrices.slice();
        const hadWarmPrices = warmPrices;
        rootBound = Math.min(rootBound, lagrangianBound(rootSubgradientSteps, best.value));
        bestPrices.set(searchPrices);
        warmPrices = hadWarmPrices;
      }
    }
    search();
  } catch (error) {
    if (error === handOverToPodSearch) return solveByPodSearch(best.assignment, branchNodes - 1);
    if (!(error instanceof OutOfTime)) throw error;
    exhausted = true;
    stoppedBy = 'time-budget';
  }
  if (!best.assignment) {
    // Out of time before the first assignment: a greedy one (only reachable with a time budget; the
    // first dive closes mentors until the relaxation is feasible, and all closed is feasible).
    best.assignment = greedyAssignment(index, scan, never, flowMentees);
    best.value = domainValue(context, index, toDomainAssignment(best.assignment, flowMentees, menteeCount));
  }
  const chosen = best.assignment;

  return {
    assignment: toDomainAssignment(chosen, flowMentees, menteeCount),
    value: best.value,
    upperBound: exhausted ? Math.max(best.value, rootBound) : best.value,
    pricingRounds,
    initialArcs,
    pricedArcs,
    allowedPairs: scan.allowedPairs,
    rootViolations,
    branchNodes,
    proven: !exhausted,
    stoppedBy,
  };
};

/** Flow mentee -> mentor, as domain mentee -> mentor (-1: unmatched). */
const toDomainAssignment = (
  byFlowMentee: Int32Array,
  flowMentees: readonly number[],
  menteeCount: number,
): Int32Array => {
  const assignment = new Int32Array(menteeCount).fill(-1);
  flowMentees.forEach((i, f) => {
    assignment[i] = byFlowMentee[f] ?? -1;
  });
  return assignment;
};

/**
 * A feasible assignment without search, for a domain whose time ran out before any was found: each
 * mentee (fewest options first) takes its best candidate mentor with room; mentors left under their
 * minimum give their mentees back, who then join mentors that reached it, if any has room.
 */
export const greedyAssignment = (
  index: DomainIndex,
  scan: ScanResult,
  never: Uint8Array,
  flowMentees: readonly number[],
): Int32Array => {
  const mentorCount = index.mentors.length;
  const load = new Int32Array(mentorCount);
  const chosen = new Int32Array(flowMentees.length).fill(-1);
  const order = [...flowMentees.keys()].sort(
    (a, b) =>
      (scan.candidateCount[flowMentees[a] as number] as number) -
        (scan.candidateCount[flowMentees[b] as number] as number) || a - b,
  );
  const place = (f: number, admissible: (j: number) => boolean): void => {
    const i = flowMentees[f] as number;
    const first = i * scan.keep;
    const last = first + (scan.candidateCount[i] as number);
    for (let c = first; c < last; c++) {
      const j = scan.candidates[c] as number;
      if (never[j] || (load[j] as number) >= (index.openSlots[j] as number) || !admissible(j)) continue;
      chosen[f] = j;
      load[j] = (load[j] as number) + 1;
      return;
    }
  };
  for (const f of order) place(f, () => true);
  const short = (j: number) => (load[j] as number) > 0 && (load[j] as number) < (index.required[j] as number);
  const released: number[] = [];
  for (const f of order) {
    const j = chosen[f] as number;
    if (j >= 0 && short(j)) released.push(f);
  }
  for (const f of released) {
    load[chosen[f] as number] = 0;
    chosen[f] = -1;
  }
  for (const f of released) {
    place(f, (j) => (index.required[j] as number) === 0 || (load[j] as number) >= (index.required[j] as number));
  }
  return chosen;
};

/** The objective part of a domain's new pairs, recomputed from scratch (for the engine's self-check). */
export const domainValue = (context: MatchingContext, index: DomainIndex, assignment: Int32Array): number => {
  const loads = new Int32Array(index.mentors.length);
  let value = 0;
  assignment.forEach((j, i) => {
    if (j < 0) return;
    const score = index.pairScore(i, j);
    if (score === forbidden) throw new Error(`domain ${index.domain}: forbidden pair chosen`);
    value += context.coverageBonus + score;
    loads[j] = (loads[j] ?? 0) + 1;
  });
  loads.forEach((added, j) => {
    const locked = index.lockedCount[j] ?? 0;
    value -= context.loadCost(locked + added) - context.loadCost(locked);
  });
  return value;
};

/** The domain's problem over its flow mentees, every allowed pair grouped by mentor, for `searchPods`. */
const podProblemOf = (
  context: MatchingContext,
  index: DomainIndex,
  flowMentees: readonly number[],
  never: Uint8Array,
): PodProblem => {
  const mentorCount = index.mentors.length;
  const pairStart = new Int32Array(mentorCount + 1);
  const mentees: number[] = [];
  const scores: number[] = [];
  for (let j = 0; j < mentorCount; j++) {
    if (!never[j]) {
      flowMentees.forEach((i, f) => {
        const score = index.pairScore(i, j);
        if (score === forbidden) return;
        mentees.push(f);
        scores.push(score);
      });
    }
    pairStart[j + 1] = mentees.length;
  }
  return {
    menteeCount: flowMentees.length,
    mentorCount,
    bonus: context.coverageBonus,
    loadStep: context.params.centipoints.balancedLoad,
    locked: index.lockedCount.slice(),
    slots: Int32Array.from({ length: mentorCount }, (_, j) => (never[j] ? 0 : (index.openSlots[j] ?? 0))),
    required: index.required.slice(),
    pairStart,
    pairMentee: Int32Array.from(mentees),
    pairScore: Float64Array.from(scores),
  };
};
