/**
 * The Lagrangian bound of one domain's pod problem, for the search of hard domains (`pod-search.ts`).
 *
 * The problem: each mentee f takes at most one allowed mentor j (worth w_fj = B + s_fj); mentor j takes
 * n_j new mentees, n_j in {0} ∪ [r_j, u_j] (or anything in [0, u_j] when its locks already reach the
 * minimum, r_j = 0), paying the convex load cost c_j(k) = step * (locked_j + k - 1) for its k-th one.
 *
 * Dualising "each mentee at most once" with prices p_f >= 0 leaves one subproblem per mentor: its best
 * pod of an allowed size from all its allowed mentees, valued w - p. They are coupled by one more
 * constraint: the total of the pod sizes lies in [minTotal, maxTotal] (every assignment that can still
 * beat the incumbent matches that many mentees).
 *
 * - `evaluate` dualises that total too (price `totalPrice`): cheap, one pass over the pairs, used by
 *   the subgradient steps. Its minimum over all prices is the LP bound of the pod (set-partitioning)
 *   formulation, whose gap is small.
 * - `evaluateExact` keeps the total as a constraint, solved by a dynamic programme over mentors and
 *   totals: a bound at least as tight, which also sees that pods come in whole sizes (this matters when
 *   the load cost outweighs the pair scores: pods of 3 cannot cover a number of mentees that is not a
 *   multiple of 3).
 *
 * Exactness: prices are kept on a grid of 1/64, and every value is a sum of integers and such prices,
 * far below 2^53 / 64, so every bound is computed exactly in doubles. The optimum being an integer, a
 * bound L proves that nothing scores above floor(L).
 */

/** One domain's problem in flat arrays: mentors j, mentees f, allowed pairs grouped by mentor. */
export interface PodProblem {
  menteeCount: number;
  mentorCount: number;
  /** Coverage bonus B, part of every pair's worth. */
  bonus: number;
  /** balancedLoad in centipoints: the k-th mentee of a pod of `locked` costs step * (locked + k - 1). */
  loadStep: number;
  locked: Int32Array;
  /** New mentees a mentor may take (0: never). */
  slots: Int32Array;
  /** New mentees a mentor needs once it takes any (0: its locks reach the minimum). */
  required: Int32Array;
  /** Pairs of mentor j: pairStart[j] .. pairStart[j + 1]), with their mentee and pair score. */
  pairStart: Int32Array;
  pairMentee: Int32Array;
  pairScore: Float64Array;
}

export const FREE = 0;
export const UNDECIDED = 1;
export const OPEN = 2;
export const CLOSED = 3;

const priceGrid = 64;
/** Rounds onto the grid of 1/64 on which every price lives (so every sum is exact). */
export const onGrid = (value: number): number => Math.round(value * priceGrid) / priceGrid;
const negativeInfinity = Number.NEGATIVE_INFINITY;
/** Far beyond any price that matters (every worth is below 2^53 / 64): a search past it has no end. */
const maxTotalPriceStep = 2 ** 50;

/**
 * Puts (value, item) into a list kept in decreasing order of value at values[base ..], whose entry at
 * `last` is the free place (or the smallest, dropped): the larger entries before it shift down one.
 */
export const insertDescending = (
  values: Float64Array,
  items: Int32Array,
  base: number,
  last: number,
  value: number,
  item: number,
): void => {
  let position = last;
  while (position > 0 && (values[base + position - 1] as number) < value) {
    values[base + position] = values[base + position - 1] as number;
    items[base + position] = items[base + position - 1] as number;
    position -= 1;
  }
  values[base + position] = value;
  items[base + position] = item;
};

export class PodLagrangian {
  readonly problem: PodProblem;
  readonly mentorCount: number;
  readonly menteeCount: number;
  readonly maxSlots: number;
  /** Per mentor: FREE (r = 0), UNDECIDED, OPEN or CLOSED. */
  readonly state: Uint8Array;
  /** Active pairs (a subset of the problem's), grouped by mentor. */
  start: Int32Array;
  mentee: Int32Array;
  worth: Float64Array;
  /** Original pair index of each active pair. */
  origin: Int32Array;
  readonly prices: Float64Array;
  /** Price of the total's range (>= 0: of exceeding maxTotal; < 0: of falling short of minTotal). */
  totalPrice = 0;
  minTotal = 0;
  maxTotal: number;

