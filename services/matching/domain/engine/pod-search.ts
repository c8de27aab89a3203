import { Deadline, OutOfTime } from './deadline';
import { PodFlow } from './min-cost-flow';
import {
  CLOSED,
  FREE,
  insertDescending,
  OPEN,
  onGrid,
  PodLagrangian,
  type PodProblem,
  UNDECIDED,
} from './pod-lagrangian';
import { assignmentOfMip, buildPodMip } from './pod-mip';
import type { MipOutcome, MipSolver } from './types';

/**
 * Exact search for domains where the minimum pod decides a lot (mentees scarce, or a load cost that
 * outweighs the pair scores): branch and bound over "mentor open or closed", bounded by the Lagrangian
 * of `pod-lagrangian.ts` (the pod formulation's LP bound and more).
 *
 * 1. Root: prices from the caller (the flow's duals), improved by subgradient steps aimed at the
 *    incumbent; incumbents come from a min-cost flow over the mentors the Lagrangian opens (after each
 *    round, those its exact bound opens: the best load profile where the load cost dominates), and a
 *    local search over which mentors open (over each mentee's best pairs while the pairs are many).
 * 2. Reduced-cost fixing against the incumbent, at the root for the whole search and again at every
 *    node: a mentor whose opening (closing) cannot beat the incumbent is closed (opened), and a pair that
 *    cannot be in any better assignment is dropped. At the root this leaves a few per cent of the pairs.
 * 3. Branch on the mentor the subgradient's recent pods open about half the time; children inherit their
 *    parent's prices. A node whose mentors are all decided is solved exactly by the flow.
 * 4. Every incumbent raises the least total the bound may take: the coverage bonus outweighs any score
 *    and load, so a better assignment matches at least as many. With the total pinned, the bound's
 *    dynamic programme sees that pods come in whole sizes, which is what closes domains whose load cost
 *    outweighs the pair scores (a 240-person one with balancedLoad 1,000 in 19 nodes, not 50 s of HiGHS).
 * 5. With a MIP solver, what is left after `nodesBeforeMip` nodes is handed to it (`solveWithMip`).
 *
 * Every bound is exact (see `PodLagrangian`); a node is pruned when its bound cannot exceed the
 * incumbent by a whole centipoint.
 */

export interface PodSearchOptions {
  /** Prices to start from (e.g. the flow's duals), one per mentee. */
  prices: ArrayLike<number>;
  /** Every better assignment matches at least / at most this many mentees. */
  minTotal: number;
  maxTotal: number;
  /** An assignment to start from (mentee -> mentor or -1), if any: used when it is feasible. */
  incumbent?: Int32Array | null;
  deadline?: Deadline;
  maxNodes?: number;
  /** A MIP solver for the reduced problem, once the search has taken `nodesBeforeMip` nodes. */
  mipSolver?: MipSolver | null;
  nodesBeforeMip?: number;
  /**
   * Pairs per mentee in the root's heuristic flows while the active pairs are more than twice as many
   * (default `restrictedFlowPairsPerMentee`); tests lower it to take that path on small problems.
   */
  flowPairsPerMentee?: number;
}

export interface PodSearchResult {
  assignment: Int32Array;
  value: number;
  /** Proven upper bound on the optimum (equal to `value` when proven). */
  upperBound: number;
  nodes: number;
  proven: boolean;
  stoppedBy: 'node-limit' | 'time-budget' | null;
  /** Pairs left after the root's reduced-cost fixing. */
  rootPairs: number;
  rootBound: number;
  /** Root rounds whose flows held only each mentee's best pairs (`flowPairsPerMentee`). */
  restrictedRounds: number;
  /** The MIP solver's outcome, when the reduced problem was handed to it. */
  mip: MipOutcome['status'] | null;
}

/** Subgradient steps per round at the root, and rounds (steps, reduction, local search). */
const rootIterations = 150;
const rootRounds = 4;
const nodeIterations = 60;
const stallsBeforeHalving = 12;
/** Pairs per mentee in the flow that finds the first incumbent. */
const firstFlowPairsPerMentee = 8;
/**
 * Pairs per mentee in the root's heuristic flows while the active pairs are many (more than twice as
 * many per mentee): each flow of the local search then costs a fraction of one over every pair, and
 * the pairs the fixing drops are mostly the ones left out. Once they are few, or once a round finds
 * nothing, the rounds go on over every active pair, which is what finds the last improvements. On a
 * 2,000-person domain with 40% mentors (366,463 pairs, 997 mentees) the root took 19 s with every
 * flow over every pair, and takes 7.7 s so, with an incumbent as good.
 */
