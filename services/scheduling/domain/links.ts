/**
 * Signed links in emails, so people answer "did it happen?" or unsubscribe without logging in.
 * A token is `v1.<claims>.<signature>`: the claims as base64url JSON and an HMAC-SHA256 of
 * `v1.<claims>` with the deployment's link-signing key (a declared secret). A token says what it
 * may do (one session's attendance for one person; one kind of email for one person), until when;
 * attendance links also carry an id the service marks used, so each works once.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { lazySchema } from '../../../shared/lazy-schema';
import * as z from '../../../shared/zod';
import { schedulingReminderKinds } from './vocabulary';

const AttendanceClaimsSchema = lazySchema(() =>
  z.strictObject({
    purpose: z.literal('attendance'),
    linkId: z.string().check(z.minLength(1), z.maxLength(64)),
    sessionId: z.string().check(z.minLength(1), z.maxLength(128)),
    personId: z.string().check(z.minLength(1), z.maxLength(64)),
    expiresAt: z.int(),
  }),
);

const UnsubscribeClaimsSchema = lazySchema(() =>
  z.strictObject({
    purpose: z.literal('unsubscribe'),
    personId: z.string().check(z.minLength(1), z.maxLength(64)),
    kind: z.enum(schedulingReminderKinds),
    expiresAt: z.int(),
  }),
);

const ClaimsSchema = lazySchema(() =>
  z.discriminatedUnion('purpose', [AttendanceClaimsSchema(), UnsubscribeClaimsSchema()]),
);
export type LinkClaims = z.infer<ReturnType<typeof ClaimsSchema>>;
export type AttendanceClaims = z.infer<ReturnType<typeof AttendanceClaimsSchema>>;
export type UnsubscribeClaims = z.infer<ReturnType<typeof UnsubscribeClaimsSchema>>;

/** What a token looks like in a path: refused by the route's schema before any crypto runs. */
export const TOKEN_PATTERN = /^v1\.[A-Za-z0-9_-]{10,600}\.[A-Za-z0-9_-]{43}$/;

export type LinkCheck =
  | { ok: true; claims: LinkClaims }
  | { ok: false; reason: 'invalid' | 'expired'; claims?: LinkClaims };

export interface LinkSigner {
  sign(claims: LinkClaims): string;
  /** Checks the signature first, then the claims, then the expiry (`now` in ms). */
  check(token: string, now: number): LinkCheck;
}

const VERSION = 'v1';

export const createLinkSigner = (key: string): LinkSigner => {
  if (key.length < 32) throw new Error('The link-signing key must be at least 32 characters');
  const signatureOf = (payload: string) => createHmac('sha256', key).update(`${VERSION}.${payload}`).digest();
  return {
    sign: (claims) => {
      const payload = Buffer.from(JSON.stringify(ClaimsSchema().parse(claims))).toString('base64url');
      return `${VERSION}.${payload}.${signatureOf(payload).toString('base64url')}`;
    },
    check: (token, now) => {
      const [version, payload, signature] = token.split('.');
      if (version !== VERSION || !payload || !signature || !TOKEN_PATTERN.test(token))
        return { ok: false, reason: 'invalid' };
      const given = Buffer.from(signature, 'base64url');
      const expected = signatureOf(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { ok: false, reason: 'invalid' };
      let parsed: ReturnType<ReturnType<typeof ClaimsSchema>['safeParse']>;
      try {
        parsed = ClaimsSchema().safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
      } catch {
        return { ok: false, reason: 'invalid' };
      }
      if (!parsed.success) return { ok: false, reason: 'invalid' };
      if (parsed.data.expiresAt * 1000 <= now) return { ok: false, reason: 'expired', claims: parsed.data };
      return { ok: true, claims: parsed.data };
    },
  };
};

/** The URL of a link page on the HTTP API. */
export const linkUrl = (publicApiUrl: string, purpose: LinkClaims['purpose'], token: string): string =>
  `${publicApiUrl.replace(/\/$/, '')}/email-links/${purpose}/${token}`;
