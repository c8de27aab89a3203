import { describe, expect, it } from 'vitest';
import { admin, type CallerClaims, employee, lifeCoach } from '../../../test/builders/http-event';
import { inMemoryMatching, storedPerson, unprovenCopyOf } from '../../../test/builders/pods';
import { contractCoverage } from '../../../test/support/contract-conformance';
import { handlerCaller } from '../../../test/support/http-handler';
import { CommitInterruptedError } from '../domain/pods/errors';
import { processRun, startRun } from '../domain/pods/matching-runs';
import { matchingRoutes } from '../routes/pods';
import { createMatchingApiHandler } from './matching-api-handler';

/** Every answer is held against its route's contract; the last test checks each documented status was seen. */
const coverage = contractCoverage(matchingRoutes);

const mentor = (personId: string): CallerClaims => ({ personId, groups: ['employee', 'mentor'] });

const setup = async () => {
  const matching = await inMemoryMatching();
  const { call } = handlerCaller(createMatchingApiHandler(matching.deps), coverage);
  /** POST /matching/runs, as the API answers it (the run is only requested). */
  const ask = (body: object, caller: CallerClaims = lifeCoach) =>
    call({ routeKey: 'POST /matching/runs', body, caller });
  /** What the runner does on MatchingRun.Requested (the end-to-end tests run the real one). */
  const runner = (runId: string) => processRun(matching.deps, runId, { correlationId: 'runner' });
  const read = (runId: string) =>
    call({ routeKey: 'GET /matching/runs/{runId}', pathParameters: { runId }, caller: lifeCoach });
  /** Asks for a run, lets the runner carry it out, and reads it back. */
  const run = async (body: object, caller: CallerClaims = lifeCoach) => {
    const asked = await ask(body, caller);
    if (asked.statusCode !== 202) return asked;
    await runner(asked.json.runId);
    return read(asked.json.runId);
  };
  return { ...matching, call, ask, runner, read, run };
};

/** A committed organisation: m1 (capacity 3) holds e1-e3, m2 (capacity 5) holds e4-e6. */
const committed = async () => {
  const ctx = await setup();
  await ctx.run({ mode: 'commit' });
  const podOf = async (mentorId: string) => (await ctx.deps.pairings.activePodOfMentor(mentorId))?.pod.podId ?? '';
  return { ...ctx, podOf };
};

const locations = (response: { json: { errors?: { location: string }[] } }) =>
  (response.json.errors ?? []).map((error) => error.location).sort();

