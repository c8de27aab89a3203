/**
 * A schema built on first use instead of at module load. Building zod schemas is most of a
 * function's cold start above its SDK clients (a route module's schemas took ~35 ms of init CPU),
 * and most of them are never used by a given instance: response schemas only serve tests and the
 * OpenAPI document, a route's request schemas only its own requests, an event's schema only the
 * functions that publish or consume it. The thunk returns the same instance every time, so a
 * schema shared by several others stays one object (as the JSON Schema generators expect).
 *
 *   export const PodViewSchema = lazySchema(() => z.object({ ... }));
 *   PodViewSchema().parse(value);   type PodView = z.infer<ReturnType<typeof PodViewSchema>>;
 */
export const lazySchema = <TSchema>(build: () => TSchema): (() => TSchema) => {
  let built: TSchema | undefined;
  return () => {
    built ??= build();
    return built;
  };
};

/**
 * Defines `key` on `target` as the value `build` returns, built on first read and kept (an
 * enumerable getter, so spreading or comparing the object reads it as a plain property).
 */
export const defineBuiltOnFirstRead = (target: object, key: string, build: () => unknown): void => {
  let built: unknown;
  let done = false;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: false,
    get: () => {
      if (!done) {
        built = build();
        done = true;
      }
      return built;
    },
  });
};
