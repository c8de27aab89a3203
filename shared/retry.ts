/**
 * Runs `attempt` again while it fails with an error `retryable` accepts, up to `attempts` tries
 * in all. For optimistic writes: each attempt re-reads and re-decides on fresh data, so no
 * pause is needed between tries.
 */
export const retryImmediatelyOn = async <T>(
  retryable: (error: unknown) => boolean,
  attempt: () => Promise<T>,
  attempts: number,
): Promise<T> => {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!retryable(error) || tries >= attempts) throw error;
    }
  }
};
