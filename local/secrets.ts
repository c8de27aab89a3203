/**
 * Declared secrets, locally: each value is generated once into the data folder (so links signed
 * before a restart still verify after it) and served by a Secrets Manager endpoint that speaks
 * what `@aws-sdk/client-secrets-manager` sends (AWS JSON 1.1, `X-Amz-Target:
 * secretsmanager.GetSecretValue`). It is mounted on the local HTTP gateway under
 * `SECRETS_MANAGER_PATH` and reached through the SDK's own `AWS_ENDPOINT_URL_SECRETS_MANAGER`, so
 * the function code that reads a secret in AWS reads it here unchanged. Only GetSecretValue is
 * served; signatures are not checked.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceDeclaration } from '../shared/declaration';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, localSecretIdOf } from './environment';
import type { LocalHttpHandler } from './http-gateway';

export const SECRETS_MANAGER_PATH = '/_local/secretsmanager';

export interface LocalSecret {
  id: string;
  value: string;
  createdAt: number;
}

/** Every declared secret of these services, generated on first start and kept in `<dataDir>/secrets/`. */
export const loadOrCreateSecrets = (
  services: readonly ServiceDeclaration[],
  dataDir: string,
): Map<string, LocalSecret> => {
  const secrets = new Map<string, LocalSecret>();
  for (const service of services) {
    for (const declared of service.secrets) {
      const id = localSecretIdOf(service, declared.name);
      const folder = join(dataDir, 'secrets', service.name);
      const file = join(folder, `${declared.name}.json`);
      if (!existsSync(file)) {
        mkdirSync(folder, { recursive: true });
        // 48 random bytes: as strong as the 64-character value the CDK stack generates.
        const created: LocalSecret = { id, value: randomBytes(48).toString('base64url'), createdAt: Date.now() };
        writeFileSync(file, JSON.stringify(created), { mode: 0o600 });
      }
      secrets.set(id, JSON.parse(readFileSync(file, 'utf8')) as LocalSecret);
    }
  }
  return secrets;
};

const awsError = (status: number, code: string, message: string) => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code },
  body: JSON.stringify({ __type: code, message }),
});

/** The Secrets Manager endpoint, as a handler of the local HTTP gateway. */
export const secretsManagerHandler =
  (secrets: ReadonlyMap<string, LocalSecret>): LocalHttpHandler =>
  async (request) => {
    if (request.url.pathname.replace(/\/$/, '') !== SECRETS_MANAGER_PATH) return undefined;
    if (request.method !== 'POST') return awsError(405, 'InvalidRequestException', 'Only POST is served');
    const target = String(request.headers['x-amz-target'] ?? '');
    if (target !== 'secretsmanager.GetSecretValue') {
      return awsError(
        400,
        'InvalidRequestException',
        `The local Secrets Manager serves only GetSecretValue, not ${target}`,
      );
    }
    let secretId: unknown;
    try {
      secretId = (JSON.parse(request.body.toString('utf8')) as { SecretId?: unknown }).SecretId;
    } catch {
      return awsError(400, 'InvalidRequestException', 'The body is not JSON');
    }
    const secret = typeof secretId === 'string' ? secrets.get(secretId) : undefined;
    if (!secret) {
      return awsError(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({
        ARN: `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:secret:${secret.id}`,
        Name: secret.id,
        VersionId: 'local',
        SecretString: secret.value,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: secret.createdAt / 1000,
      }),
    };
  };
