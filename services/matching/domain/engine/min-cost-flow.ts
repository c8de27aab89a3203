import { Deadline, OutOfTime } from './deadline';

/**
 * Min-cost flow for one domain's relaxation: mentees (supply 1 each) -> mentors -> sink.
 *
 *   mentee i --(cap 1, cost c_ij)--> mentor j --(convex: k-th unit costs marginal_j[k])--> sink T
 *   mentee i --(cap 1, cost 0, "unmatched")--> T
 *
 * Every mentee's unit reaches T, matched or not, so a flow is an assignment. A mentor's arc to the sink
 * is convex (non-decreasing marginals), which is what a chain of parallel unit arcs of increasing cost
 * would give, without materialising them.
 *
 * Algorithm: successive shortest paths on a pseudo-flow with node potentials. Invariant: every residual
 * arc has a non-negative reduced cost c + pi(u) - pi(v). Whenever a change (a new arc, new marginals)
 * would break it, the offending arc is saturated or emptied instead, which leaves an excess at one node
 * and a deficit at another; `solve` then sends each excess unit along a shortest path (Dijkstra on
 * reduced costs) to the nearest deficit and updates the potentials, which keeps the invariant. When no
 * imbalance is left the flow is optimal (no residual arc of negative reduced cost means no negative
 * cycle), and the potentials are its dual certificate, which pricing uses to prove that arcs left out
 * of the network cannot improve it. Costs are integers held exactly in doubles.
 */

const unmatchedArc = -1;
const sinkArc = -2;

/** Binary min-heap of (key, node) in typed arrays; stale entries are skipped by the caller. */
class MinHeap {
  private keys = new Float64Array(1024);
  private values = new Int32Array(1024);
  size = 0;
  /** Key of the last popped value. */
  topKey = 0;

  clear(): void {
    this.size = 0;
  }

  peekKey(): number {
    return this.keys[0] as number;
  }

  push(value: number, key: number): void {
    if (this.size === this.keys.length) this.grow();
    const { keys, values } = this;
    let index = this.size++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentKey = keys[parent] as number;
      if (parentKey <= key) break;
      keys[index] = parentKey;
      values[index] = values[parent] as number;
      index = parent;
    }
    keys[index] = key;
    values[index] = value;
  }

  pop(): number {
    const { keys, values } = this;
    const top = values[0] as number;
    this.topKey = keys[0] as number;
    const last = --this.size;
    if (last > 0) {
      const key = keys[last] as number;
      const value = values[last] as number;
      let index = 0;
      for (;;) {
        let child = 2 * index + 1;
        if (child >= last) break;
        const right = child + 1;
        if (right < last && (keys[right] as number) < (keys[child] as number)) child = right;
        const childKey = keys[child] as number;
        if (childKey >= key) break;
        keys[index] = childKey;
        values[index] = values[child] as number;
        index = child;
      }
      keys[index] = key;
      values[index] = value;
    }
    return top;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const values = new Int32Array(this.values.length * 2);
    values.set(this.values);
    this.values = values;
  }
}

export class PodFlow {
  readonly menteeCount: number;
  readonly mentorCount: number;
  private readonly sink: number;
  private readonly slotStride: number;

  // Arcs and their adjacency live in typed arrays (linked lists by arc index): no per-node arrays for
  // the garbage collector to trace or copy, which matters on a cold start.
  private arcMentee: Int32Array;
  private arcMentor: Int32Array;
  private arcCost: Float64Array;
  private arcFlow: Uint8Array;
  /** Next arc of the same mentee / into the same mentor, in insertion order (-1 ends the list). */
  private nextOfMentee: Int32Array;
  private nextOfMentor: Int32Array;
  /** Doubly linked list of the arcs carrying flow into each mentor. */
  private nextAssigned: Int32Array;
  private previousAssigned: Int32Array;
  private arcCount = 0;
  private readonly menteeHead: Int32Array;
  private readonly menteeTail: Int32Array;
  private readonly mentorHead: Int32Array;
  private readonly mentorTail: Int32Array;
  private readonly assignedHead: Int32Array;