  // Results of the last `evaluate`.
  value = negativeInfinity;
  /** How many chosen pods hold each mentee. */
  readonly chosen: Int32Array;
  /** Pod size each mentor chose. */
  readonly size: Int32Array;
  /** gain[j * (maxSlots + 1) + n]: mentor j's best pod of n (-Infinity when not allowed). */
  readonly gain: Float64Array;
  /** top[j * maxSlots + k]: the active pair of mentor j's (k+1)-th best mentee. */
  readonly top: Int32Array;
  readonly topCount: Int32Array;
  /** (w - p) of those pairs. */
  readonly topValue: Float64Array;
  priceSum = 0;

  private backward: Float64Array;
  private backwardChoice: Int8Array;
  private forward: Float64Array;
  evaluations = 0;

  constructor(problem: PodProblem) {
    this.problem = problem;
    this.mentorCount = problem.mentorCount;
    this.menteeCount = problem.menteeCount;
    let maxSlots = 1;
    for (let j = 0; j < problem.mentorCount; j++) maxSlots = Math.max(maxSlots, problem.slots[j] as number);
    this.maxSlots = maxSlots;
    this.state = new Uint8Array(problem.mentorCount);
    for (let j = 0; j < problem.mentorCount; j++) {
      this.state[j] =
        (problem.slots[j] as number) === 0 ? CLOSED : (problem.required[j] as number) > 0 ? UNDECIDED : FREE;
    }
    const pairs = problem.pairStart[problem.mentorCount] as number;
    this.start = problem.pairStart.slice();
    this.mentee = problem.pairMentee.slice();
    this.worth = Float64Array.from(problem.pairScore, (score) => problem.bonus + score);
    this.origin = Int32Array.from({ length: pairs }, (_, q) => q);
    this.prices = new Float64Array(problem.menteeCount);
    this.maxTotal = problem.menteeCount;
    this.chosen = new Int32Array(problem.menteeCount);
    this.size = new Int32Array(problem.mentorCount);
    this.gain = new Float64Array(problem.mentorCount * (maxSlots + 1));
    this.top = new Int32Array(problem.mentorCount * maxSlots);
    this.topCount = new Int32Array(problem.mentorCount);
    this.topValue = new Float64Array(problem.mentorCount * maxSlots);
    this.backward = new Float64Array(0);
    this.backwardChoice = new Int8Array(0);
    this.forward = new Float64Array(0);
    this.bestRelaxed = new Float64Array(problem.mentorCount);
  }

  /** The k-th new mentee's load cost for mentor j (k >= 1). */
  marginal(j: number, k: number): number {
    return this.problem.loadStep * ((this.problem.locked[j] as number) + k - 1);
  }

  /** Smallest pod size an open pod of mentor j may have, given its state (1 for FREE). */
  smallestPod(j: number): number {
    return Math.max(1, this.problem.required[j] as number);
  }

  /** Keeps only the active pairs `keep` marks (indexed like the current active arrays). */
  restrict(keep: Uint8Array): void {
    let count = 0;
    for (let q = 0; q < keep.length; q++) if (keep[q]) count += 1;
    const start = new Int32Array(this.mentorCount + 1);
    const mentee = new Int32Array(count);
    const worth = new Float64Array(count);
    const origin = new Int32Array(count);
    let at = 0;
    for (let j = 0; j < this.mentorCount; j++) {
      start[j] = at;
      const end = this.start[j + 1] as number;
      for (let q = this.start[j] as number; q < end; q++) {
        if (!keep[q]) continue;
        mentee[at] = this.mentee[q] as number;
        worth[at] = this.worth[q] as number;
        origin[at] = this.origin[q] as number;
        at += 1;
      }
    }
    start[this.mentorCount] = at;
    this.start = start;
    this.mentee = mentee;
    this.worth = worth;
    this.origin = origin;
  }

  /** Sets prices, rounded onto the exact grid. */
  setPrices(prices: ArrayLike<number>): void {
    for (let f = 0; f < this.menteeCount; f++) this.prices[f] = onGrid(Math.max(0, prices[f] as number));
  }

