/**
 * The zod the functions use: `zod/mini`, whose functional API lets a bundle keep only the parts
 * it calls (classic zod's methods pull the whole library into every function; measured with
 * `npm run bundle-sizes`). Runtime code imports `z` from here, never from `zod` directly.
 *
 * Classic zod installs its English messages itself; mini leaves that to the application, and
 * without them every issue would read "Invalid input". The per-request humane messages
 * (shared/http/validation.ts) take precedence where a caller sees them; these stay for the rest
 * (configuration errors at cold start, an event that breaks its contract, tests of the schemas).
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export * from 'zod/mini';