  private readonly unmatched: Uint8Array;
  /** The unmatched mentees as a list (position kept in `unmatchedAt`), so the sink's search step is short. */
  private readonly unmatchedList: Int32Array;
  private unmatchedCount = 0;
  private readonly unmatchedAt: Int32Array;
  private readonly load: Int32Array;
  private readonly capacity: Int32Array;
  private readonly marginals: Float64Array;

  private readonly excess: Int32Array;
  private readonly pending: number[] = [];
  readonly potential: Float64Array;
  private primed = false;

  private readonly dist: Float64Array;
  private readonly seen: Int32Array;
  private readonly settled: Int32Array;
  private readonly predNode: Int32Array;
  private readonly predArc: Int32Array;
  private readonly settledList: Int32Array;
  private readonly heap = new MinHeap();
  // Zero-path search (`zeroPathFrom`): per-node cursor and marks, a node stack.
  private readonly cursor: Int32Array;
  private readonly cursorPhase: Uint8Array;
  private readonly onPath: Int32Array;
  private readonly dead: Int32Array;
  private readonly stack: Int32Array;
  /** Bumped whenever potentials change: dead marks are only valid within one epoch. */
  private epoch = 1;
  private pathRun = 0;
  private run = 0;
  /** Work counters: shortest-path searches, nodes + arcs they touched, and potential re-aims. */
  searches = 0;
  work = 0;
  aims = 0;
  private workSinceAim = 0;

  /** `expectedArcs` sizes the arc arrays up front (they grow when needed). */
  constructor(menteeCount: number, mentorCount: number, slotStride: number, expectedArcs = 256) {
    this.menteeCount = menteeCount;
    this.mentorCount = mentorCount;
    this.sink = menteeCount + mentorCount;
    this.slotStride = slotStride;
    const nodes = menteeCount + mentorCount + 1;
    const arcs = Math.max(16, expectedArcs);
    this.arcMentee = new Int32Array(arcs);
    this.arcMentor = new Int32Array(arcs);
    this.arcCost = new Float64Array(arcs);
    this.arcFlow = new Uint8Array(arcs);
    this.nextOfMentee = new Int32Array(arcs);
    this.nextOfMentor = new Int32Array(arcs);
    this.nextAssigned = new Int32Array(arcs);
    this.previousAssigned = new Int32Array(arcs);
    this.menteeHead = new Int32Array(menteeCount).fill(-1);
    this.menteeTail = new Int32Array(menteeCount).fill(-1);
    this.mentorHead = new Int32Array(mentorCount).fill(-1);
    this.mentorTail = new Int32Array(mentorCount).fill(-1);
    this.assignedHead = new Int32Array(mentorCount).fill(-1);
    this.unmatchedList = new Int32Array(menteeCount);
    this.unmatched = new Uint8Array(menteeCount);
    this.unmatchedAt = new Int32Array(menteeCount).fill(-1);
    this.load = new Int32Array(mentorCount);
    this.capacity = new Int32Array(mentorCount);
    this.marginals = new Float64Array(mentorCount * slotStride);
    this.excess = new Int32Array(nodes);
    this.potential = new Float64Array(nodes);
    this.dist = new Float64Array(nodes);
    this.seen = new Int32Array(nodes);
    this.settled = new Int32Array(nodes);
    this.predNode = new Int32Array(nodes);
    this.predArc = new Int32Array(nodes);
    this.settledList = new Int32Array(nodes);
    this.cursor = new Int32Array(nodes);
    this.cursorPhase = new Uint8Array(nodes);
    this.onPath = new Int32Array(nodes);
    this.dead = new Int32Array(nodes);
    this.stack = new Int32Array(nodes);
    for (let i = 0; i < menteeCount; i++) this.excess[i] = 1;
    this.excess[this.sink] = -menteeCount;
  }

  get arcs(): number {
    return this.arcCount;
  }

  mentorLoad(j: number): number {
    return this.load[j] ?? 0;
  }

  mentorCapacity(j: number): number {
    return this.capacity[j] ?? 0;
  }

  mentorPotential(j: number): number {
    return this.potential[this.menteeCount + j] ?? 0;
  }

  menteePotential(i: number): number {
    return this.potential[i] ?? 0;
  }

