import * as z from '../../../shared/zod';

/** The smallest group any figure may describe, per deployment: 3 to 10, 5 unless configured. */
export const ANONYMITY_THRESHOLD = { min: 3, max: 10, default: 5 } as const;

export const AnonymityThresholdSchema = z.coerce
  .number()
  .check(z.int(), z.minimum(ANONYMITY_THRESHOLD.min), z.maximum(ANONYMITY_THRESHOLD.max));