const restrictedFlowPairsPerMentee = 30;
/**
 * Mentors to close and to open tried pairwise by the local search (15 x 15 flows). Where many mentors
 * can take the same mentees at the same load, the best assignment is often one swap from a local
 * optimum, and a better incumbent is what lets the root's fixing shrink what HiGHS gets: 6 missed the
 * swap that closes a 1,000-person domain with 40% mentors (seed 42) within 60 s.
 */
const swapCandidates = 15;
/**
 * Before the full MIP, a MIP over each mentee's 5 best pairs (at the root's prices) when the pairs are
 * more than twice as many, given at most a fifth of the time left. Where pair scores tie in large groups
 * the root's flows pick among equals blindly: on a 1,000-person domain with seniority as the only weight
 * (4 distinct scores) the root's bound was the optimum but its incumbent 6,667 points below, so the fixing
 * kept all 103,799 pairs and HiGHS took 46 s on them; the restricted MIP (5,361 pairs) finds the optimum in
 * 1.8 s, which the bound then proves. Of 14 dumped hard domains it ran on 5: it found a better incumbent
 * on 4 (with skills the only pair weight, 35% mentors, the full solve then closes in 22 s what it left 3
 * points short at 60 s) and cost 0.1 s on the fifth.
 */
const restrictedMipPairsPerMentee = 5;
const restrictedMipShare = 0.2;
/**
 * The score solve is stopped and restarted at a solution that closes at least this share of the gap
 * between its start and HiGHS's bound: fixing against it shrinks the problem far more than HiGHS's own
 * fixing does (on the 2,000-person domain of seed 41 with 40% mentors, a solution found after 22 s took
 * the reduced problem from 8,871 pairs to 6,111, on which HiGHS found the optimum and proved it). A
 * smaller gain is not worth HiGHS's root again (3-4 s on 5,000 pairs): stopping at every better solution
 * made other hard domains up to 7 s slower.
 */
const restartShare = 0.5;