  /** Reduced cost an arc i -> j of this cost would have (negative: it would improve the flow). */
  reducedCost(i: number, j: number, cost: number): number {
    return cost + (this.potential[i] ?? 0) - (this.potential[this.menteeCount + j] ?? 0);
  }

  /** Replaces a mentor's marginal costs (non-decreasing; their count is the capacity). */
  setMarginals(j: number, marginals: ArrayLike<number>): void {
    if (marginals.length > this.slotStride) throw new RangeError('more slots than the flow was built for');
    const base = j * this.slotStride;
    for (let k = 0; k < marginals.length; k++) this.marginals[base + k] = marginals[k] ?? 0;
    this.capacity[j] = marginals.length;
    if (this.primed) this.restoreMentorOptimality(j);
  }

  addArc(i: number, j: number, cost: number): number {
    if (this.arcCount === this.arcCost.length) this.growArcs();
    const arc = this.arcCount++;
    this.arcMentee[arc] = i;
    this.arcMentor[arc] = j;
    this.arcCost[arc] = cost;
    this.arcFlow[arc] = 0;
    this.nextOfMentee[arc] = -1;
    this.nextOfMentor[arc] = -1;
    const menteeTail = this.menteeTail[i] as number;
    if (menteeTail < 0) this.menteeHead[i] = arc;
    else this.nextOfMentee[menteeTail] = arc;
    this.menteeTail[i] = arc;
    const mentorTail = this.mentorTail[j] as number;
    if (mentorTail < 0) this.mentorHead[j] = arc;
    else this.nextOfMentor[mentorTail] = arc;
    this.mentorTail[j] = arc;
    if (this.primed && this.reducedCost(i, j, cost) < 0) {
      // Saturate it: i now sends one unit too many (deficit), j receives one too many (excess).
      this.arcFlow[arc] = 1;
      this.linkAssigned(j, arc);
      this.adjustExcess(i, -1);
      this.adjustExcess(this.menteeCount + j, 1);
    }
    return arc;
  }

  /**
   * Routes every imbalance; afterwards the flow is optimal for the current arcs and marginals. With a
   * deadline, it is checked every few augmentations and `OutOfTime` thrown once it has passed (the
   * flow is then a pseudo-flow: solving again later finishes it).
   */
  solve(deadline: Deadline = Deadline.never): void {
    if (!this.primed) {
      this.prime();
      // Aim once at the start: the first searches walk straight to a free slot, and every call site of
      // the loop below has run before the JIT optimises it (an unvisited site costs a deoptimisation).
      this.aimPotentials();
    }
    this.drain(deadline);
    this.reanchor();
  }

  private drain(deadline: Deadline): void {
    const pending = this.pending;
    const excess = this.excess;
    let steps = 0;
    while (pending.length > 0) {
      const node = pending.pop() as number;
      while ((excess[node] as number) > 0) {
        if ((++steps & 63) === 0 && deadline.passed()) {
          pending.push(node); // still in excess: a later solve picks it up
          throw new OutOfTime();
        }
        // Searches that sweep large parts of the graph mean the potentials have gone stale: re-aim them.
        if (this.workSinceAim > this.aimBudget()) this.aimPotentials();
        // A path of zero reduced cost is a shortest path: take it without a Dijkstra when there is one.
        if (!this.zeroPathFrom(node)) this.augmentFrom(node);
      }
    }
  }

  /** Potentials only matter up to a constant; re-anchoring keeps them small. */
  private reanchor(): void {
    const potential = this.potential;
    const anchor = potential[this.sink] as number;
    if (anchor === 0) return;
    for (let v = 0; v < potential.length; v++) potential[v] = (potential[v] as number) - anchor;
  }

  /** Each mentee's mentor index, or -1 when unmatched. */
  assignment(): Int32Array {
    const result = new Int32Array(this.menteeCount).fill(-1);
    for (let j = 0; j < this.mentorCount; j++) {
      for (let arc = this.assignedHead[j] as number; arc >= 0; arc = this.nextAssigned[arc] as number) {
        result[this.arcMentee[arc] as number] = j;
      }
    }
    return result;
  }

