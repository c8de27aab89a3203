import * as z from 'zod';

/** The smallest group any figure may describe, per deployment: 3 to 10, 5 unless configured. */
export const ANONYMITY_THRESHOLD = { min: 3, max: 10, default: 5 } as const;

export const AnonymityThresholdSchema = z.coerce
  .number()
  .int()
  .min(ANONYMITY_THRESHOLD.min)
  .max(ANONYMITY_THRESHOLD.max);
