/** Declared secrets locally: generated once into the data folder, read with the real Secrets Manager client. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineService, secretIdVariableOf } from '../shared/declaration';
import { declaredSecret, fetchSecretValue } from '../shared/secrets';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localSecretIdOf } from './environment';
import { type HttpGateway, startHttpGateway } from './http-gateway';
import { loadOrCreateSecrets, SECRETS_MANAGER_PATH, secretsManagerHandler } from './secrets';

const service = defineService({
  name: 'vault',
  description: 'A service with a secret',
  secrets: [{ name: 'link-signing-key', description: 'Signs links' }],
  functions: [
    {
      name: 'reader',
      entry: 'nowhere.ts',
      description: 'Reads it',
      memoryMb: 128,
      timeoutSeconds: 3,
      access: { secrets: ['link-signing-key'] },
    },
  ],
});

describe('local secrets', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'secrets-'));
  let gateway: HttpGateway;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    gateway = await startHttpGateway({
      routes: [],
      port: 0,
      invoke: async () => {
        throw new Error('no functions here');
      },
      authorize: async () => ({ ok: false, reason: 'none', wwwAuthenticate: 'Bearer' }),
      localHandlers: [secretsManagerHandler(loadOrCreateSecrets([service], dataDir))],
    });
    client = new SecretsManagerClient({
      endpoint: `${gateway.url}${SECRETS_MANAGER_PATH}`,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  });
  afterAll(async () => {
    client.destroy();
    await gateway.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('generates each declared secret once and keeps it across restarts', () => {
    const first = loadOrCreateSecrets([service], dataDir).get(localSecretIdOf(service, 'link-signing-key'));
    const again = loadOrCreateSecrets([service], dataDir).get(localSecretIdOf(service, 'link-signing-key'));
    expect(first?.value).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(again?.value).toBe(first?.value);
    const elsewhere = mkdtempSync(join(tmpdir(), 'secrets-'));
    expect(loadOrCreateSecrets([service], elsewhere).get(localSecretIdOf(service, 'link-signing-key'))?.value).not.toBe(
      first?.value,
    );
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('serves GetSecretValue to the real SDK client, and ResourceNotFoundException for an unknown id', async () => {
    const stored = loadOrCreateSecrets([service], dataDir).get(localSecretIdOf(service, 'link-signing-key'));
    expect(await fetchSecretValue(client, localSecretIdOf(service, 'link-signing-key'))).toBe(stored?.value);
    await expect(fetchSecretValue(client, 'mentoring/vault/nope')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('gives a function its secret through the declared id variable, and fails at once without it', async () => {
    const env = { [secretIdVariableOf('link-signing-key')]: localSecretIdOf(service, 'link-signing-key') };
    expect(secretIdVariableOf('link-signing-key')).toBe('LINK_SIGNING_KEY_SECRET_ID');
    const read = declaredSecret('link-signing-key', env, client);
    expect(await read()).toHaveLength(64);
    expect(() => declaredSecret('link-signing-key', {}, client)).toThrow(/LINK_SIGNING_KEY_SECRET_ID/);
  });

  it('refuses to declare access to a secret the service does not declare', () => {
    expect(() =>
      defineService({
        name: 'leaky',
        description: 'x',
        functions: [{ ...service.functions[0], access: { secrets: ['other'] } } as (typeof service.functions)[0]],
      }),
    ).toThrow(/undeclared secret "other"/);
  });
});