  /**
   * L(prices, totalPrice), exact: each mentor's best pod with the total dualised. Records the gains,
   * the chosen pod sizes and how often each mentee is in a chosen pod (the subgradient).
   */
  evaluate(): number {
    this.computeGains();
    const { size, chosen, top } = this;
    if (!this.totalReachable()) {
      // No choice of pod sizes meets the total's range (a node that closed or opened too many
      // mentors): the dual is unbounded below, and the node infeasible.
      chosen.fill(0);
      size.fill(0);
      this.chosenTotal = 0;
      this.value = negativeInfinity;
      return negativeInfinity;
    }
    this.totalPrice = this.bestTotalPrice(this.totalPrice);
    const delta = this.totalPrice;
    let total = this.priceSum + (delta >= 0 ? delta * this.maxTotal : delta * this.minTotal);
    chosen.fill(0);
    let sizes = 0;
    for (let j = 0; j < this.mentorCount; j++) {
      const bestSize = this.bestSizeOf(j, delta, false);
      const best = this.bestSizeValue;
      total += best;
      this.bestRelaxed[j] = best;
      size[j] = bestSize;
      sizes += bestSize;
      for (let k = 0; k < bestSize; k++) {
        const f = this.mentee[top[j * this.maxSlots + k] as number] as number;
        chosen[f] = (chosen[f] as number) + 1;
      }
    }
    // Ties between pod sizes are broken toward the smallest above. Where that leaves the total short of
    // what the total price aims at (maxTotal when it is positive, else minTotal), larger sizes of equal
    // value are taken instead, as far as the ties allow: the bound is the same, but the subgradient is
    // then one of the bound over the mentees' prices alone (the total price re-optimised), not one
    // along which the bound cannot move. With every pod tied at nothing (all weights 0, or pair scores
    // that tie, such as skills alone) the smallest sizes chose no pod at all; every price then fell
    // alike, the total price rose alike, and the bound stayed put for every step: a 1,000-person domain
    // with 40% mentors and skills as the only weight stopped its root 10,093 points short, and now 21.
    const target = delta > 0 ? this.maxTotal : this.minTotal;
    const stride = this.maxSlots + 1;
    for (let j = 0; j < this.mentorCount && sizes < target; j++) {
      const smallest = size[j] as number;
      const largest = this.bestSizeOf(j, delta, true);
      if (largest === smallest) continue;
      // The smallest tied size that meets the target, else the largest.
      let raised = largest;
      for (let n = smallest + 1; n < largest; n++) {
        const tied = (this.gain[j * stride + n] as number) - delta * n === this.bestSizeValue;
        if (tied && sizes - smallest + n >= target) {
          raised = n;
          break;
        }
      }
      for (let k = smallest; k < raised; k++) {
        const f = this.mentee[top[j * this.maxSlots + k] as number] as number;
        chosen[f] = (chosen[f] as number) + 1;
      }
      size[j] = raised;
      sizes += raised - smallest;
    }
    this.chosenTotal = sizes;
    this.value = total;
    return total;
  }

  /** Sum of the chosen pod sizes at the last evaluation. */
  chosenTotal = 0;
  /** Each mentor's term in the last `evaluate`. */
  private bestRelaxed: Float64Array = new Float64Array(0);

  /**
   * After `evaluate`: others[j * stride + n] such that priceSum + gain(j, n) + others is the bound
   * when mentor j takes n (the other mentors keep their best terms), like `othersGiven` after
   * `evaluateExact`.
   */
  othersRelaxed(): Float64Array {
    const stride = this.maxSlots + 1;
    const delta = this.totalPrice;
    const rest = this.value - this.priceSum;
    const others = new Float64Array(this.mentorCount * stride);
    for (let j = 0; j < this.mentorCount; j++) {
      const without = rest - (this.bestRelaxed[j] as number);
      for (let n = 0; n < stride; n++) others[j * stride + n] = without - delta * n;
    }
    return others;
  }

  /**
   * Whether some choice of allowed pod sizes (at the current gains) sums into [minTotal, maxTotal].
   * Without one, the search for the best total price would run away to infinity.
   */
  private totalReachable(): boolean {
    const stride = this.maxSlots + 1;
    let smallest = 0;
    let largest = 0;
    for (let j = 0; j < this.mentorCount; j++) {
      let low = this.state[j] === OPEN ? -1 : 0;
      let high = 0;
      for (let n = 1; n <= this.maxSlots; n++) {
        if ((this.gain[j * stride + n] as number) === negativeInfinity) continue;
        if (low < 0) low = n;
        high = n;
      }
      if (low < 0) return false; // an open mentor with no pod it can fill
      smallest += low;
      largest += high;
    }
    return smallest <= this.maxTotal && largest >= this.minTotal;
  }

  /** Sum over mentors of their best pod size when the total is priced at delta (largest on ties if `high`). */
  private sizesAt(delta: number, high: boolean): number {
    let sizes = 0;
    for (let j = 0; j < this.mentorCount; j++) sizes += this.bestSizeOf(j, delta, high);
    return sizes;
  }

