/**
 * The pages the links in emails open, public (the token is the credential). Opening one (GET)
 * changes nothing: mail scanners open links. The answer is a POST from the page's button, and
 * the one-click unsubscribe is the POST mail clients send (RFC 8058).
 */

import { defineRoute } from '../../../shared/http/contract';
import { lazySchema } from '../../../shared/lazy-schema';
import * as z from '../../../shared/zod';

/** Loose on purpose: a damaged link still gets a page saying so, not a bare 400. */
const TokenPathSchema = lazySchema(() =>
  z.strictObject({
    token: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,1000}$/, 'must be a link token')),
  }),
);
const Page = { description: 'A page', mediaType: 'text/html', schema: lazySchema(() => z.string()) } as const;

export const attendancePage = defineRoute({
  method: 'GET',
  path: '/email-links/attendance/{token}',
  summary: 'The "did it happen?" page: asks to confirm the answer (opening it records nothing)',
  auth: 'public',
  params: TokenPathSchema,
  query: () => z.strictObject({ answer: z.optional(z.enum(['yes', 'no'])) }),
  responses: { 200: Page },
});

export const answerAttendance = defineRoute({
  method: 'POST',
  path: '/email-links/attendance/{token}',
  summary: 'Record the answer to "did it happen?" (once per link)',
  auth: 'public',
  params: TokenPathSchema,
  query: () => z.strictObject({ answer: z.enum(['yes', 'no']) }),
  responses: { 200: Page },
  problems: {
    400: 'Not a link the platform sent',
    409: 'The session is already recorded (by the other person) or was cancelled',
    410: 'The link expired or was used already',
  },
});

export const unsubscribePage = defineRoute({
  method: 'GET',
  path: '/email-links/unsubscribe/{token}',
  summary: 'The unsubscribe page, for a browser (confirm with its button)',
  auth: 'public',
  params: TokenPathSchema,
  responses: { 200: Page },
});

export const unsubscribe = defineRoute({
  method: 'POST',
  path: '/email-links/unsubscribe/{token}',
  summary: 'One-click unsubscribe (RFC 8058): turns that kind of email off',
  description: 'Mail clients post `List-Unsubscribe=One-Click`; the body is not needed and not read.',
  auth: 'public',
  params: TokenPathSchema,
  responses: { 200: Page },
  problems: { 400: 'Not a link the platform sent', 410: 'The link expired' },
});

export const emailLinkRoutes = [attendancePage, answerAttendance, unsubscribePage, unsubscribe] as const;
