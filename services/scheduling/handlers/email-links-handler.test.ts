/** The pages of the links in emails, through their handler: opening records nothing, a click records once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractCoverage } from '../../../test/support/contract-conformance';
import { handlerCaller } from '../../../test/support/http-handler';
import { createLinkSigner } from '../domain/links';
import { scheduleSession } from '../domain/sessions';
import { sweepDueNotices } from '../domain/sweep';
import { emailLinkRoutes } from '../routes/email-links';
import { outboxEvents, type SchedulingTestContext, schedulingTestContext } from '../test-support/context';
import { createEmailLinksHandler } from './email-links-handler';

const coverage = contractCoverage(emailLinkRoutes);

describe('email links', () => {
  let ctx: SchedulingTestContext;
  let call: ReturnType<typeof handlerCaller>['call'];
  /** The token of the first link in the email sent to `to` whose subject starts with `subject`. */
  const linkIn = async (to: string, subject: string, kind: 'attendance' | 'unsubscribe') => {
    for (const email of ctx.mailer.sent.filter((candidate) => candidate.to === to)) {
      const mail = await email.parsed();
      if (!mail.subject?.startsWith(subject)) continue;
      const token = new RegExp(`/email-links/${kind}/([A-Za-z0-9._-]+)`).exec(mail.text ?? '')?.[1];
      if (token) return token;
    }
    throw new Error(`No ${kind} link to ${to} in "${subject}"`);
  };

  beforeAll(async () => {
    ctx = await schedulingTestContext({ now: '2027-03-01T07:00:00Z' });
    call = handlerCaller(createEmailLinksHandler(ctx.deps), coverage).call;
    await ctx.person({ personId: 'm1', name: 'Mia', timezone: 'Europe/Berlin' });
    await ctx.person({ personId: 'e1', name: 'Eli', timezone: 'Europe/Berlin' });
    await ctx.mentorship('m1', 'e1');
    await scheduleSession(
      ctx.deps,
      { personId: 'm1', isLifeCoach: false },
      {
        kind: 'one-on-one',
        mentorId: 'm1',
        menteeId: 'e1',
        startsAt: Date.parse('2027-03-02T10:00:00Z'),
        durationMinutes: 30,
      },
      { correlationId: 'test' },
    );
    // The morning after: both are asked "did it happen?".
    ctx.clock.set('2027-03-03T07:00:00Z');
    await sweepDueNotices(ctx.deps, { correlationId: 'sweep' });
  });
  afterAll(() => ctx.drop());

  it('shows the question without recording anything, then records the click once', async () => {
    const token = await linkIn('e1@example.com', 'Did your', 'attendance');
    const page = await call({
      routeKey: 'GET /email-links/attendance/{token}',
      pathParameters: { token },
      query: { answer: 'yes' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('Did your 1:1 with Mia on Tuesday 2 March 2027, 11:00 (Europe/Berlin) take place?');
    expect(page.body).toContain(`action="${token}?answer=yes"`);
    expect((await ctx.deps.store.getSession('id-1'))?.status).toBe('scheduled');

    const answered = await call({
      routeKey: 'POST /email-links/attendance/{token}',
      pathParameters: { token },
      query: { answer: 'yes' },
    });
    expect(answered.statusCode).toBe(200);
    expect(answered.body).toContain('Recorded: the session took place.');
    expect(await ctx.deps.store.getSession('id-1')).toMatchObject({
      status: 'completed',
      outcome: { by: 'e1', via: 'email-link' },
    });
    expect((await outboxEvents(ctx)).map((event) => event.detailType)).toContain('Session.Completed');

    const again = await call({
      routeKey: 'POST /email-links/attendance/{token}',
      pathParameters: { token },
      query: { answer: 'no' },
    });
    expect(again.statusCode).toBe(410);
    const reopened = await call({ routeKey: 'GET /email-links/attendance/{token}', pathParameters: { token } });
    expect(reopened.body).toContain('This link was used already');
    // Mia's own link: the session is answered already.
    const mias = await linkIn('m1@example.com', 'Did your', 'attendance');
    expect(
      (await call({ routeKey: 'GET /email-links/attendance/{token}', pathParameters: { token: mias } })).body,
    ).toContain('is recorded as completed');
    expect(
      (
        await call({
          routeKey: 'POST /email-links/attendance/{token}',
          pathParameters: { token: mias },
          query: { answer: 'no' },
        })
      ).statusCode,
    ).toBe(409);
  });

  it('refuses a forged link (400) and an expired one (410), and says so on the page', async () => {
    const forged = createLinkSigner('another-deployment-key-0123456789abcdef').sign({
      purpose: 'attendance',
      linkId: 'x',
      sessionId: 'id-1',
      personId: 'e1',
      expiresAt: Date.parse('2028-01-01T00:00:00Z') / 1000,
    });
    expect(
      (
        await call({
          routeKey: 'POST /email-links/attendance/{token}',
          pathParameters: { token: forged },
          query: { answer: 'yes' },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await call({ routeKey: 'GET /email-links/attendance/{token}', pathParameters: { token: 'walk-1' } })).body,
    ).toContain('Link not valid');
    const expired =
      ctx.deps.links?.sign({
        purpose: 'attendance',
        linkId: 'y',
        sessionId: 'id-1',
        personId: 'e1',
        expiresAt: Date.parse('2027-03-03T00:00:00Z') / 1000,
      }) ?? '';
    expect(
      (
        await call({
          routeKey: 'POST /email-links/attendance/{token}',
          pathParameters: { token: expired },
          query: { answer: 'yes' },
        })
      ).statusCode,
    ).toBe(410);
    expect(
      (await call({ routeKey: 'GET /email-links/attendance/{token}', pathParameters: { token: expired } })).body,
    ).toContain('Link expired');
  });

  it('unsubscribes with one click, from the List-Unsubscribe link of the email', async () => {
    const email = ctx.mailer.sent.find(
      (candidate) => candidate.to === 'm1@example.com' && candidate.raw.toString().includes('List-Unsubscribe'),
    );
    const header = (await email?.parsed())?.headerLines.find((line) => line.key === 'list-unsubscribe')?.line ?? '';
    const token = /\/email-links\/unsubscribe\/([A-Za-z0-9._-]+)>/.exec(header)?.[1] ?? '';
    const page = await call({ routeKey: 'GET /email-links/unsubscribe/{token}', pathParameters: { token } });
    expect(page.body).toContain('Mia, you will no longer get &quot;did it happen?&quot; emails');
    expect((await ctx.deps.store.getPreferences('m1'))?.optedOut ?? []).toEqual([]);
    // What a mail client sends (RFC 8058): a POST with List-Unsubscribe=One-Click, no cookie, no login.
    const oneClick = await call({
      routeKey: 'POST /email-links/unsubscribe/{token}',
      pathParameters: { token },
      body: 'List-Unsubscribe=One-Click',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(oneClick.statusCode).toBe(200);
    expect((await ctx.deps.store.getPreferences('m1'))?.optedOut).toEqual(['did-it-happen']);
    const changed = (await outboxEvents(ctx)).filter((event) => event.detailType === 'NotificationPreferences.Changed');
    expect(changed.map((event) => event.detail.data)).toEqual([{ personId: 'm1', optedOut: ['did-it-happen'] }]);
    expect(
      (await call({ routeKey: 'POST /email-links/unsubscribe/{token}', pathParameters: { token } })).statusCode,
    ).toBe(200);
    expect(
      (await outboxEvents(ctx)).filter((event) => event.detailType === 'NotificationPreferences.Changed'),
    ).toHaveLength(1);

    expect(
      (await call({ routeKey: 'POST /email-links/unsubscribe/{token}', pathParameters: { token: 'v1.abc.def' } }))
        .statusCode,
    ).toBe(400);
    expect(
      (await call({ routeKey: 'GET /email-links/unsubscribe/{token}', pathParameters: { token: 'v1.abc.def' } })).body,
    ).toContain('Link not valid');
    ctx.clock.set('2028-06-01T00:00:00Z');
    expect(
      (await call({ routeKey: 'POST /email-links/unsubscribe/{token}', pathParameters: { token } })).statusCode,
    ).toBe(410);
  });

  it('answered every status its routes document', () => {
    expect(coverage.unseen()).toEqual([]);
  });
});
