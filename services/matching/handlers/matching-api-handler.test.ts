import { describe, expect, it } from 'vitest';
import { admin, type CallerClaims, employee, lifeCoach } from '../../../test/builders/http-event';
import { inMemoryMatching, storedPerson } from '../../../test/builders/pods';
import { contractCoverage } from '../../../test/support/contract-conformance';
import { handlerCaller } from '../../../test/support/http-handler';
import { matchingRoutes } from '../routes/pods';
import { createMatchingApiHandler } from './matching-api-handler';

/** Every answer is held against its route's contract; the last test checks each documented status was seen. */
const coverage = contractCoverage(matchingRoutes);

const mentor = (personId: string): CallerClaims => ({ personId, groups: ['employee', 'mentor'] });

const setup = async () => {
  const matching = await inMemoryMatching();
  const { call } = handlerCaller(createMatchingApiHandler(matching.deps), coverage);
  const run = (body: object, caller: CallerClaims = lifeCoach) =>
    call({ routeKey: 'POST /matching/runs', body, caller });
  return { ...matching, call, run };
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
  it('answers 503 when a commit is interrupted half-way, and finishes it when the same run is committed again', async () => {
    const ctx = await setup();
    const dry = await ctx.run({ mode: 'dry-run' });
    const apply = ctx.deps.pairings.apply;
    let calls = 0;
    ctx.deps.pairings.apply = async (change, writeContext) => {
      if (++calls > 1) throw new Error('Task timed out after 29.00 seconds');
      return apply(change, writeContext);
    };
    const interrupted = await ctx.run({ mode: 'commit', runId: dry.json.runId });
    expect(interrupted.statusCode).toBe(503);
    expect(interrupted.headers?.['retry-after']).toBeDefined();
    ctx.deps.pairings.apply = apply;
    const finished = await ctx.run({ mode: 'commit', runId: dry.json.runId });
    expect(finished.statusCode).toBe(200);
    expect(finished.json.status).toBe('committed');
  });

  it('stores a dry run (201), commits it by id (200), and commits a fresh run at once (201)', async () => {
    const ctx = await setup();
    const dry = await ctx.run({ mode: 'dry-run', domains: ['backend'] });
    expect(dry.statusCode).toBe(201);
    expect(dry.json).toMatchObject({ status: 'dry-run', domains: ['backend'], counts: { pods: 2, matched: 6 } });
    expect(dry.json.result.pods[0].mentees[0].topFactors.length).toBeGreaterThan(0);
    expect(dry.json.inputVersions).toBeUndefined();

    const commit = await ctx.run({ mode: 'commit', runId: dry.json.runId });
    expect(commit.statusCode).toBe(200);
    expect(commit.json).toMatchObject({ runId: dry.json.runId, status: 'committed' });

    const atOnce = await ctx.run({ mode: 'commit' }, admin);
    expect(atOnce.statusCode).toBe(201);
    expect(atOnce.json).toMatchObject({ status: 'committed', counts: { lockedPairings: 6 } });

    const read = await ctx.call({
      routeKey: 'GET /matching/runs/{runId}',
      pathParameters: { runId: dry.json.runId },
      caller: admin,
    });
    expect(read.statusCode).toBe(200);
    expect(read.json.status).toBe('committed');
  });

  it('answers 409 when the directory changed since the dry run, naming who', async () => {
    const ctx = await setup();
    const dry = await ctx.run({ mode: 'dry-run' });
    const e3 = (await ctx.deps.people.get('e3')) ?? storedPerson('e3');
    await ctx.deps.people.write(
      { kind: 'person', person: { ...e3, level: 2, version: 2 }, before: e3, events: [] },
      {
        correlationId: 'c',
      },
    );
    const commit = await ctx.run({ mode: 'commit', runId: dry.json.runId });
    expect(commit.statusCode).toBe(409);
    expect(commit.headers?.['content-type']).toBe('application/problem+json');
    expect(commit.json.detail).toMatch(/People changed since dry run .*: e3/);
  });

  it('answers 422 for an unproven result and 404 for an unknown run', async () => {
    const ctx = await setup();
    const dry = await ctx.run({ mode: 'dry-run' });
    const stored = await ctx.deps.runs.get(dry.json.runId);
    if (!stored) throw new Error('run expected');
    const unproven = { ...stored, runId: 'unproven' };
    unproven.result = { ...stored.result, optimality: { ...stored.result.optimality, proven: false, gap: 120 } };
    await ctx.deps.runs.save(unproven, [], [], { correlationId: 'c' });
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
