/**
 * Reading a declared secret (shared/declaration.ts `secrets`): its id comes from the function's
 * environment (`<NAME>_SECRET_ID`), its value from Secrets Manager, once per cold start. Locally
 * the SDK reaches the local Secrets Manager endpoint through `AWS_ENDPOINT_URL_SECRETS_MANAGER`,
 * so this code has no local branch.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readConfig } from './config';
import { secretIdVariableOf } from './declaration';
import * as z from './zod';

export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
}

/** The value of one secret; a missing or empty value fails loudly rather than signing with nothing. */
export const fetchSecretValue = async (client: SecretsManagerClient, secretId: string): Promise<string> => {
  const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!answer.SecretString) throw new SecretUnavailableError(`The secret ${secretId} has no string value`);
  return answer.SecretString;
};

/**
 * Starts reading the secret at once (call it at module scope: the cold start) and hands out the
 * same promise afterwards. The id variable is checked synchronously, so a function deployed
 * without it fails at init, naming it.
 */
export const declaredSecret = (
  secretName: string,
  env: Record<string, string | undefined> = process.env,
  client: SecretsManagerClient = new SecretsManagerClient({}),
): (() => Promise<string>) => {
  const variable = secretIdVariableOf(secretName);
  const config = readConfig(z.object({ [variable]: z.string().check(z.minLength(1)) }), env) as Record<string, string>;
  const value = fetchSecretValue(client, config[variable] as string);
  // A rejection is reported to whoever awaits it; without this it would also be an unhandled one.
  value.catch(() => undefined);
  return () => value;
};