  /** Value of the last `bestSizeOf` (a field, not a returned pair: this runs in the subgradient's inner loop). */
  private bestSizeValue = 0;

  /**
   * Mentor j's best pod size when each mentee is priced at `delta` more (0: no pod; an open mentor must
   * take one), the largest on ties if `high`; its value is left in `bestSizeValue`.
   */
  private bestSizeOf(j: number, delta: number, high: boolean): number {
    const gain = this.gain;
    const base = j * (this.maxSlots + 1);
    let best = this.state[j] === OPEN ? negativeInfinity : 0;
    let bestSize = 0;
    for (let n = 1; n <= this.maxSlots; n++) {
      const g = gain[base + n] as number;
      if (g === negativeInfinity) continue;
      const value = g - delta * n;
      if (value > best || (high && value === best)) {
        best = value;
        bestSize = n;
      }
    }
    this.bestSizeValue = best;
    return bestSize;
  }

  /**
   * The total price (on the grid) that minimises the bound for the current gains, searched from `from`:
   * the bound is convex in it, with slope (maxTotal or minTotal) - (sum of chosen sizes).
   */
  private bestTotalPrice(from: number): number {
    // Slope at d from the right is target(d) - (smallest sizes at d); from the left, with the largest.
    const rightSlope = (d: number) => (d >= 0 ? this.maxTotal : this.minTotal) - this.sizesAt(d, false);
    const leftSlope = (d: number) => (d > 0 ? this.maxTotal : this.minTotal) - this.sizesAt(d, true);
    const unit = 1 / priceGrid;
    let d = from;
    if (rightSlope(d) < 0) {
      // Increase until the slope turns non-negative.
      let step = unit;
      let low = d;
      let high = d + step;
      while (rightSlope(high) < 0) {
        low = high;
        step *= 2;
        high = d + step;
        if (step > maxTotalPriceStep) throw new Error('No total price meets the range (checked by totalReachable)');
      }
      while (high - low > unit) {
        const mid = onGrid((low + high) / 2);
        if (mid === low || mid === high) break;
        if (rightSlope(mid) < 0) low = mid;
        else high = mid;
      }
      d = high;
    } else if (leftSlope(d) > 0) {
      let step = unit;
      let high = d;
      let low = d - step;
      while (leftSlope(low) > 0) {
        high = low;
        step *= 2;
        low = d - step;
        if (step > maxTotalPriceStep) throw new Error('No total price meets the range (checked by totalReachable)');
      }
      while (high - low > unit) {
        const mid = onGrid((low + high) / 2);
        if (mid === low || mid === high) break;
        if (leftSlope(mid) > 0) high = mid;
        else low = mid;
      }
      d = low;
    }
    return d;
  }

  /**
   * The bound with the total kept as a constraint (dynamic programme): at least as tight as
   * `evaluate` at any total price. -Infinity when no choice of sizes meets the range (infeasible node).
   */
  evaluateExact(): number {
    this.computeGains();
    this.value = this.priceSum + this.solveTotals();
    return this.value;
  }

  /** Each mentor's best pod of every allowed size, from the current prices. */
  private computeGains(): void {
    this.evaluations += 1;
    const { prices, gain, top, topValue, topCount, state } = this;
    const mentorCount = this.mentorCount;
    const stride = this.maxSlots + 1;
    const maxSlots = this.maxSlots;
    let priceSum = 0;
    for (let f = 0; f < this.menteeCount; f++) priceSum += prices[f] as number;
    this.priceSum = priceSum;
    for (let j = 0; j < mentorCount; j++) {
      const base = j * stride;
      gain[base] = state[j] === OPEN ? negativeInfinity : 0;
      const slots = this.problem.slots[j] as number;
      if (state[j] === CLOSED || slots === 0) {
        topCount[j] = 0;
        for (let n = 1; n < stride; n++) gain[base + n] = negativeInfinity;
        continue;
      }
      // The mentor's `slots` best values, in decreasing order.
      const topBase = j * maxSlots;
      let count = 0;
      const end = this.start[j + 1] as number;
      for (let q = this.start[j] as number; q < end; q++) {
        const value = (this.worth[q] as number) - (prices[this.mentee[q] as number] as number);
        if (count === slots && value <= (topValue[topBase + count - 1] as number)) continue;
        insertDescending(topValue, top, topBase, count < slots ? count++ : slots - 1, value, q);
      }
      topCount[j] = count;
      const smallest = state[j] === FREE ? 1 : this.smallestPod(j);
      let sum = 0;
      for (let n = 1; n < stride; n++) {
        if (n > count) {
          gain[base + n] = negativeInfinity;
          continue;
        }
        sum += (topValue[topBase + n - 1] as number) - this.marginal(j, n);
        gain[base + n] = n >= smallest ? sum : negativeInfinity;
      }
    }
  }

