import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { principalFromClaims } from '../shared/auth/principal';
import {
  createLocalIssuer,
  DEPARTMENT_CLIENT_PREFIX,
  LOCAL_CLIENT_ID,
  loadOrCreateSigningKey,
  writeIssuerInfo,
} from './issuer';
import { createJwtAuthorizer } from './jwt-authorizer';
import { mintToken } from './token';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'token-test-'));
const issuerDir = join(dataDir, 'issuer');

const verifierFor = async (issuerUrl: string) => {
  const key = await loadOrCreateSigningKey(issuerDir);
  return createJwtAuthorizer({ issuerUrl, audience: [LOCAL_CLIENT_ID], jwks: createLocalIssuer(key, issuerUrl).jwks });
};

describe('local issuer and the token CLI', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps one signing key per data folder', async () => {
    const first = await loadOrCreateSigningKey(issuerDir);
    const again = await loadOrCreateSigningKey(issuerDir);
    expect(again.kid).toBe(first.kid);
    expect(first.publicJwk).not.toHaveProperty('d');
    const issuer = createLocalIssuer(first, 'http://localhost:3000/local-issuer');
    expect(issuer.openIdConfiguration()).toMatchObject({
      issuer: 'http://localhost:3000/local-issuer',
      jwks_uri: 'http://localhost:3000/local-issuer/.well-known/jwks.json',
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('mints Cognito-shaped ID tokens the authorizer accepts', async () => {
    const token = await mintToken({
      dataDir,
      port: 4321,
      sub: 'p-007',
      groups: ['mentor', 'employee'],
      departmentId: 'it',
    });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      sub: 'p-007',
      iss: 'http://localhost:4321/local-issuer',
      aud: LOCAL_CLIENT_ID,
      token_use: 'id',
      'cognito:groups': ['mentor', 'employee'],
      'custom:personId': 'p-007',
      'custom:departmentId': 'it',
      email: 'p-007@example.com',
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
    const decision = await (await verifierFor('http://localhost:4321/local-issuer'))(`Bearer ${token}`);
    expect(decision.ok).toBe(true);
  });

  it('uses the issuer URL the running platform published', async () => {
    writeIssuerInfo(issuerDir, { issuerUrl: 'http://localhost:3999/local-issuer', clientId: LOCAL_CLIENT_ID });
    const token = await mintToken({ dataDir, sub: 'p-001' });
    expect(decodeJwt(token).iss).toBe('http://localhost:3999/local-issuer');
  });

  it('prints just the token from the command line', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'local/token.ts',
        '--sub',
        'p-002',
        '--groups',
        'admin,employee',
        '--ttl',
        '600',
        '--data-dir',
        dataDir,
        '--port',
        '3000',
      ],
      { cwd: process.cwd() },
    );
    const token = stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      sub: 'p-002',
      'cognito:groups': ['admin', 'employee'],
      iss: 'http://localhost:3000/local-issuer',
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
    expect((await (await verifierFor('http://localhost:3000/local-issuer'))(token)).ok).toBe(true);
  });

  it('mints a department machine client’s access token from the command line (--client)', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'local/token.ts', '--client', 'it', '--data-dir', dataDir, '--port', '3000'],
      { cwd: process.cwd() },
    );
    const token = stdout.trim();
    expect(decodeJwt(token)).toMatchObject({
      sub: 'mentoring-department-it',
      client_id: 'mentoring-department-it',
      token_use: 'access',
      scope: 'mentoring-departments/it',
    });
    expect(decodeJwt(token)).not.toHaveProperty('cognito:groups');
    const key = await loadOrCreateSigningKey(issuerDir);
    const issuerUrl = 'http://localhost:3000/local-issuer';
    const jwks = createLocalIssuer(key, issuerUrl).jwks;
    // The platform's authorizer accepts department clients; one that knows only the people's client does not.
    const platform = createJwtAuthorizer({
      issuerUrl,
      audience: [LOCAL_CLIENT_ID],
      audiencePrefixes: [DEPARTMENT_CLIENT_PREFIX],
      jwks,
    });
    const decision = await platform(`Bearer ${token}`);
    expect(decision.ok && principalFromClaims(decision.jwt.claims)).toEqual({
      personId: 'mentoring-department-it',
      roles: new Set(['department']),
      departmentId: 'it',
    });
    expect((await createJwtAuthorizer({ issuerUrl, audience: [LOCAL_CLIENT_ID], jwks })(`Bearer ${token}`)).ok).toBe(
      false,
    );
  });

  it('refuses a call without --sub', async () => {
    await expect(
      run(process.execPath, ['--import', 'tsx', 'local/token.ts', '--data-dir', dataDir]),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Usage'),
    });
  });
});
