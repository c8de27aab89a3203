import * as z from './zod';

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/**
 * Reads configuration once (call it at module scope, i.e. at cold start) and fails fast,
 * naming every missing or malformed variable, instead of failing later mid-request.
 */
export const readConfig = <TSchema extends z.ZodMiniType>(
  schema: TSchema,
  env: Record<string, string | undefined> = process.env,
): z.infer<TSchema> => {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
};

/** The variables every function of a service with a table gets (see functionEnvironment). */
export const ServiceConfigSchema = z.object({
  SERVICE_NAME: z.string().check(z.minLength(1)),
  TABLE_NAME: z.string().check(z.minLength(1)),
  EVENT_BUS_NAME: z.string().check(z.minLength(1)),
});
export type ServiceConfig = z.infer<typeof ServiceConfigSchema>;