export const searchPods = (problem: PodProblem, options: PodSearchOptions): PodSearchResult => {
  const deadline = options.deadline ?? Deadline.never;
  const lagrangian = new PodLagrangian(problem);
  lagrangian.minTotal = options.minTotal;
  lagrangian.maxTotal = options.maxTotal;
  lagrangian.setPrices(options.prices);
  const mentorCount = problem.mentorCount;
  const menteeCount = problem.menteeCount;
  const stride = lagrangian.maxSlots + 1;
  const forcing = 2 * problem.bonus;

  // Nobody matched is feasible and worth 0.
  const best: { assignment: Int32Array; value: number } = {
    assignment: new Int32Array(menteeCount).fill(-1),
    value: 0,
  };
  const beats = (bound: number): boolean => Math.floor(bound) > best.value;
  const matchedBy = (assignment: Int32Array): number => {
    let matched = 0;
    for (const j of assignment) if (j >= 0) matched += 1;
    return matched;
  };
  /** The value of an assignment (mentee -> mentor) over the problem's pairs: B + score per pair, minus load. */
  const assignmentValue = (assignment: Int32Array): number => {
    const load = new Int32Array(mentorCount);
    let value = 0;
    for (let j = 0; j < mentorCount; j++) {
      for (let q = problem.pairStart[j] as number; q < (problem.pairStart[j + 1] as number); q++) {
        const f = problem.pairMentee[q] as number;
        if (assignment[f] !== j) continue;
        value += problem.bonus + (problem.pairScore[q] as number);
        load[j] = (load[j] as number) + 1;
      }
    }
    for (let j = 0; j < mentorCount; j++) {
      for (let k = 1; k <= (load[j] as number); k++) value -= lagrangian.marginal(j, k);
    }
    return value;
  };
  /** Every pair allowed and every mentor's load 0 or within [required, slots]: a solver's answer is checked. */
  const isFeasible = (assignment: Int32Array): boolean => {
    const load = new Int32Array(mentorCount);
    for (let j = 0; j < mentorCount; j++) {
      for (let q = problem.pairStart[j] as number; q < (problem.pairStart[j + 1] as number); q++) {
        if (assignment[problem.pairMentee[q] as number] === j) load[j] = (load[j] as number) + 1;
      }
    }
    let placed = 0;
    for (let j = 0; j < mentorCount; j++) {
      const n = load[j] as number;
      if (n > 0 && (n < (problem.required[j] as number) || n > (problem.slots[j] as number))) return false;
      placed += n;
    }
    // A mentee placed with a mentor it has no pair with is not counted in any load.
    return placed === matchedBy(assignment);
  };
  /**
   * A new incumbent. The coverage bonus outweighs any score and load, so every better assignment
   * matches at least as many mentees: the bound's total may not fall below the incumbent's.
   */
  const adopt = (assignment: Int32Array, value: number): void => {
    best.assignment = assignment;
    best.value = value;
    lagrangian.minTotal = Math.max(lagrangian.minTotal, Math.min(matchedBy(assignment), lagrangian.maxTotal));
  };

  let nodes = 0;
  // ---- Heuristic: the exact flow over the mentors a decision opens -------------------------------
  let flow: PodFlow | null = null;
  const flowState = new Uint8Array(mentorCount).fill(255);
  /**
   * The heuristic's flow over the active pairs, or only each mentee's `perMentee` best ones at the
   * current prices and the incumbent's (while the pairs are many: its assignments are feasible, only
   * perhaps not the best the open mentors allow).
   */
  /** Whether the active pairs are more than twice `perMentee` a mentee (worth restricting to those). */
  const hasManyPairs = (perMentee: number): boolean =>
    (lagrangian.start[mentorCount] as number) > 2 * perMentee * menteeCount;
  /** Marks each mentee's `perMentee` best active pairs at the current prices, and the incumbent's. */
  const bestPairs = (perMentee: number): Uint8Array => {
    const use = new Uint8Array(lagrangian.start[mentorCount] as number);
    const kept = new Int32Array(menteeCount * perMentee).fill(-1);
    const keptValue = new Float64Array(menteeCount * perMentee).fill(Number.NEGATIVE_INFINITY);
    for (let j = 0; j < mentorCount; j++) {
      for (let q = lagrangian.start[j] as number; q < (lagrangian.start[j + 1] as number); q++) {
        const f = lagrangian.mentee[q] as number;
        const value = (lagrangian.worth[q] as number) - (lagrangian.prices[f] as number);
        const base = f * perMentee;
        if (value <= (keptValue[base + perMentee - 1] as number)) continue;
        insertDescending(keptValue, kept, base, perMentee - 1, value, q);
      }
    }
    for (const q of kept) if (q >= 0) use[q] = 1;
    for (let j = 0; j < mentorCount; j++) {
      for (let q = lagrangian.start[j] as number; q < (lagrangian.start[j + 1] as number); q++) {
        if (best.assignment[lagrangian.mentee[q] as number] === j) use[q] = 1;
      }
    }
    return use;
  };
  const buildFlow = (perMentee = Number.POSITIVE_INFINITY): PodFlow => {
    const pairs = lagrangian.start[mentorCount] as number;
    const use = perMentee < Number.POSITIVE_INFINITY ? bestPairs(perMentee) : null;
    flowState.fill(255);
    const built = new PodFlow(menteeCount, mentorCount, lagrangian.maxSlots, pairs + 16);
    for (let j = 0; j < mentorCount; j++) {
      for (let q = lagrangian.start[j] as number; q < (lagrangian.start[j + 1] as number); q++) {
        if (!use || use[q]) built.addArc(lagrangian.mentee[q] as number, j, -(lagrangian.worth[q] as number));
      }
    }
    return built;
  };
  /** Sets mentor j open (forced to its minimum), closed or free in the flow. */
  const setFlowState = (target: PodFlow, j: number, open: boolean | null): void => {
    const code = open === null ? FREE : open ? OPEN : CLOSED;
    if (flowState[j] === code) return;
    flowState[j] = code;
    const slots = problem.slots[j] as number;
    if (code === CLOSED || slots === 0) {
      target.setMarginals(j, []);
      return;
    }
    const marginals = Array.from({ length: slots }, (_, k) => lagrangian.marginal(j, k + 1));
    if (code === OPEN)
      for (let k = 0; k < (problem.required[j] as number); k++) marginals[k] = (marginals[k] as number) - forcing;
    target.setMarginals(j, marginals);
  };
  /**
   * Opens exactly the mentors `open` marks (FREE ones stay free), solves the flow and, when some
   * opened mentor cannot reach its minimum, closes it and solves again. Records an improvement and
   * returns the value found.
   */
  const tryOpenSet = (open: Uint8Array): number => {
    if (!flow) flow = buildFlow();
    const target = flow;
    for (let j = 0; j < mentorCount; j++) {
      if ((problem.required[j] as number) === 0) setFlowState(target, j, null);
      else setFlowState(target, j, open[j] === 1);
    }
    // Each round closes at least one mentor, so this ends (all closed is feasible).
    for (;;) {
      target.solve(deadline);
      let short = false;
      let forcedSlots = 0;
      for (let j = 0; j < mentorCount; j++) {
        if (flowState[j] !== OPEN) continue;
        if (target.mentorLoad(j) < (problem.required[j] as number)) {
          setFlowState(target, j, false);
          short = true;
        } else {
          forcedSlots += problem.required[j] as number;
        }
      }
      if (short) continue;
      const value = -target.cost() - forcing * forcedSlots;
      if (value > best.value) adopt(target.assignment(), value);
      return value;
    }
  };
  /** The mentors with a minimum that the incumbent opens. */
  const incumbentOpenSet = (): Uint8Array => {
    const open = new Uint8Array(mentorCount);
    for (const j of best.assignment) if (j >= 0 && (problem.required[j] as number) > 0) open[j] = 1;
    return open;
  };
  /**
   * Local search from the incumbent over which mentors open: flips one undecided mentor at a time,
   * most promising first by the Lagrangian's bound with it flipped (evaluated at the current prices),
   * keeping every flip that improves the incumbent.
   */
  const localSearch = (candidates: number): void => {
    const others = lagrangian.othersRelaxed();
    const { gain, state } = lagrangian;
    const priceSum = lagrangian.priceSum;
    const open = incumbentOpenSet();
    const flips: Array<{ j: number; bound: number }> = [];
    for (let j = 0; j < mentorCount; j++) {
      if (state[j] !== UNDECIDED) continue;
      const base = j * stride;
      let bound = Number.NEGATIVE_INFINITY;
      if (open[j]) bound = priceSum + (others[base] as number);
      else {
        for (let n = 1; n < stride; n++) {
          const g = gain[base + n] as number;
          if (g !== Number.NEGATIVE_INFINITY) bound = Math.max(bound, priceSum + g + (others[base + n] as number));
        }
      }
      if (beats(bound)) flips.push({ j, bound });
    }
    flips.sort((a, b) => b.bound - a.bound || a.j - b.j);
    for (const { j } of flips.slice(0, candidates)) {
      deadline.check();
      const before = best.value;
      open[j] = open[j] ? 0 : 1;
      tryOpenSet(open);
      if (best.value > before) open.set(incumbentOpenSet());
      else open[j] = open[j] ? 0 : 1;
    }
    // Swaps: close one open mentor and open one closed mentor, among the most promising of each.
    const closing = flips.filter(({ j }) => open[j] === 1).slice(0, swapCandidates);
    const opening = flips.filter(({ j }) => open[j] === 0).slice(0, swapCandidates);
    for (const a of closing) {
      for (const b of opening) {
        if (open[a.j] !== 1 || open[b.j] !== 0) continue;
        deadline.check();
        const before = best.value;
        open[a.j] = 0;
        open[b.j] = 1;
        tryOpenSet(open);
        if (best.value > before) open.set(incumbentOpenSet());
        else {
          open[a.j] = 1;
          open[b.j] = 0;
        }
      }
    }
  };
  const openSetFromLagrangian = (): Uint8Array => {
    const open = new Uint8Array(mentorCount);
    for (let j = 0; j < mentorCount; j++) {
      const s = lagrangian.state[j];
      open[j] = s === OPEN || (s === UNDECIDED && (lagrangian.size[j] as number) > 0) ? 1 : 0;
    }
    return open;
  };

  /** Whether bounds keep the total of pod sizes exact (dynamic programme), decided at the root. */
  let exactTotals = true;

  // ---- Subgradient ------------------------------------------------------------------------------
  const bestPrices = new Float64Array(menteeCount);
  const openShare = new Float64Array(mentorCount);
  /**
   * Improves the prices by up to `iterations` Polyak steps on the cheap bound, aimed at the incumbent,
   * then returns the exact bound (`evaluateExact`) at the best prices found, leaving the Lagrangian
   * evaluated there. `openShare` gets the share of the later steps in which each mentor opened a pod
   * (for branching). With `heuristicEvery` (the root), the flow tries the mentors the prices open every
   * that many steps, and at the end those the exact bound's pods open.
   */
  const improve = (iterations: number, heuristicEvery = 0): number => {
    let current = lagrangian.evaluate();
    let bound = current;
    bestPrices.set(lagrangian.prices);
    let bestTotalPrice = lagrangian.totalPrice;
    openShare.fill(0);
    let samples = 0;
    let theta = 1;
    let stalled = 0;
    const prices = lagrangian.prices;
    const chosen = lagrangian.chosen;
    for (let iteration = 0; iteration < iterations; iteration++) {
      if (!beats(bound)) break;
      deadline.check();
      if (heuristicEvery > 0 && iteration % heuristicEvery === heuristicEvery - 1) {
        tryOpenSet(openSetFromLagrangian());
        if (!beats(bound)) break;
      }
      let norm = 0;
      for (let f = 0; f < menteeCount; f++) {
        const g = 1 - (chosen[f] as number);
        if (g > 0 && (prices[f] as number) === 0) continue;
        norm += g * g;
      }
      if (norm === 0) break; // disjoint pods of the right total: the bound is met by an assignment
      const step = (theta * (current - best.value)) / norm;
      for (let f = 0; f < menteeCount; f++) {
        const g = 1 - (chosen[f] as number);
        if (g === 0 || (g > 0 && (prices[f] as number) === 0)) continue;
        prices[f] = Math.max(0, onGrid((prices[f] as number) - step * g));
      }
      current = lagrangian.evaluate();
      if (iteration >= iterations / 2) {
        samples += 1;
        for (let j = 0; j < mentorCount; j++)
          if ((lagrangian.size[j] as number) > 0) openShare[j] = (openShare[j] as number) + 1;
      }
      if (current < bound) {
        bound = current;
        bestPrices.set(prices);
        bestTotalPrice = lagrangian.totalPrice;
        stalled = 0;
      } else if (++stalled >= stallsBeforeHalving) {
        theta /= 2;
        stalled = 0;
        if (theta < 1e-4) break;
      }
    }
    if (samples > 0) for (let j = 0; j < mentorCount; j++) openShare[j] = (openShare[j] as number) / samples;
    else for (let j = 0; j < mentorCount; j++) openShare[j] = (lagrangian.size[j] as number) > 0 ? 1 : 0;
    prices.set(bestPrices);
    lagrangian.totalPrice = bestTotalPrice;
    const relaxed = lagrangian.evaluate();
    if (!exactTotals || !beats(relaxed)) return relaxed;
    const exact = lagrangian.evaluateExact();
    // The exact bound's pods have whole sizes that meet the total. Where the load cost outweighs the
    // pair scores, the mentors they open have the best load profile (say 49 new pods of 3 and one
    // mentor with 2 locked taking 1), which the local search's flips of one or two mentors cannot
    // reach from a profile one load step worse (2 mentors with 1 locked taking 2 each, one pod fewer).
    if (heuristicEvery > 0 && beats(exact)) tryOpenSet(openSetFromLagrangian());
    return exact;
  };

  // ---- Reduced-cost fixing ----------------------------------------------------------------------
  /**
   * At the current (best) prices: closes or opens the undecided mentors the incumbent decides, and
   * returns a mask of the active pairs that can still be in a better assignment (null: keep all).
   * Mentors changed are pushed on `fixed`.
   */
  const fixByReducedCost = (fixed: number[], prunePairs: boolean): Uint8Array | null => {
    const others = exactTotals ? lagrangian.othersGiven() : lagrangian.othersRelaxed();
    const priceSum = lagrangian.priceSum;
    const { gain, top, topCount, topValue, state } = lagrangian;
    const maxSlots = lagrangian.maxSlots;
    for (let j = 0; j < mentorCount; j++) {
      if (state[j] !== UNDECIDED) continue;
      const base = j * stride;
      let openBound = Number.NEGATIVE_INFINITY;
      for (let n = 1; n < stride; n++) {
        const g = gain[base + n] as number;
        const o = others[base + n] as number;
        if (g !== Number.NEGATIVE_INFINITY && o !== Number.NEGATIVE_INFINITY) openBound = Math.max(openBound, g + o);
      }
      const closedBound = others[base] as number;
      if (!beats(priceSum + openBound)) {
        state[j] = CLOSED;
        fixed.push(j);
      } else if (!beats(priceSum + closedBound)) {
        state[j] = OPEN;
        fixed.push(j);
      }
    }
    if (!prunePairs) return null;
    const keep = new Uint8Array(lagrangian.start[mentorCount] as number);
    let dropped = 0;
    for (let j = 0; j < mentorCount; j++) {
      const begin = lagrangian.start[j] as number;
      const end = lagrangian.start[j + 1] as number;
      if (state[j] === CLOSED) {
        dropped += end - begin;
        continue;
      }
      const base = j * stride;
      const topBase = j * maxSlots;
      const count = topCount[j] as number;
      for (let q = begin; q < end; q++) {
        let inTop = -1;
        for (let k = 0; k < count; k++) {
          if ((top[topBase + k] as number) === q) {
            inTop = k;
            break;
          }
        }
        const value = (lagrangian.worth[q] as number) - (lagrangian.prices[lagrangian.mentee[q] as number] as number);
        let bound = Number.NEGATIVE_INFINITY;
        for (let n = 1; n < stride; n++) {
          const g = gain[base + n] as number;
          const o = others[base + n] as number;
          if (g === Number.NEGATIVE_INFINITY || o === Number.NEGATIVE_INFINITY) continue;
          // Best pod of n holding this pair: the top n, or the top n - 1 and this one.
          const withPair = inTop >= 0 && inTop < n ? g : g - (topValue[topBase + n - 1] as number) + value;
          bound = Math.max(bound, withPair + o);
        }
        if (beats(priceSum + bound)) keep[q] = 1;
        else dropped += 1;
      }
    }
    return dropped > 0 ? keep : null;
  };

  if (options.incumbent && isFeasible(options.incumbent)) {
    const value = assignmentValue(options.incumbent);
    if (value > best.value) adopt(options.incumbent.slice(), value);
  }

  // ---- Root -------------------------------------------------------------------------------------
  // A first incumbent from each mentee's best few pairs, prices improved against it, then the pairs
  // reduced and the incumbent improved by local search over the fewer pairs, and again: first with
  // flows over each mentee's best pairs while the pairs are many, then over every active pair.
  lagrangian.evaluate();
  flow = buildFlow(firstFlowPairsPerMentee);
  tryOpenSet(openSetFromLagrangian());
  let rootBound = improve(rootIterations, 25);
  const rootFixed: number[] = [];
  const flowPairsPerMentee = options.flowPairsPerMentee ?? restrictedFlowPairsPerMentee;
  let restrictedFlows = true;
  let restrictedRounds = 0;
  const reduceAtRoot = (): void => {
    if (!beats(rootBound)) return;
    const keep = fixByReducedCost(rootFixed, true);
    if (keep) lagrangian.restrict(keep);
    if (!hasManyPairs(flowPairsPerMentee)) restrictedFlows = false;
    flow = buildFlow(restrictedFlows ? flowPairsPerMentee : Number.POSITIVE_INFINITY);
  };
  reduceAtRoot();
  // Rounds over every pair stop after `rootRounds` or at the first that finds nothing; rounds over
  // the best pairs, at the first that finds nothing (then the flows take every pair). Every round
  // checks the deadline, and there are at most `3 * rootRounds`.
  let fullRounds = 0;
  for (let round = 0; round < 3 * rootRounds && fullRounds < rootRounds && beats(rootBound); round++) {
    const before = best.value;
    const restrictedRound = restrictedFlows;
    lagrangian.evaluate();
    localSearch(40);
    rootBound = improve(rootIterations, 25);
    const foundNothing = best.value === before && round > 0;
    // A restricted round that finds nothing: the next ones (and the flow built now) take every pair.
    if (foundNothing) restrictedFlows = false;
    reduceAtRoot();
    if (restrictedRound) restrictedRounds += 1;
    else fullRounds += 1;
    if (foundNothing && !restrictedRound) break;
  }
  // The search's leaves are solved exactly by the flow: from here on it holds every active pair (the
  // reduction below builds it; without it the root has closed the domain and no flow is solved again).
  restrictedFlows = false;
  if (beats(rootBound)) {
    // The dynamic programme pays where whole pod sizes matter (a load cost that outweighs the scores);
    // elsewhere the cheap bound is as tight and it is left out.
    const relaxed = lagrangian.evaluate();
    const exact = lagrangian.evaluateExact();
    exactTotals = Math.floor(exact) < Math.floor(relaxed);
    rootBound = exactTotals ? exact : lagrangian.evaluate();
    reduceAtRoot();
  }
  const rootPairs = lagrangian.start[mentorCount] as number;
  let stoppedBy: PodSearchResult['stoppedBy'] = null;
  const maxNodes = options.maxNodes ?? Number.POSITIVE_INFINITY;
  const mipSolver = options.mipSolver ?? null;
  const nodesBeforeMip = options.nodesBeforeMip ?? 0;
  let handOff = false;
  let mip: MipOutcome['status'] | null = null;

  /** Adopts a MIP's assignment when it matches `total`, keeps every rule and beats the incumbent. */
  const adoptIfBetter = (found: Int32Array | null, total: number): boolean => {
    if (!found || matchedBy(found) !== total || !isFeasible(found)) return false;
    const value = assignmentValue(found);
    if (value <= best.value) return false;
    adopt(found, value);
    return true;
  };

  /**
   * A MIP over each mentee's best pairs at the root's prices and the incumbent's, when the coverage is
   * settled and the pairs are many: small, so HiGHS answers in a fraction of the time, and what it finds
   * is feasible for the whole problem. A better incumbent is fixed against at once: returns true when
   * that proves it (nothing left can beat it), otherwise the full solve gets fewer pairs and a better start.
   */
  const improveWithRestrictedMip = (solver: MipSolver, seconds: number): boolean => {
    const total = lagrangian.minTotal;
    if (total !== lagrangian.maxTotal || !hasManyPairs(restrictedMipPairsPerMentee)) return false;
    const saved = save();
    lagrangian.restrict(bestPairs(restrictedMipPairsPerMentee));
    const start = matchedBy(best.assignment) === total ? best.assignment : null;
    const outcome = solver.solve(buildPodMip(lagrangian, 'score', total, total, start), { timeLimitSeconds: seconds });
    // Read against the restricted pairs, checked and valued against the whole problem.
    const found = assignmentOfMip(lagrangian, outcome);
    restore(saved);
    if (!adoptIfBetter(found, total)) return false;
    return fixAgainstIncumbent();
  };

  /**
   * After a MIP found a better incumbent: true when the root's bound proves it, otherwise the pairs and
   * mentor decisions that cannot beat it are fixed at once, so the next solve gets a smaller problem.
   */
  const fixAgainstIncumbent = (): boolean => {
    if (!beats(exactTotals ? lagrangian.evaluateExact() : lagrangian.evaluate())) return true;
    const keep = fixByReducedCost(rootFixed, true);
    if (keep) lagrangian.restrict(keep);
    return false;
  };

  /**
   * Hands the root's reduced problem to the MIP solver: coverage first when it is not settled, then
   * the score with that coverage. Returns the proven bound (Infinity when it proved nothing).
   */
  const solveWithMip = (solver: MipSolver): number => {
    const seconds = () => Math.max(0.001, deadline.remaining() / 1000);
    if (improveWithRestrictedMip(solver, seconds() * restrictedMipShare)) return best.value;
    // Every better assignment matches at least as many mentees as the incumbent (`adopt` keeps it so).
    let total = lagrangian.minTotal;
    if (total < lagrangian.maxTotal) {
      const coverage = solver.solve(buildPodMip(lagrangian, 'coverage', total, lagrangian.maxTotal, best.assignment), {
        timeLimitSeconds: seconds(),
      });
      mip = coverage.status;
      // The reduced problem holds only what could beat the incumbent: when it holds nothing, nothing does.
      if (coverage.status === 'infeasible') return best.value;
      const found = assignmentOfMip(lagrangian, coverage);
      if (coverage.status !== 'optimal' || !found) return Number.POSITIVE_INFINITY;
      total = matchedBy(found);
    }
    for (;;) {
      const start = matchedBy(best.assignment) === total ? best.assignment : null;
      const outcome = solver.solve(buildPodMip(lagrangian, 'score', total, total, start), {
        timeLimitSeconds: seconds(),
        // Restarted at a solution that closes half the gap HiGHS has left (see restartShare).
        ...(start ? { stopWhenGapClosed: restartShare } : {}),
      });
      mip = outcome.status;
      // Nothing with this coverage beats the incumbent (it is pinned: a coverage found above is feasible).
      if (outcome.status === 'infeasible') return best.value;
      const adopted = adoptIfBetter(assignmentOfMip(lagrangian, outcome), total);
      if (outcome.status === 'improved' && adopted) {
        if (fixAgainstIncumbent()) return best.value;
        continue;
      }
      // An interrupted solve's bound holds as a stopped one's does.
      return outcome.status === 'optimal' || outcome.status === 'limit' || outcome.status === 'improved'
        ? problem.bonus * total + Math.floor(outcome.bound + 1e-6)
        : Number.POSITIVE_INFINITY;
    }
  };

  // ---- Branch and bound -------------------------------------------------------------------------
  type Saved = { start: Int32Array; mentee: Int32Array; worth: Float64Array; origin: Int32Array };
  const save = (): Saved => ({
    start: lagrangian.start,
    mentee: lagrangian.mentee,
    worth: lagrangian.worth,
    origin: lagrangian.origin,
  });
  const restore = (saved: Saved): void => {
    lagrangian.start = saved.start;
    lagrangian.mentee = saved.mentee;
    lagrangian.worth = saved.worth;
    lagrangian.origin = saved.origin;
  };

  const search = (): void => {
    nodes += 1;
    if (nodes > maxNodes) {
      stoppedBy = 'node-limit';
      return;
    }
    if (mipSolver && nodes > nodesBeforeMip) {
      handOff = true;
      return;
    }
    deadline.check();
    const savedPairs = save();
    const savedPrices = lagrangian.prices.slice();
    const savedTotalPrice = lagrangian.totalPrice;
    const fixed: number[] = [];
    const undo = () => {
      for (const j of fixed) lagrangian.state[j] = UNDECIDED;
      restore(savedPairs);
      lagrangian.prices.set(savedPrices);
      lagrangian.totalPrice = savedTotalPrice;
    };
    let bound = improve(nodeIterations);
    for (let pass = 0; pass < 3 && beats(bound); pass++) {
      const before = fixed.length;
      const keep = fixByReducedCost(fixed, true);
      if (keep) lagrangian.restrict(keep);
      if (fixed.length === before && !keep) break;
      bound = improve(nodeIterations / 2);
    }
    if (!beats(bound)) {
      undo();
      return;
    }
    // Branch on the undecided mentor opened about half the time; none left: the flow is exact.
    let branch = -1;
    let closest = 2;
    for (let j = 0; j < mentorCount; j++) {
      if (lagrangian.state[j] !== UNDECIDED) continue;
      const distance = Math.abs((openShare[j] as number) - 0.5);
      if (distance < closest) {
        closest = distance;
        branch = j;
      }
    }
    if (branch < 0) {
      const open = new Uint8Array(mentorCount);
      for (let j = 0; j < mentorCount; j++) open[j] = lagrangian.state[j] === OPEN ? 1 : 0;
      tryOpenSet(open);
      undo();
      return;
    }
    const before = best.value;
    tryOpenSet(openSetFromLagrangian());
    if (best.value > before) localSearch(30);
    const first = (openShare[branch] as number) >= 0.5 ? OPEN : CLOSED;
    const nodePrices = lagrangian.prices.slice();
    const nodeTotalPrice = lagrangian.totalPrice;
    for (const choice of [first, first === OPEN ? CLOSED : OPEN]) {
      lagrangian.state[branch] = choice;
      lagrangian.prices.set(nodePrices);
      lagrangian.totalPrice = nodeTotalPrice;
      search();
      if (stoppedBy || handOff) break;
    }
    lagrangian.state[branch] = UNDECIDED;
    undo();
  };

  if (beats(rootBound)) {
    try {
      search();
    } catch (error) {
      if (!(error instanceof OutOfTime)) throw error;
      stoppedBy = 'time-budget';
    }
  }
  let mipBound = Number.POSITIVE_INFINITY;
  if (handOff && mipSolver) {
    try {
      mipBound = solveWithMip(mipSolver);
    } catch (error) {
      if (!(error instanceof OutOfTime)) throw error;
    }
    if (mipBound > best.value) stoppedBy = mip === 'limit' ? 'time-budget' : 'node-limit';
  }
  const proven = stoppedBy === null;
  rootBound = Math.min(Math.floor(rootBound), mipBound);
  return {
    assignment: best.assignment,
    value: best.value,
    upperBound: proven ? best.value : Math.max(best.value, rootBound),
    nodes,
    proven,
    stoppedBy,
    rootPairs,
    rootBound,
    restrictedRounds,
    mip,
  };
};