describe('POST /matching/runs', () => {
  it('accepts a dry run at once (202, its URL), which the runner computes; a commit of it, then a run committed at once', async () => {
    const ctx = await setup();
    const asked = await ctx.ask({ mode: 'dry-run', domains: ['backend'] });
    expect(asked.statusCode).toBe(202);
    expect(asked.headers?.location).toBe(`/matching/runs/${asked.json.runId}`);
    expect(asked.json).toMatchObject({ status: 'queued', domains: ['backend'], settings: { version: 0 } });
    expect((await ctx.read(asked.json.runId)).json.status).toBe('queued');
    await ctx.runner(asked.json.runId);
    const dry = await ctx.read(asked.json.runId);
    expect(dry.json).toMatchObject({ status: 'dry-run', counts: { pods: 2, matched: 6 }, summary: { proven: true } });
    expect(dry.json.result).toBeUndefined();
    expect(dry.json.inputVersions).toBeUndefined();

    const commit = await ctx.ask({ mode: 'commit', runId: asked.json.runId });
    expect(commit.statusCode).toBe(202);
    expect(commit.json).toMatchObject({ status: 'commit-requested', commitRequestedBy: 'coach-1' });
    await ctx.runner(asked.json.runId);
    expect((await ctx.read(asked.json.runId)).json.status).toBe('committed');
    // Asking again for what is done answers it as it is.
    expect((await ctx.ask({ mode: 'commit', runId: asked.json.runId })).statusCode).toBe(200);

    const atOnce = await ctx.run({ mode: 'commit' }, admin);
    expect(atOnce.json).toMatchObject({ status: 'committed', counts: { lockedPairings: 6 } });
  });

  it('pages through a run’s pods and the people it left out, and lists runs newest first', async () => {
    const ctx = await setup();
    const first = await ctx.run({ mode: 'dry-run' });
    ctx.clock.advance(60_000);
    const second = await ctx.run({ mode: 'dry-run', domains: ['backend'] }, admin);
    const pods = (query: Record<string, string>) =>
      ctx.call({
        routeKey: 'GET /matching/runs/{runId}/pods',
        pathParameters: { runId: first.json.runId },
        query,
        caller: admin,
      });
    const page1 = await pods({ limit: '1' });
    expect(page1.json).toMatchObject({ total: 2, items: [{ mentorId: 'm1' }] });
    expect(page1.json.items[0].mentees[0].topFactors.length).toBeGreaterThan(0);
    const page2 = await pods({ limit: '1', cursor: page1.json.nextCursor });
    expect(page2.json).toMatchObject({ total: 2, items: [{ mentorId: 'm2' }] });
    expect(page2.json.nextCursor).toBeUndefined();
    expect(locations(await pods({ cursor: 'forged' }))).toEqual(['query.cursor']);
    const leftOut = await ctx.call({
      routeKey: 'GET /matching/runs/{runId}/unmatched',
      pathParameters: { runId: first.json.runId },
      caller: admin,
    });
    expect(leftOut.json).toEqual({ items: [], total: 0 });
    for (const routeKey of ['GET /matching/runs/{runId}/pods', 'GET /matching/runs/{runId}/unmatched']) {
      expect((await ctx.call({ routeKey, pathParameters: { runId: 'missing' }, caller: admin })).statusCode).toBe(404);
    }

    const listed = await ctx.call({ routeKey: 'GET /matching/runs', caller: lifeCoach });
    expect(
      listed.json.items.map((run: { runId: string; requestedBy: string }) => [run.runId, run.requestedBy]),
    ).toEqual([
      [second.json.runId, 'admin-1'],
      [first.json.runId, 'coach-1'],
    ]);
    expect(listed.json.items[0]).toMatchObject({ mode: 'dry-run', status: 'dry-run', counts: { matched: 6 } });
  });

  it('finishes a commit that stopped half-way when the runner is invoked again (Lambda’s retry)', async () => {
    const ctx = await setup();
    const dry = await ctx.run({ mode: 'dry-run' });
    await ctx.ask({ mode: 'commit', runId: dry.json.runId });
    const apply = ctx.deps.pairings.apply;
    let calls = 0;
    ctx.deps.pairings.apply = async (change, writeContext) => {
      if (++calls > 1) throw new Error('Task timed out after 900.00 seconds');
      return apply(change, writeContext);
    };
    await expect(ctx.runner(dry.json.runId)).rejects.toThrow(CommitInterruptedError);
    const stopped = await ctx.read(dry.json.runId);
    expect(stopped.json).toMatchObject({ status: 'committing', steps: { total: 2, applied: 1 } });
    expect((await ctx.ask({ mode: 'commit', runId: dry.json.runId })).statusCode).toBe(200);
    ctx.deps.pairings.apply = apply;
    await ctx.runner(dry.json.runId);
    expect((await ctx.read(dry.json.runId)).json.status).toBe('committed');
  });

  it('records on the run why its commit was refused when the directory changed since the dry run, naming who', async () => {
    const ctx = await setup();
    const dry = await ctx.run({ mode: 'dry-run' });
    const e3 = (await ctx.deps.people.get('e3')) ?? storedPerson('e3');
    await ctx.deps.people.write(
      { kind: 'person', person: { ...e3, level: 2, version: 2 }, before: e3, events: [] },
      { correlationId: 'c' },
    );
    const commit = await ctx.run({ mode: 'commit', runId: dry.json.runId });
    expect(commit.json).toMatchObject({
      status: 'aborted',
      abortedReason: expect.stringMatching(/People changed since dry run .*: e3/),
    });
    const again = await ctx.ask({ mode: 'commit', runId: dry.json.runId });
    expect(again.statusCode).toBe(409);
    expect(again.headers?.['content-type']).toBe('application/problem+json');
  });

  it('refuses a run for a domain the programme does not have (400 naming it)', async () => {
    const ctx = await setup();
    const refused = await ctx.ask({ mode: 'dry-run', domains: ['backend', 'astrology'] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json.errors).toEqual([
      { location: 'body.domains', message: expect.stringMatching(/"astrology" is not a domain/) },
    ]);
  });
  it('answers 422 for an unproven result and 404 for an unknown run', async () => {
    const ctx = await setup();
    const { run } = await startRun(ctx.deps, { mode: 'dry-run' }, 'coach-1', { correlationId: 'c' });
    await ctx.deps.runs.save(unprovenCopyOf(run, 'unproven', 120), [], [], { correlationId: 'c' });
    const refused = await ctx.run({ mode: 'commit', runId: 'unproven' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json.detail).toMatch(/not proven optimal \(gap 120/);
    expect((await ctx.run({ mode: 'commit', runId: 'missing' })).statusCode).toBe(404);
    expect(
      (await ctx.call({ routeKey: 'GET /matching/runs/{runId}', pathParameters: { runId: 'missing' }, caller: admin }))
        .statusCode,
    ).toBe(404);
  });

  it('names every wrong field, rejects unknown ones, and forbids everyone but admin and life coach', async () => {
    const ctx = await setup();
    const bad = await ctx.run({ mode: 'dry-run', runId: 'r1', domains: [], extra: true });
    expect(bad.statusCode).toBe(400);
    expect(new Set(locations(bad))).toEqual(new Set(['body.domains', 'body.extra', 'body.runId']));
    const wrongMode = await ctx.run({ mode: 'maybe' });
    expect(locations(wrongMode)).toEqual(['body.mode']);
    const both = await ctx.run({ mode: 'commit', runId: 'r1', domains: ['backend'] });
    expect(locations(both)).toEqual(['body.domains']);
    const onlyWithCommit = await ctx.run({ mode: 'dry-run', runId: 'r1' });
    expect(locations(onlyWithCommit)).toEqual(['body.runId']);
    const badId = await ctx.call({
      routeKey: 'GET /matching/runs/{runId}',
      pathParameters: { runId: 'a b' },
      caller: admin,
    });
    expect(locations(badId)).toEqual(['path.runId']);
    expect((await ctx.run({ mode: 'dry-run' }, employee('e1'))).statusCode).toBe(403);
    expect((await ctx.run({ mode: 'dry-run' }, mentor('m1'))).statusCode).toBe(403);
  });
});

describe('GET and PUT /matching/settings', () => {
  it('lets staff read the settings and an admin change them (ranges checked, If-Match); every later run records them', async () => {
    const ctx = await setup();
    const read = await ctx.call({ routeKey: 'GET /matching/settings', caller: lifeCoach });
    expect(read.json).toMatchObject({ version: 0, weights: {}, repeatPenaltyMonths: 24 });
    const put = (body: object, headers: Record<string, string> = {}, caller = admin) =>
      ctx.call({ routeKey: 'PUT /matching/settings', body, caller, headers });
    const settings = {
      weights: { skills: 60, repeatPast: 40 },
      rules: { minOverlapMinutes: 90 },
      repeatPenaltyMonths: 12,
    };
    expect((await put(settings, {}, lifeCoach)).statusCode).toBe(403);
    const bad = await put({ weights: { skills: 5000, charm: 3 }, rules: { minPodSize: 1 }, repeatPenaltyMonths: 0 });
    expect(locations(bad)).toEqual([
      'body.repeatPenaltyMonths',
      'body.rules.minPodSize',
      'body.weights.charm',
      'body.weights.skills',
    ]);
    expect((await put(settings, { 'if-match': '"3"' })).statusCode).toBe(412);
    const saved = await put(settings, { 'if-match': String(read.headers?.etag) });
    expect(saved.json).toMatchObject({ ...settings, version: 1, updatedBy: 'admin-1' });
    const run = await ctx.run({ mode: 'dry-run' });
    expect(run.json.settings).toEqual({ version: 1, ...settings });
  });
});

describe('GET /pods and /pods/{podId}', () => {
  it('gives programme staff every pod with the match explanation, a page at a time, by domain', async () => {
    const ctx = await committed();
    const first = await ctx.call({ routeKey: 'GET /pods', query: { limit: '1' }, caller: lifeCoach });
    expect(first.statusCode).toBe(200);
    expect(first.json.items).toHaveLength(1);
    expect(first.json.items[0]).toMatchObject({ view: 'programme', mentor: { personId: 'm1', name: 'Person m1' } });
    expect(first.json.items[0].mentees[0].match.topFactors.length).toBeGreaterThan(0);
    const second = await ctx.call({
      routeKey: 'GET /pods',
      query: { limit: '1', cursor: first.json.nextCursor },
      caller: lifeCoach,
    });
    expect(second.json.items[0].mentor.personId).toBe('m2');
    const design = await ctx.call({ routeKey: 'GET /pods', query: { domain: 'design' }, caller: admin });
    expect(design.json.items).toEqual([]);
    const forged = await ctx.call({ routeKey: 'GET /pods', query: { cursor: 'bm9wZQ' }, caller: admin });
    expect(locations(forged)).toEqual(['query.cursor']);
  });

  it('gives a mentor their own pod and a mentee theirs, each with only what they may see', async () => {
    const ctx = await committed();
    const asMentor = await ctx.call({ routeKey: 'GET /pods', caller: mentor('m1') });
    expect(asMentor.json.items).toHaveLength(1);
    expect(asMentor.json.items[0]).toMatchObject({ view: 'mentor', capacity: 3 });
    // The mentor reaches their mentees; the pod shows nothing else about them.
    expect(asMentor.json.items[0].mentees[0]).toMatchObject({
      personId: 'e1',
      contact: { email: 'e1@example.com', timezone: 'Europe/London' },
    });
    expect(asMentor.body).not.toMatch(/points|topFactors|m1@example\.com/);

    const asMentee = await ctx.call({ routeKey: 'GET /pods', caller: employee('e2') });
    const [pod] = asMentee.json.items;
    expect(pod.view).toBe('mentee');
    expect(pod.mentees.map((m: { personId: string }) => m.personId)).toEqual(['e1', 'e2', 'e3']);
    expect(Object.keys(pod.mentees[0])).toEqual(['personId', 'name']);
    // The mentee reaches their mentor, not their fellow mentees.
    expect(pod.mentor).toEqual({
      personId: 'm1',
      name: 'Person m1',
      contact: { email: 'm1@example.com', timezone: 'Europe/London' },
    });
    expect(asMentee.body).not.toMatch(/points|topFactors|capacity|load|e1@example\.com|e3@example\.com/);

    const outsider = await ctx.call({ routeKey: 'GET /pods', caller: employee('nobody') });
    expect(outsider.json.items).toEqual([]);
  });

  it('answers a pod the caller is not in exactly like a missing one', async () => {
    const ctx = await committed();
    const podId = await ctx.podOf('m1');
    const own = await ctx.call({ routeKey: 'GET /pods/{podId}', pathParameters: { podId }, caller: employee('e1') });
    expect(own.statusCode).toBe(200);
    const notMine = await ctx.call({
      routeKey: 'GET /pods/{podId}',
      pathParameters: { podId },
      caller: employee('e4'),
    });
    const missing = await ctx.call({
      routeKey: 'GET /pods/{podId}',
      pathParameters: { podId: 'no-such-pod' },
      caller: employee('e4'),
    });
    expect([notMine.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(notMine.json.title).toBe(missing.json.title);
    expect(notMine.body).not.toContain('m1');
  });
});

describe('reassignment requests', () => {
  it('runs the request and decision round trip', async () => {
    const ctx = await committed();
    const podId = await ctx.podOf('m1');
    const asked = await ctx.call({
      routeKey: 'POST /pods/{podId}/reassignment-requests',
      pathParameters: { podId },
      body: { reason: 'We never find a slot' },
      caller: employee('e1'),
    });
    expect(asked.statusCode).toBe(201);
    const again = await ctx.call({
      routeKey: 'POST /pods/{podId}/reassignment-requests',
      pathParameters: { podId },
      body: { reason: 'Please' },
      caller: employee('e1'),
    });
    expect(again.statusCode).toBe(409);

    const open = await ctx.call({ routeKey: 'GET /reassignment-requests', caller: lifeCoach });
    expect(open.json.items.map((r: { requestId: string }) => r.requestId)).toEqual([asked.json.requestId]);
    // A mentee sees their own request (and nobody else's), and can follow its status.
    const mine = await ctx.call({ routeKey: 'GET /reassignment-requests', caller: employee('e1') });
    expect(mine.json.items.map((r: { requestId: string; status: string }) => [r.requestId, r.status])).toEqual([
      [asked.json.requestId, 'open'],
    ]);
    expect((await ctx.call({ routeKey: 'GET /reassignment-requests', caller: employee('e2') })).json.items).toEqual([]);
    const read = (caller: CallerClaims, requestId = asked.json.requestId) =>
      ctx.call({ routeKey: 'GET /reassignment-requests/{requestId}', pathParameters: { requestId }, caller });
    expect((await read(employee('e1'))).json.status).toBe('open');
    expect((await read(employee('e2'))).statusCode).toBe(404);
    expect((await read(lifeCoach, 'unknown')).statusCode).toBe(404);

    const decide = (body: object, caller: CallerClaims = lifeCoach, requestId = asked.json.requestId) =>
      ctx.call({
        routeKey: 'POST /reassignment-requests/{requestId}/decision',
        pathParameters: { requestId },
        body,
        caller,
      });
    expect((await decide({ decision: 'approve' }, admin)).statusCode).toBe(403);
    expect(locations(await decide({ decision: 'reject', newMentorId: 'm2' }))).toEqual(['body.newMentorId']);
    const cannot = await decide({ decision: 'approve', newMentorId: 'e5' });
    expect(cannot.statusCode).toBe(422);
    expect(cannot.json.errors[0]).toMatchObject({
      location: 'body.newMentorId',
      message: expect.stringMatching(/^no-pod/),
    });
    expect((await decide({ decision: 'approve' }, lifeCoach, 'unknown')).statusCode).toBe(404);

    const approved = await decide({ decision: 'approve', newMentorId: 'm2', note: 'moved to m2' });
    expect(approved.statusCode).toBe(200);
    expect(approved.json).toMatchObject({ request: { status: 'approved' }, placed: { mentorId: 'm2' } });
    expect((await decide({ decision: 'reject' })).statusCode).toBe(409);
    expect((await read(employee('e1'))).json).toMatchObject({ status: 'approved', outcome: { mentorId: 'm2' } });
    expect((await read(lifeCoach)).statusCode).toBe(200);
  });

  it('validates the body and hides pods the caller is not in', async () => {
    const ctx = await committed();
    const podId = await ctx.podOf('m1');
    const ask = (body: object, caller: CallerClaims) =>
      ctx.call({ routeKey: 'POST /pods/{podId}/reassignment-requests', pathParameters: { podId }, body, caller });
    expect(locations(await ask({ reason: '', urgent: true }, employee('e1')))).toEqual(['body.reason', 'body.urgent']);
    expect((await ask({ reason: 'x' }, employee('e4'))).statusCode).toBe(404);
    expect(locations(await ask({ reason: 'x' }, mentor('m1')))).toEqual(['body.menteeId']);
    expect((await ask({ reason: 'x', menteeId: 'e2' }, employee('e1'))).statusCode).toBe(403);
  });
});

describe('PUT /mentors/{personId}/availability', () => {
  it('lets a mentor set their capacity and pause, allowing capacity below the current load', async () => {
    const ctx = await committed();
    const put = (personId: string, body: object, caller: CallerClaims) =>
      ctx.call({ routeKey: 'PUT /mentors/{personId}/availability', pathParameters: { personId }, body, caller });
    const lowered = await put('m2', { capacity: 3, acceptingMentees: false }, mentor('m2'));
    expect(lowered.statusCode).toBe(200);
    expect(lowered.json).toMatchObject({ capacity: 3, acceptingMentees: false, currentLoad: 3 });
    expect(lowered.json.note).toBeUndefined();
    const below = await put('m1', { capacity: 3, acceptingMentees: true }, admin);
    expect(below.json).toMatchObject({ currentLoad: 3 });
    expect((await ctx.deps.people.get('m2'))?.mentorCapacity).toBe(3);

    expect((await put('m1', { capacity: 4, acceptingMentees: true }, mentor('m2'))).statusCode).toBe(404);
    expect((await put('e1', { capacity: 4, acceptingMentees: true }, admin)).statusCode).toBe(409);
    expect((await put('m1', { capacity: 4, acceptingMentees: true }, employee('m1'))).statusCode).toBe(403);
    expect(locations(await put('m1', { capacity: 6, paused: true }, admin))).toEqual([
      'body.acceptingMentees',
      'body.capacity',
      'body.paused',
    ]);
  });
});

describe('the matching-api routes', () => {
  it('serve exactly the routes the declaration gives the function', async () => {
    const { deps } = await inMemoryMatching();
    expect(createMatchingApiHandler(deps).served).toEqual(matchingRoutes);
  });

  it('answered, across this file, every status their contracts document', () => {
    expect(coverage.unseen()).toEqual([]);
  });
});
