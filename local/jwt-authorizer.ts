/**
 * The checks API Gateway's HTTP API JWT authorizer makes, in its documented order: a token in
 * the identity source (`Authorization`, with or without `Bearer `), an RSA signature by a key
 * of the issuer's JWKS (`kid` must match), then `iss`, then `aud` (or `client_id` when there
 * is no `aud`), then `exp`, `nbf` and `iat`. Role checks are not the authorizer's job.
 */
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';

export interface JwtAuthorizerConfig {
  issuerUrl: string;
  audience: readonly string[];
  /**
   * Audiences accepted by prefix: department machine clients (`mentoring-department-<id>`),
   * whose app clients the deployed authorizer lists one by one.
   */
  audiencePrefixes?: readonly string[];
  jwks: JSONWebKeySet;
}

/** What the function sees in `requestContext.authorizer.jwt`. */
export interface JwtAuthorizerContext {
  claims: Record<string, string>;
  scopes: string[] | null;
}

export type AuthorizerDecision =
  | { ok: true; jwt: JwtAuthorizerContext }
  | { ok: false; wwwAuthenticate: string; reason: string };

/** RSA only, as API Gateway documents; the local issuer signs RS256. */
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512'];

/**
 * The `www-authenticate` value. AWS documents this exact form for a wrong audience
 * (`Bearer scope="" error="invalid_token" error_description="the token does not have a valid
 * audience"`); the other descriptions follow the same form with wording of our own.
 */
const refuse = (description?: string): AuthorizerDecision => ({
  ok: false,
  reason: description ?? 'no token',
  wwwAuthenticate: description ? `Bearer scope="" error="invalid_token" error_description="${description}"` : 'Bearer',
});

/**
 * Claim values reach the function as strings: numbers and booleans as text, lists the way
 * Go prints a slice (`[admin mentor]`), objects as JSON. Observed on AWS, not documented.
 */
export const flattenClaim = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(flattenClaim).join(' ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
};

const scopesOf = (claims: Record<string, unknown>): string[] | null => {
  for (const name of ['scope', 'scp']) {
    const value = claims[name];
    if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
    if (Array.isArray(value)) return value.map(String);
  }
  return null;
};

const tokenOf = (authorization: string | undefined): string | undefined => {
  const value = authorization?.trim();
  if (!value) return undefined;
  const match = /^bearer\s+(.+)$/i.exec(value);
  return (match?.[1] ?? value).trim();
};

export const createJwtAuthorizer = (config: JwtAuthorizerConfig) => {
  const keySet = createLocalJWKSet(config.jwks);

  return async (authorization: string | undefined, nowSeconds = Math.floor(Date.now() / 1000)) => {
    const token = tokenOf(authorization);
    if (!token) return refuse();

    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return refuse('the token is not a valid JWT');
    }
    const algorithm = header.alg;
    if (!algorithm || !RSA_ALGORITHMS.includes(algorithm)) {
      return refuse(`the token's signing algorithm ${algorithm ?? '(none)'} is not supported`);
    }
    // The authorizer picks the key by `kid`: a token without one, or naming no key of the
    // issuer's JWKS, is refused even if one of those keys would verify it.
    if (!header.kid || !config.jwks.keys.some((key) => key.kid === header.kid)) {
      return refuse('the token has no kid matching a key of the issuer');
    }

    let claims: Record<string, unknown>;
    try {
      const { payload } = await compactVerify(token, keySet, { algorithms: RSA_ALGORITHMS });
      claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new Error('not an object');
    } catch {
      return refuse('the token has an invalid signature');
    }

    if (claims.iss !== config.issuerUrl) return refuse('the token does not have a valid issuer');

    const audiences =
      claims.aud !== undefined
        ? Array.isArray(claims.aud)
          ? claims.aud
          : [claims.aud]
        : claims.client_id !== undefined
          ? [claims.client_id]
          : [];
    const accepted = (audience: unknown) =>
      typeof audience === 'string' &&
      (config.audience.includes(audience) ||
        (config.audiencePrefixes ?? []).some((prefix) => audience.startsWith(prefix)));
    if (!audiences.some(accepted)) {
      return refuse('the token does not have a valid audience');
    }

    const exp = claims.exp;
    if (typeof exp !== 'number' || nowSeconds >= exp) return refuse('the token has expired');
    if (typeof claims.nbf === 'number' && nowSeconds < claims.nbf) return refuse('the token is not valid yet');
    if (typeof claims.iat === 'number' && nowSeconds < claims.iat) return refuse('the token was issued in the future');

    const flattened = Object.fromEntries(Object.entries(claims).map(([name, value]) => [name, flattenClaim(value)]));
    return { ok: true, jwt: { claims: flattened, scopes: scopesOf(claims) } } satisfies AuthorizerDecision;
  };
};

export type JwtAuthorizer = ReturnType<typeof createJwtAuthorizer>;