  /**
   * The dynamic programme over mentors and totals: backward[j][t] is the best the mentors j.. can add
   * when the mentors before j took t mentees, ending in [minTotal, maxTotal]. Sets `size` and `chosen`.
   */
  private solveTotals(): number {
    const mentorCount = this.mentorCount;
    const stride = this.maxSlots + 1;
    const width = this.maxTotal + 1;
    const cells = (mentorCount + 1) * width;
    if (this.backward.length < cells) {
      this.backward = new Float64Array(cells);
      this.backwardChoice = new Int8Array(cells);
    }
    const { backward, backwardChoice, gain } = this;
    const last = mentorCount * width;
    for (let t = 0; t < width; t++) backward[last + t] = t >= this.minTotal ? 0 : negativeInfinity;
    for (let j = mentorCount - 1; j >= 0; j--) {
      const row = j * width;
      const next = row + width;
      const base = j * stride;
      for (let t = 0; t < width; t++) {
        let best = backward[next + t] as number;
        if (best !== negativeInfinity) best += gain[base] as number;
        let choice = 0;
        const room = Math.min(stride - 1, width - 1 - t);
        for (let n = 1; n <= room; n++) {
          const g = gain[base + n] as number;
          if (g === negativeInfinity) continue;
          const rest = backward[next + t + n] as number;
          if (rest === negativeInfinity) continue;
          if (g + rest > best) {
            best = g + rest;
            choice = n;
          }
        }
        backward[row + t] = best;
        backwardChoice[row + t] = choice;
      }
    }
    const { chosen, size, top } = this;
    chosen.fill(0);
    const total = backward[0] as number;
    if (total === negativeInfinity) {
      size.fill(0);
      this.chosenTotal = 0;
      return total;
    }
    let t = 0;
    for (let j = 0; j < mentorCount; j++) {
      const n = backwardChoice[j * width + t] as number;
      size[j] = n;
      for (let k = 0; k < n; k++) {
        const f = this.mentee[top[j * this.maxSlots + k] as number] as number;
        chosen[f] = (chosen[f] as number) + 1;
      }
      t += n;
    }
    this.chosenTotal = t;
    return total;
  }

  /**
   * After `evaluateExact`: others[j * stride + n] = the best the other mentors can add when mentor j takes n
   * (for reduced-cost tests), from a forward pass combined with the backward one.
   */
  othersGiven(): Float64Array {
    const mentorCount = this.mentorCount;
    const stride = this.maxSlots + 1;
    const width = this.maxTotal + 1;
    const cells = (mentorCount + 1) * width;
    if (this.forward.length < cells) this.forward = new Float64Array(cells);
    const { forward, backward, gain } = this;
    // forward[j][t]: the best mentors 0..j-1 add taking exactly t.
    forward.fill(negativeInfinity, 0, width);
    forward[0] = 0;
    for (let j = 0; j < mentorCount; j++) {
      const row = j * width;
      const next = row + width;
      const base = j * stride;
      for (let t = 0; t < width; t++) {
        const g0 = gain[base] as number;
        const from = forward[row + t] as number;
        let best = g0 === negativeInfinity || from === negativeInfinity ? negativeInfinity : from + g0;
        for (let n = 1; n < stride && n <= t; n++) {
          const g = gain[base + n] as number;
          const before = forward[row + t - n] as number;
          if (g === negativeInfinity || before === negativeInfinity) continue;
          if (before + g > best) best = before + g;
        }
        forward[next + t] = best;
      }
    }
    const others = new Float64Array(mentorCount * stride).fill(negativeInfinity);
    for (let j = 0; j < mentorCount; j++) {
      const row = j * width;
      const next = row + width;
      for (let n = 0; n < stride; n++) {
        let best = negativeInfinity;
        for (let t = 0; t + n < width; t++) {
          const before = forward[row + t] as number;
          const after = backward[next + t + n] as number;
          if (before === negativeInfinity || after === negativeInfinity) continue;
          if (before + after > best) best = before + after;
        }
        others[j * stride + n] = best;
      }
    }
    return others;
  }
}
