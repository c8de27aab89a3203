import type * as z from 'zod';
import type { FieldError } from './errors';

/** Zod issues as caller-facing field errors: `body.email: Invalid email address`. */
export const fieldErrorsOf = (error: z.ZodError, prefix: string): FieldError[] =>
  error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        location: base ? `${base}.${key}` : key,
        message: 'is not a known field',
      }));
    }
    return [{ location: base || prefix, message: issue.message }];
  });