  /** Total cost of the current flow. */
  cost(): number {
    let total = 0;
    for (let j = 0; j < this.mentorCount; j++) {
      for (let arc = this.assignedHead[j] as number; arc >= 0; arc = this.nextAssigned[arc] as number) {
        total += this.arcCost[arc] as number;
      }
      const base = j * this.slotStride;
      const load = this.load[j] ?? 0;
      for (let k = 0; k < load; k++) total += this.marginals[base + k] ?? 0;
    }
    return total;
  }

  /** For tests: balance and the reduced-cost invariant on every residual arc. */
  checkInvariants(): string | null {
    for (let v = 0; v < this.excess.length; v++) if ((this.excess[v] ?? 0) !== 0) return `node ${v} unbalanced`;
    const pi = this.potential;
    const sinkPi = pi[this.sink] ?? 0;
    for (let arc = 0; arc < this.arcCount; arc++) {
      const i = this.arcMentee[arc] ?? 0;
      const j = this.arcMentor[arc] ?? 0;
      const rc = (this.arcCost[arc] ?? 0) + (pi[i] ?? 0) - (pi[this.menteeCount + j] ?? 0);
      if ((this.arcFlow[arc] ? -rc : rc) < 0)
        return `arc ${i}->${j} has reduced cost ${rc} with flow ${this.arcFlow[arc]}`;
    }
    for (let i = 0; i < this.menteeCount; i++) {
      const rc = (pi[i] ?? 0) - sinkPi;
      if ((this.unmatched[i] ? -rc : rc) < 0) return `unmatched arc of ${i} has reduced cost ${rc}`;
    }
    for (let j = 0; j < this.mentorCount; j++) {
      const load = this.load[j] ?? 0;
      const base = j * this.slotStride;
      const mentorPi = pi[this.menteeCount + j] ?? 0;
      if (load < (this.capacity[j] ?? 0) && (this.marginals[base + load] ?? 0) + mentorPi - sinkPi < 0)
        return `mentor ${j} should take more`;
      if (load > 0 && -(this.marginals[base + load - 1] ?? 0) + sinkPi - mentorPi < 0)
        return `mentor ${j} should take less`;
      if (load > (this.capacity[j] ?? 0)) return `mentor ${j} over capacity`;
    }
    return null;
  }

  /** A re-aim costs about one sweep of the graph; allow a few sweeps' worth of search work between two. */
  private aimBudget(): number {
    return 8 * (this.potential.length + this.arcCount);
  }

