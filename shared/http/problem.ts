import * as z from '../zod';

/** RFC 9457 problem details, the body of every HTTP error. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.optional(z.string()),
  instance: z.optional(z.string()),
  /** One entry per wrong field: where it is and what is wrong. */
  errors: z.optional(z.array(z.object({ location: z.string(), message: z.string() }))),
});
export type Problem = z.infer<typeof ProblemSchema>;

/**
 * What API Gateway itself answers before any function runs: `{"message":"Unauthorized"}` from
 * the JWT authorizer (401), `{"message":"Request Too Long"}` for a body over Lambda's 6 MB
 * request payload (413; a route's own, smaller limit is a problem+json 413 from the function),
 * `{"message":"Too Many Requests"}` when throttled (429).
 */
export const GatewayErrorSchema = z.object({ message: z.string() });
