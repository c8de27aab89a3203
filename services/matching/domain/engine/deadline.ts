/**
 * A point on a monotonic clock after which the search stops. `check` is called inside every long loop
 * of the search (the flow, pricing, the Lagrangian, branch and bound); past the deadline it throws
 * `OutOfTime`, which the domain solver catches to return its best assignment, not proven optimal.
 */
export class OutOfTime extends Error {
  constructor() {
    super('the solver time budget ran out');
    this.name = 'OutOfTime';
  }
}

export class Deadline {
  /** A deadline that never passes. */
  static readonly never = new Deadline(() => 0, Number.POSITIVE_INFINITY);

  constructor(
    private readonly clock: () => number,
    /** Clock reading at which the time is up (Infinity: never). */
    readonly at: number,
  ) {}

  /** Milliseconds left (Infinity: no deadline). */
  remaining(): number {
    return this.at === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : Math.max(0, this.at - this.clock());
  }

  passed(): boolean {
    return this.at !== Number.POSITIVE_INFINITY && this.clock() >= this.at;
  }

  /** Throws `OutOfTime` once the deadline has passed. */
  check(): void {
    if (this.passed()) throw new OutOfTime();
  }
}