  /**
   * Re-aims the potentials at the deficits: pi(v) -= (reduced distance from v to the nearest deficit),
   * found by one backward Dijkstra. Reduced costs stay non-negative (triangle inequality) and become 0
   * along every shortest path to a deficit, so the next searches, which are Dijkstra with these
   * potentials (A* in effect), walk almost straight to a free slot instead of sweeping the graph.
   * Nodes that reach no deficit are lowered by more than any finite distance, which keeps arcs into
   * them non-negative.
   */
  private aimPotentials(): void {
    this.aims += 1;
    this.workSinceAim = 0;
    const run = ++this.run;
    const { dist, seen, settled, heap, potential: pi, excess } = this;
    const { arcFlow, arcMentor, arcMentee, arcCost, unmatched, load, capacity, marginals } = this;
    const menteeCount = this.menteeCount;
    const mentorCount = this.mentorCount;
    const sink = this.sink;
    const stride = this.slotStride;
    heap.clear();
    for (let v = 0; v < excess.length; v++) {
      if ((excess[v] as number) < 0) {
        dist[v] = 0;
        seen[v] = run;
        heap.push(v, 0);
      }
    }
    // Reduced cost of the residual arc u -> v is rc; u's distance is at most rc + v's distance.
    const reach = (node: number, distance: number): void => {
      if (settled[node] === run || (seen[node] === run && distance >= (dist[node] as number))) return;
      seen[node] = run;
      dist[node] = distance;
      heap.push(node, distance);
    };
    let farthest = 0;
    while (heap.size > 0) {
      const v = heap.pop();
      const dv = heap.topKey;
      if (settled[v] === run || dv > (dist[v] as number)) continue;
      settled[v] = run;
      farthest = dv;
      const piV = pi[v] as number;
      if (v === sink) {
        for (let i = 0; i < menteeCount; i++) {
          if (!unmatched[i]) reach(i, dv + (pi[i] as number) - piV);
        }
        for (let j = 0; j < mentorCount; j++) {
          const taken = load[j] as number;
          if (taken < (capacity[j] as number)) {
            reach(
              menteeCount + j,
              dv + (marginals[j * stride + taken] as number) + (pi[menteeCount + j] as number) - piV,
            );
          }
        }
      } else if (v >= menteeCount) {
        const j = v - menteeCount;
        const nextOfMentor = this.nextOfMentor;
        for (let arc = this.mentorHead[j] as number; arc >= 0; arc = nextOfMentor[arc] as number) {
          if (arcFlow[arc]) continue;
          const i = arcMentee[arc] as number;
          reach(i, dv + (arcCost[arc] as number) + (pi[i] as number) - piV);
        }
        const taken = load[j] as number;
        if (taken > 0) reach(sink, dv - (marginals[j * stride + taken - 1] as number) + (pi[sink] as number) - piV);
      } else {
        const nextOfMentee = this.nextOfMentee;
        for (let arc = this.menteeHead[v] as number; arc >= 0; arc = nextOfMentee[arc] as number) {
          if (!arcFlow[arc]) continue;
          const u = menteeCount + (arcMentor[arc] as number);
          reach(u, dv - (arcCost[arc] as number) + (pi[u] as number) - piV);
        }
        if (unmatched[v]) reach(sink, dv + (pi[sink] as number) - piV);
      }
    }
    this.epoch += 1;
    const unreachable = farthest + 1;
    for (let v = 0; v < pi.length; v++) {
      pi[v] = (pi[v] as number) - (settled[v] === run ? (dist[v] as number) : unreachable);
    }
  }

  /** First potentials satisfying the invariant for the empty flow. */
  private prime(): void {
    const pi = this.potential;
    pi[this.sink] = 0;
    for (let j = 0; j < this.mentorCount; j++) {
      pi[this.menteeCount + j] = (this.capacity[j] ?? 0) > 0 ? -(this.marginals[j * this.slotStride] ?? 0) : 0;
    }
    const regret = new Float64Array(this.menteeCount);
    for (let i = 0; i < this.menteeCount; i++) {
      let best = 0; // the unmatched arc: cost 0 to the sink
      let second = 0;
      for (let arc = this.menteeHead[i] as number; arc >= 0; arc = this.nextOfMentee[arc] as number) {
        const candidate =
          (pi[this.menteeCount + (this.arcMentor[arc] as number)] as number) - (this.arcCost[arc] as number);
        if (candidate > best) {
          second = best;
          best = candidate;
        } else if (candidate > second) second = candidate;
      }
      pi[i] = best;
      regret[i] = best - second;
    }
    // Route the mentees with most to lose first (largest gap between their best and second-best
    // option): they take their slot before others crowd it, and fewer paths need re-routing (about 10%
    // less search work on the benchmark domains). `pending` is a stack: the last pushed goes first.
    const order = Int32Array.from(this.menteeHead.keys());
    order.sort((a, b) => (regret[a] as number) - (regret[b] as number) || b - a);
    for (const i of order) this.pending.push(i);
    this.primed = true;
  }

  private restoreMentorOptimality(j: number): void {
    const node = this.menteeCount + j;
    const base = j * this.slotStride;
    while ((this.load[j] ?? 0) > (this.capacity[j] ?? 0)) this.shiftSinkUnit(j, -1);
    for (;;) {
      const load = this.load[j] ?? 0;
      const slack = (this.potential[node] ?? 0) - (this.potential[this.sink] ?? 0);
      if (load < (this.capacity[j] ?? 0) && (this.marginals[base + load] ?? 0) + slack < 0) this.shiftSinkUnit(j, 1);
      else if (load > 0 && (this.marginals[base + load - 1] ?? 0) + slack > 0) this.shiftSinkUnit(j, -1);
      else break;
    }
  }

