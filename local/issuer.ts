/**
 * The local stand-in for the Cognito user pool: an RS256 key pair (generated once and kept in
 * the data folder, so minted tokens survive restarts), an OIDC discovery document and a JWKS,
 * and tokens shaped like Cognito ID tokens.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, SignJWT } from 'jose';
import { departmentScopeOf } from '../shared/auth/principal';

/** The app client id the local authorizer accepts (Cognito's would be a random id). */
export const LOCAL_CLIENT_ID = 'mentoring-local-client';
/** Where the issuer lives on the gateway's server. */
export const ISSUER_PATH = '/local-issuer';
/**
 * The app client of a department's machine client (`mentoring-department-it`): in AWS one
 * Cognito app client per department, with the client-credentials grant and its one scope.
 */
export const DEPARTMENT_CLIENT_PREFIX = 'mentoring-department-';
export const departmentClientIdOf = (departmentId: string): string => `${DEPARTMENT_CLIENT_PREFIX}${departmentId}`;

export interface SigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

const KEY_FILE = 'signing-key.json';
const ISSUER_FILE = 'issuer.json';

const newSigningKey = async (): Promise<SigningKey> => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const kid = randomUUID();
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateJwk, publicJwk };
};

/**
 * The issuer's key from `<dir>/signing-key.json`, created on first use. Creation is atomic
 * (write aside, then hard-link into place), so the token CLI and a starting platform racing
 * each other end up with the same key.
 */
export const loadOrCreateSigningKey = async (dir?: string): Promise<SigningKey> => {
  if (!dir) return newSigningKey();
  const file = join(dir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const key = await newSigningKey();
    const aside = `${file}.${process.pid}.${Date.now()}`;
    writeFileSync(aside, JSON.stringify(key, null, 2), { mode: 0o600 });
    try {
      linkSync(aside, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(aside, { force: true });
    }
  }
  return JSON.parse(readFileSync(file, 'utf8')) as SigningKey;
};

/** What the running platform publishes for the token CLI: the issuer URL depends on the port. */
export interface IssuerInfo {
  issuerUrl: string;
  clientId: string;
}

export const writeIssuerInfo = (dir: string, info: IssuerInfo) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, ISSUER_FILE), JSON.stringify(info, null, 2));
};

export const readIssuerInfo = (dir: string): IssuerInfo | undefined => {
  const file = join(dir, ISSUER_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as IssuerInfo) : undefined;
};

export interface MintOptions {
  /** Cognito's `sub`; also the `custom:personId` unless `personId` says otherwise. */
  sub: string;
  /**
   * A department's machine client instead of a person: a client-credentials access token of the
   * app client `mentoring-department-<id>` with the scope `mentoring-departments/<id>`, as
   * Cognito's token endpoint issues it (`sub` and `client_id` are the client id; no groups).
   */
  departmentClient?: string;
  groups?: readonly string[];
  personId?: string;
  departmentId?: string;
  email?: string;
  /** Lifetime in seconds (Cognito's default for ID tokens is one hour). */
  ttlSeconds?: number;
  /** `id` (default) carries `aud`; `access` carries `client_id` and `scope` instead. */
  tokenUse?: 'id' | 'access';
  /** Seconds since the epoch to use as "now" (tests of expiry). */
  now?: number;
  /** Anything else to put in the payload (tests of claim handling). */
  extraClaims?: Record<string, unknown>;
}

export interface LocalIssuer {
  issuerUrl: string;
  clientId: string;
  jwksUrl: string;
  jwks: JSONWebKeySet;
  openIdConfiguration(): Record<string, unknown>;
  mint(options: MintOptions): Promise<string>;
}

export const createLocalIssuer = (key: SigningKey, issuerUrl: string, clientId = LOCAL_CLIENT_ID): LocalIssuer => {
  const jwksUrl = `${issuerUrl}/.well-known/jwks.json`;
  const jwks: JSONWebKeySet = { keys: [key.publicJwk] };
  let privateKey: Awaited<ReturnType<typeof importJWK>> | undefined;

  return {
    issuerUrl,
    clientId,
    jwksUrl,
    jwks,
    openIdConfiguration: () => ({
      issuer: issuerUrl,
      jwks_uri: jwksUrl,
      authorization_endpoint: `${issuerUrl}/oauth2/authorize`,
      token_endpoint: `${issuerUrl}/oauth2/token`,
      response_types_supported: ['code', 'token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile'],
      claims_supported: ['sub', 'email', 'cognito:groups', 'custom:personId', 'custom:departmentId'],
    }),
    mint: async (options) => {
      privateKey ??= await importJWK(key.privateJwk, 'RS256');
      const now = options.now ?? Math.floor(Date.now() / 1000);
      if (options.departmentClient) {
        const client = departmentClientIdOf(options.departmentClient);
        return new SignJWT({
          sub: client,
          token_use: 'access',
          scope: departmentScopeOf(options.departmentClient),
          auth_time: now,
          iss: issuerUrl,
          version: 2,
          jti: randomUUID(),
          client_id: client,
          ...options.extraClaims,
        })
          .setProtectedHeader({ alg: 'RS256', kid: key.kid })
          .setIssuedAt(now)
          .setExpirationTime(now + (options.ttlSeconds ?? 3600))
          .sign(privateKey);
      }
      const tokenUse = options.tokenUse ?? 'id';
      const groups = [...(options.groups ?? [])];
      const payload: Record<string, unknown> = {
        sub: options.sub,
        ...(groups.length > 0 ? { 'cognito:groups': groups } : {}),
        iss: issuerUrl,
        origin_jti: randomUUID(),
        event_id: randomUUID(),
        token_use: tokenUse,
        auth_time: now,
        jti: randomUUID(),
        ...(tokenUse === 'id'
          ? {
              aud: clientId,
              email: options.email ?? `${options.sub}@example.com`,
              email_verified: true,
              'cognito:username': options.sub,
              'custom:personId': options.personId ?? options.sub,
              ...(options.departmentId ? { 'custom:departmentId': options.departmentId } : {}),
            }
          : { client_id: clientId, scope: 'aws.cognito.signin.user.admin', username: options.sub }),
        ...options.extraClaims,
      };
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid: key.kid })
        .setIssuedAt(now)
        .setExpirationTime(now + (options.ttlSeconds ?? 3600))
        .sign(privateKey);
    },
  };
};
