import { describe, expect, it } from 'vitest';
import { createLinkSigner, TOKEN_PATTERN } from './links';

const key = 'k'.repeat(48);
const now = Date.parse('2027-03-02T08:00:00Z');
const claims = {
  purpose: 'attendance' as const,
  linkId: 'l-1',
  sessionId: 's-1',
  personId: 'p-1',
  expiresAt: now / 1000 + 3600,
};

describe('signed links', () => {
  it('round-trip their claims, and fit the path pattern the routes accept', () => {
    const signer = createLinkSigner(key);
    const token = signer.sign(claims);
    expect(token).toMatch(TOKEN_PATTERN);
    expect(signer.check(token, now)).toEqual({ ok: true, claims });
  });

  it('refuse a token signed with another key, altered claims, or garbage', () => {
    const signer = createLinkSigner(key);
    const token = signer.sign(claims);
    expect(createLinkSigner('x'.repeat(48)).check(token, now)).toEqual({ ok: false, reason: 'invalid' });
    const [version, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sessionId: 's-2' })).toString('base64url');
    expect(signer.check(`${version}.${forged}.${signature}`, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(signer.check('v1.abc.def', now)).toEqual({ ok: false, reason: 'invalid' });
    expect(signer.check('walk-1', now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuse an expired token, saying so', () => {
    const signer = createLinkSigner(key);
    const token = signer.sign(claims);
    expect(signer.check(token, now + 3600_000)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('refuses a key too short to sign with', () => {
    expect(() => createLinkSigner('short')).toThrow(/at least 32/);
  });
});