  /** Pushes (+1) or pulls (-1) one unit on the mentor's sink arc, leaving the imbalance to `solve`. */
  private shiftSinkUnit(j: number, direction: 1 | -1): void {
    this.load[j] = (this.load[j] ?? 0) + direction;
    this.adjustExcess(this.menteeCount + j, -direction);
    this.adjustExcess(this.sink, direction);
  }

  private adjustExcess(node: number, delta: number): void {
    const next = (this.excess[node] ?? 0) + delta;
    this.excess[node] = next;
    if (next > 0) this.pending.push(node);
  }

  private growArcs(): void {
    const size = this.arcCost.length * 2;
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.arcMentee = grow(this.arcMentee, new Int32Array(size));
    this.arcMentor = grow(this.arcMentor, new Int32Array(size));
    this.arcCost = grow(this.arcCost, new Float64Array(size));
    this.arcFlow = grow(this.arcFlow, new Uint8Array(size));
    this.nextOfMentee = grow(this.nextOfMentee, new Int32Array(size));
    this.nextOfMentor = grow(this.nextOfMentor, new Int32Array(size));
    this.nextAssigned = grow(this.nextAssigned, new Int32Array(size));
    this.previousAssigned = grow(this.previousAssigned, new Int32Array(size));
  }

  // Per-search state of `augmentFrom`, in fields so that `relax` is a plain (inlinable) method.
  private searchRun = 0;
  private target = -1;
  private targetDistance = 0;
  private relaxations = 0;

  private relax(node: number, distance: number, from: number, arc: number): void {
    this.relaxations += 1;
    // Nothing at or beyond the nearest deficit found so far can lead to a nearer one (costs are >= 0).
    if (distance >= this.targetDistance) return;
    const run = this.searchRun;
    if (this.seen[node] === run && distance >= (this.dist[node] as number)) return;
    this.seen[node] = run;
    this.dist[node] = distance;
    this.predNode[node] = from;
    this.predArc[node] = arc;
    if ((this.excess[node] as number) < 0) {
      if (distance < this.targetDistance) {
        this.target = node;
        this.targetDistance = distance;
      }
    } else {
      this.heap.push(node, distance);
    }
  }

