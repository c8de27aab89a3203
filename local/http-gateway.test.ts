import { generateSecret, importJWK, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServices } from '../test/support/fixtures/declarations';
import { localFunctionsOf, runtimeEnvironmentOf } from './environment';
import { type LocalFunctions, startLocalFunctions } from './functions';
import { type HttpGateway, routesOf, startHttpGateway } from './http-gateway';
import {
  createLocalIssuer,
  LOCAL_CLIENT_ID,
  type LocalIssuer,
  loadOrCreateSigningKey,
  type SigningKey,
} from './issuer';
import { createJwtAuthorizer } from './jwt-authorizer';

const endpoints = { dynamodb: 'http://127.0.0.1:9', eventbridge: 'http://127.0.0.1:9', ses: 'http://127.0.0.1:9' };

interface Echo {
  event: Record<string, unknown> & {
    requestContext: Record<string, unknown> & {
      authorizer?: { jwt: { claims: Record<string, string>; scopes: unknown } };
    };
  };
}

describe('local HTTP API (API Gateway payload format 2.0 + JWT authorizer)', () => {
  let functions: LocalFunctions;
  let gateway: HttpGateway;
  let issuer: LocalIssuer;
  let employeeToken: string;
  let signingKey: SigningKey;

  beforeAll(async () => {
    functions = startLocalFunctions({
      functions: localFunctionsOf(fixtureServices),
      repoRoot: process.cwd(),
      environmentOf: (fn) => runtimeEnvironmentOf(fn, endpoints, 'fixture'),
      logs: 'silent',
    });
    const key = await loadOrCreateSigningKey();
    signingKey = key;
    let authorize = createJwtAuthorizer({ issuerUrl: 'unset', audience: [LOCAL_CLIENT_ID], jwks: { keys: [] } });
    gateway = await startHttpGateway({
      port: 0,
      routes: routesOf(fixtureServices),
      invoke: functions.invoke,
      authorize: (authorization) => authorize(authorization),
    });
    issuer = createLocalIssuer(key, `${gateway.url}/local-issuer`);
    authorize = createJwtAuthorizer({ issuerUrl: issuer.issuerUrl, audience: [LOCAL_CLIENT_ID], jwks: issuer.jwks });
    employeeToken = await issuer.mint({ sub: 'ada', groups: ['employee', 'mentor'], departmentId: 'it' });
    await functions.warm(['alpha-echo']);
  });
  afterAll(async () => {
    await gateway.stop();
    await functions.stop();
  });

  const call = (path: string, init: RequestInit = {}, token: string | null = employeeToken) =>
    fetch(`${gateway.url}${path}`, {
      ...init,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) },
    });
  const echo = async (path: string, init: RequestInit = {}) => {
    const response = await call(path, init);
    expect(response.status).toBe(200);
    return ((await response.json()) as Echo).event;
  };

  it('builds the payload 2.0 event API Gateway sends', async () => {
    const event = await echo('/items/hello%20world?tag=a&tag=b&q=x%20y&flag', {
      headers: { 'x-custom': 'one', cookie: 'session=abc; theme=dark', 'user-agent': 'gateway-test' },
    });
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /items/{itemId}',
      rawPath: '/items/hello%20world',
      rawQueryString: 'tag=a&tag=b&q=x%20y&flag',
      cookies: ['session=abc', 'theme=dark'],
      queryStringParameters: { tag: 'a,b', q: 'x y', flag: '' },
      pathParameters: { itemId: 'hello world' },
      isBase64Encoded: false,
    });
    expect(event).not.toHaveProperty('body');
    expect(event.headers).toMatchObject({
      'x-custom': 'one',
      'user-agent': 'gateway-test',
      'x-forwarded-proto': 'http',
    });
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.requestContext).toMatchObject({
      accountId: '000000000000',
      apiId: 'local',
      domainName: `localhost:${gateway.port}`,
      domainPrefix: 'localhost',
      http: {
        method: 'GET',
        path: '/items/hello%20world',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'gateway-test',
      },
      routeKey: 'GET /items/{itemId}',
      stage: '$default',
    });
    expect(event.requestContext.requestId).toMatch(/^[A-Za-z0-9+/]{14,}=$/);
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(typeof event.requestContext.timeEpoch).toBe('number');
  });

  it('hands the verified claims to the function as API Gateway does (strings, lists flattened)', async () => {
    const event = await echo('/items/1');
    const jwt = event.requestContext.authorizer?.jwt;
    expect(jwt?.scopes).toBeNull();
    expect(jwt?.claims).toMatchObject({
      sub: 'ada',
      'cognito:groups': '[employee mentor]',
      'custom:personId': 'ada',
      'custom:departmentId': 'it',
      aud: LOCAL_CLIENT_ID,
      iss: issuer.issuerUrl,
      token_use: 'id',
      email_verified: 'true',
    });
    expect(jwt?.claims.exp).toMatch(/^\d+$/);

    // An access token carries client_id (no aud) and a scope claim.
    const access = await issuer.mint({ sub: 'bot', groups: ['department'], tokenUse: 'access' });
    const response = await call('/items/1', {}, access);
    const accessJwt = ((await response.json()) as Echo).event.requestContext.authorizer?.jwt;
    expect(accessJwt?.claims.client_id).toBe(LOCAL_CLIENT_ID);
    expect(accessJwt?.scopes).toEqual(['aws.cognito.signin.user.admin']);
  });

  it('picks the most specific route: literal, then {param}, then {greedy+}', async () => {
    expect((await echo('/items/special')).routeKey).toBe('GET /items/special');
    expect((await echo('/items')).routeKey).toBe('GET /items');
    const greedy = await echo('/files/a/b%2Fc/d.txt', {
      method: 'PUT',
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(greedy).toMatchObject({ routeKey: 'PUT /files/{proxy+}', pathParameters: { proxy: 'a/b/c/d.txt' } });
  });

  it('passes text bodies as text and anything else base64-encoded', async () => {
    const json = await echo('/items/1', {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(json).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    const csv = await echo('/items/1', { method: 'POST', body: 'a,b\n1,2', headers: { 'content-type': 'text/csv' } });
    expect(csv).toMatchObject({ body: 'a,b\n1,2', isBase64Encoded: false });
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);
    const binary = await echo('/items/1', {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(binary).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });

  it('reads results as API Gateway does', async () => {
    const bare = await call('/items/1?mode=bare');
    expect(bare.status).toBe(200);
    expect(bare.headers.get('content-type')).toBe('application/json');
    expect(await bare.json()).toMatchObject({ hello: 'world' });

    const text = await call('/items/1?mode=string');
    expect(await text.text()).toBe('just a string');

    const binary = await call('/items/1?mode=binary');
    expect(binary.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await binary.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');

    const cookies = await call('/items/1?mode=cookies');
    expect(cookies.status).toBe(201);
    expect(cookies.headers.get('x-fixture')).toBe('yes');
    expect(cookies.headers.getSetCookie()).toEqual(['session=abc; HttpOnly', 'theme=dark']);
    expect(cookies.headers.get('apigw-requestid')).toBeTruthy();
  });

  it("answers in API Gateway's words: 404, 500, 413", async () => {
    const unknown = await call('/nowhere');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'Not Found' });
    const wrongMethod = await call('/items/1', { method: 'DELETE' });
    expect(wrongMethod.status).toBe(404);

    const crash = await call('/items/1?mode=crash');
    expect(crash.status).toBe(500);
    expect(await crash.json()).toEqual({ message: 'Internal Server Error' });

    const tooLarge = await call('/items/1', {
      method: 'POST',
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 97),
      headers: { 'content-type': 'text/plain' },
    });
    expect(tooLarge.status).toBe(413);

    // Under API Gateway's 10 MB but over Lambda's 6 MB request payload: API Gateway answers 413
    // itself (the function never runs), not 500.
    const overLambda = await call('/items/1', {
      method: 'POST',
      body: Buffer.alloc(7 * 1024 * 1024, 97),
      headers: { 'content-type': 'text/plain' },
    });
    expect(overLambda.status).toBe(413);
    expect(await overLambda.json()).toEqual({ message: 'Request Too Long' });
  });

  it('answers CORS preflights itself', async () => {
    const preflight = await fetch(`${gateway.url}/items/1`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.local', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('lets public routes through without a token, and without an authorizer context', async () => {
    const response = await call('/public/echo', {}, null);
    expect(response.status).toBe(200);
    const event = ((await response.json()) as Echo).event;
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  describe('refuses what the JWT authorizer refuses, with 401 and www-authenticate', () => {
    const expectUnauthorized = async (token: string | null, description?: RegExp) => {
      const response = await call('/items/1', {}, token);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Unauthorized' });
      const challenge = response.headers.get('www-authenticate') ?? '';
      expect(challenge).toMatch(/^Bearer/);
      if (description) expect(challenge).toMatch(description);
    };

    it('no token', () => expectUnauthorized(null));

    it('an expired token', async () => {
      const expired = await issuer.mint({
        sub: 'ada',
        groups: ['employee'],
        now: Math.floor(Date.now() / 1000) - 7200,
      });
      await expectUnauthorized(expired, /error="invalid_token" error_description="the token has expired"/);
    });

    it('a token that is not valid yet', async () => {
      const early = await issuer.mint({ sub: 'ada', extraClaims: { nbf: Math.floor(Date.now() / 1000) + 600 } });
      await expectUnauthorized(early, /not valid yet/);
    });

    it('a tampered token', async () => {
      const [header, payload, signature] = employeeToken.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      claims['cognito:groups'] = ['admin'];
      const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
      await expectUnauthorized(forged, /invalid signature/);
    });

    it('another issuer', async () => {
      const key = await loadOrCreateSigningKey();
      const stranger = createLocalIssuer(key, 'http://elsewhere.example/issuer');
      // Its key is not in our JWKS: its kid matches none of our keys.
      await expectUnauthorized(await stranger.mint({ sub: 'ada' }), /no kid matching/);
      // Our own key but another iss claim.
      await expectUnauthorized(
        await issuer.mint({ sub: 'ada', extraClaims: { iss: 'http://elsewhere.example' } }),
        /valid issuer/,
      );
    });

    it('another audience (documented wording)', async () => {
      const token = await issuer.mint({ sub: 'ada', extraClaims: { aud: 'some-other-client' } });
      await expectUnauthorized(token, /error_description="the token does not have a valid audience"/);
    });

    it('alg none and HS256', async () => {
      const now = Math.floor(Date.now() / 1000);
      const claims = { sub: 'ada', iss: issuer.issuerUrl, aud: LOCAL_CLIENT_ID, exp: now + 600, iat: now };
      await expectUnauthorized(new UnsecuredJWT(claims).encode(), /algorithm/);
      const hs256 = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: issuer.jwks.keys[0]?.kid })
        .sign(await generateSecret('HS256'));
      await expectUnauthorized(hs256, /algorithm/);
    });

    it('garbage', () => expectUnauthorized('not-a-jwt', /not a valid JWT/));

    it('a token signed by the issuer’s own key but without a kid, or with a kid the JWKS does not have', async () => {
      const now = Math.floor(Date.now() / 1000);
      const claims = { sub: 'ada', iss: issuer.issuerUrl, aud: LOCAL_CLIENT_ID, exp: now + 600, iat: now };
      const privateKey = await importJWK(signingKey.privateJwk, 'RS256');
      const withoutKid = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
      await expectUnauthorized(withoutKid, /kid/);
      const otherKid = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'not-ours' }).sign(privateKey);
      await expectUnauthorized(otherKid, /kid/);
    });
  });
});
