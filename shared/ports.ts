/** Time and identity are ports so domain code stays deterministic under test. */
export type Clock = () => Date;
export type IdGenerator = () => string;

export const systemClock: Clock = () => new Date();
export const randomId: IdGenerator = () => crypto.randomUUID();

/** A clock a test can move. */
export const fixedClock = (start: Date | string) => {
  let now = new Date(start);
  const clock: Clock & { advance(ms: number): void; set(to: Date | string): void } = Object.assign(
    () => new Date(now),
    {
      advance: (ms: number) => {
        now = new Date(now.getTime() + ms);
      },
      set: (to: Date | string) => {
        now = new Date(to);
      },
    },
  );
  return clock;
};

/** Deterministic ids for tests: `prefix-1`, `prefix-2`, ... */
export const sequentialIds = (prefix = 'id'): IdGenerator => {
  let next = 0;
  return () => `${prefix}-${++next}`;
};