  /**
   * Depth-first search from `source` along residual arcs of reduced cost exactly 0 (through mentees
   * and mentors, not the sink) to a node with a deficit; augments one unit along the path found.
   * Every reduced cost is >= 0, so such a path is a shortest path and the invariant holds, as after a
   * Dijkstra step, without touching the potentials. Right after a re-aim every node has one; later,
   * nodes found to lead nowhere are marked dead until the potentials next change. False when none.
   */
  private zeroPathFrom(source: number): boolean {
    const { cursor, cursorPhase, onPath, dead, stack, predNode, predArc, excess, potential: pi } = this;
    const { arcFlow, arcMentor, arcMentee, arcCost, unmatched, load, capacity, marginals } = this;
    const { nextOfMentee, nextAssigned } = this;
    const menteeCount = this.menteeCount;
    const sink = this.sink;
    const stride = this.slotStride;
    const epoch = this.epoch;
    const run = ++this.pathRun;
    if (source === sink || dead[source] === epoch) return false;
    let depth = 0;
    let work = 0;
    stack[depth++] = source;
    onPath[source] = run;
    cursor[source] =
      source < menteeCount ? (this.menteeHead[source] as number) : (this.assignedHead[source - menteeCount] as number);
    cursorPhase[source] = 0;
    let target = -1;
    while (depth > 0 && target < 0) {
      const u = stack[depth - 1] as number;
      const piU = pi[u] as number;
      let next = -1;
      let via = 0;
      work += 1;
      if (u < menteeCount) {
        // Forward arcs without flow, then the unmatched arc (into the sink: only when it is the deficit).
        let arc = cursor[u] as number;
        while (arc >= 0) {
          const v = menteeCount + (arcMentor[arc] as number);
          const following = nextOfMentee[arc] as number;
          if (
            !arcFlow[arc] &&
            onPath[v] !== run &&
            dead[v] !== epoch &&
            (arcCost[arc] as number) + piU - (pi[v] as number) === 0
          ) {
            cursor[u] = following;
            next = v;
            via = arc;
            break;
          }
          arc = following;
        }
        if (next < 0) {
          cursor[u] = -1;
          if (
            cursorPhase[u] === 0 &&
            !unmatched[u] &&
            (excess[sink] as number) < 0 &&
            piU - (pi[sink] as number) === 0
          ) {
            next = sink;
            via = unmatchedArc;
          }
          cursorPhase[u] = 1;
        }
      } else {
        // A mentor: back along an assigned arc, then its sink arc (only when the sink is the deficit).
        const j = u - menteeCount;
        if (cursorPhase[u] === 0) {
          let arc = cursor[u] as number;
          while (arc >= 0) {
            const v = arcMentee[arc] as number;
            const following = nextAssigned[arc] as number;
            if (onPath[v] !== run && dead[v] !== epoch && -(arcCost[arc] as number) + piU - (pi[v] as number) === 0) {
              cursor[u] = following;
              next = v;
              via = arc;
              break;
            }
            arc = following;
          }
          if (next < 0) {
            cursorPhase[u] = 1;
            const taken = load[j] as number;
            if (
              taken < (capacity[j] as number) &&
              (excess[sink] as number) < 0 &&
              (marginals[j * stride + taken] as number) + piU - (pi[sink] as number) === 0
            ) {
              next = sink;
              via = sinkArc;
            }
          }
        }
      }
      if (next < 0) {
        // Nothing left from u: it leads nowhere (for now).
        dead[u] = epoch;
        depth -= 1;
        continue;
      }
      predNode[next] = u;
      predArc[next] = via;
      if ((excess[next] as number) < 0) {
        target = next;
        break;
      }
      onPath[next] = run;
      stack[depth++] = next;
      cursor[next] =
        next < menteeCount ? (this.menteeHead[next] as number) : (this.assignedHead[next - menteeCount] as number);
      cursorPhase[next] = 0;
    }
    this.workSinceAim += work;
    this.work += work;
    if (target < 0) return false;
    let v = target;
    while (v !== source) {
      const u = predNode[v] as number;
      this.applyStep(u, v, predArc[v] as number);
      v = u;
    }
    excess[source] = (excess[source] as number) - 1;
    excess[target] = (excess[target] as number) + 1;
    return true;
  }

  /**
   * Dijkstra on reduced costs from `source` to the nearest node with a deficit, then one unit along
   * that path. Potentials of the settled nodes move by (distance - target distance), which keeps every
   * reduced cost non-negative and makes the path's arcs tight. The search stops as soon as a deficit
   * is reached that no queued node can beat (ties included).
   */
  private augmentFrom(source: number): void {
    this.searches += 1;
    const run = ++this.run;
    this.searchRun = run;
    this.target = -1;
    this.targetDistance = Number.POSITIVE_INFINITY;
    this.relaxations = 0;
    const { dist, seen, settled, predNode, predArc, settledList, heap, potential: pi, excess } = this;
    const { arcFlow, arcMentor, arcMentee, arcCost, unmatched, load, capacity, marginals } = this;
    const menteeCount = this.menteeCount;
    const mentorCount = this.mentorCount;
    const sink = this.sink;
    const stride = this.slotStride;
    heap.clear();
    dist[source] = 0;
    seen[source] = run;
    heap.push(source, 0);
    let settledCount = 0;

    while (heap.size > 0 && heap.peekKey() < this.targetDistance) {
      const u = heap.pop();
      const du = heap.topKey;
      if (settled[u] === run || du > (dist[u] as number)) continue;
      settled[u] = run;
      settledList[settledCount++] = u;
      const piU = pi[u] as number;
      if (u < menteeCount) {
        const nextOfMentee = this.nextOfMentee;
        for (let arc = this.menteeHead[u] as number; arc >= 0; arc = nextOfMentee[arc] as number) {
          if (arcFlow[arc]) continue;
          const v = menteeCount + (arcMentor[arc] as number);
          if (settled[v] !== run) this.relax(v, du + (arcCost[arc] as number) + piU - (pi[v] as number), u, arc);
        }
        if (!unmatched[u] && settled[sink] !== run) this.relax(sink, du + piU - (pi[sink] as number), u, unmatchedArc);
      } else if (u < sink) {
        const j = u - menteeCount;
        const nextAssigned = this.nextAssigned;
        for (let arc = this.assignedHead[j] as number; arc >= 0; arc = nextAssigned[arc] as number) {
          const v = arcMentee[arc] as number;
          if (settled[v] !== run) this.relax(v, du - (arcCost[arc] as number) + piU - (pi[v] as number), u, arc);
        }
        const taken = load[j] as number;
        if (taken < (capacity[j] as number) && settled[sink] !== run) {
          this.relax(sink, du + (marginals[j * stride + taken] as number) + piU - (pi[sink] as number), u, sinkArc);
        }
      } else {
        for (let j = 0; j < mentorCount; j++) {
          const taken = load[j] as number;
          const v = menteeCount + j;
          if (taken > 0 && settled[v] !== run) {
            this.relax(v, du - (marginals[j * stride + taken - 1] as number) + piU - (pi[v] as number), u, sinkArc);
          }
        }
        const list = this.unmatchedList;
        const unmatchedCount = this.unmatchedCount;
        for (let k = 0; k < unmatchedCount; k++) {
          const i = list[k] as number;
          if (settled[i] !== run) this.relax(i, du + piU - (pi[i] as number), u, unmatchedArc);
        }
      }
    }
    const target = this.target;
    const targetDistance = this.targetDistance;
    if (target < 0) throw new Error('min-cost flow: an excess has no path to a deficit');
    this.workSinceAim += settledCount + this.relaxations;
    this.work += settledCount + this.relaxations;

    for (let k = 0; k < settledCount; k++) {
      const v = settledList[k] as number;
      pi[v] = (pi[v] as number) + (dist[v] as number) - targetDistance;
    }
    if (settledCount > 0) this.epoch += 1;

    let v = target;
    while (v !== source) {
      const u = predNode[v] as number;
      this.applyStep(u, v, predArc[v] as number);
      v = u;
    }
    excess[source] = (excess[source] as number) - 1;
    excess[target] = (excess[target] as number) + 1;
  }

  private setUnmatched(i: number, value: boolean): void {
    this.unmatched[i] = value ? 1 : 0;
    const list = this.unmatchedList;
    if (value) {
      this.unmatchedAt[i] = this.unmatchedCount;
      list[this.unmatchedCount++] = i;
    } else {
      const at = this.unmatchedAt[i] as number;
      const last = list[--this.unmatchedCount] as number;
      if (last !== i) {
        list[at] = last;
        this.unmatchedAt[last] = at;
      }
      this.unmatchedAt[i] = -1;
    }
  }

  private linkAssigned(j: number, arc: number): void {
    const head = this.assignedHead[j] as number;
    this.nextAssigned[arc] = head;
    this.previousAssigned[arc] = -1;
    if (head >= 0) this.previousAssigned[head] = arc;
    this.assignedHead[j] = arc;
  }

  private unlinkAssigned(j: number, arc: number): void {
    const next = this.nextAssigned[arc] as number;
    const previous = this.previousAssigned[arc] as number;
    if (previous >= 0) this.nextAssigned[previous] = next;
    else this.assignedHead[j] = next;
    if (next >= 0) this.previousAssigned[next] = previous;
  }

  private applyStep(u: number, v: number, arc: number): void {
    const menteeCount = this.menteeCount;
    const sink = this.sink;
    if (u < menteeCount) {
      if (v === sink) this.setUnmatched(u, true);
      else {
        this.arcFlow[arc] = 1;
        this.linkAssigned(v - menteeCount, arc);
      }
    } else if (u < sink) {
      const j = u - menteeCount;
      if (v === sink) this.load[j] = (this.load[j] ?? 0) + 1;
      else {
        this.arcFlow[arc] = 0;
        this.unlinkAssigned(j, arc);
      }
    } else if (v < menteeCount) {
      this.setUnmatched(v, false);
    } else {
      const j = v - menteeCount;
      this.load[j] = (this.load[j] ?? 0) - 1;
    }
  }
}
