/**
 * Matching runs, pods, reassignment and offboarding end to end, through the HTTP API of the
 * local platform: the matching-api function in its worker, DynamoDB Local, the outbox relayed
 * to the local bus, and the offboarding consumer fed by the bus. Then the demo organisation,
 * committed as `npm start -- --seed demo` loads it, and a commit abandoned half-way, finished
 * by the commit sweeper's schedule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEventView } from '../../local/dev-view';
import { demoRosterCsv, seedDemo } from '../../local/seed/demo';
import { createDynamoPairingRepository } from '../../services/matching/adapters/pairing-repository';
import { createDynamoPeopleRepository } from '../../services/matching/adapters/people-repository';
import { createDynamoRunRepository } from '../../services/matching/adapters/run-repository';
import { evaluateObjective } from '../../services/matching/domain/engine/index';
import { type Person, personDefaults } from '../../services/matching/domain/people/person';
import { readRoster } from '../../services/matching/domain/people/roster-csv';
import { CommitInterruptedError } from '../../services/matching/domain/pods/errors';
import { commitRun } from '../../services/matching/domain/pods/matching-runs';
import type { PairingDependencies } from '../../services/matching/domain/pods/ports';
import { createDocumentClient } from '../../shared/dynamo/client';
import { ProblemSchema } from '../../shared/http/problem';
import { fixedClock, sequentialIds } from '../../shared/ports';
import { personBody, testDomains } from '../builders/people';
import { dryRunOf } from '../builders/pods';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { busEvents, deadLetters, envelopeOf, eventually } from './dev-view';
import { itemsOfPages, requestRun } from './matching-runs';

const admin = { sub: 'admin-1', groups: ['admin', 'employee'] };
const coach = { sub: 'coach-1', groups: ['life-coach', 'employee'] };
const employee = (sub: string) => ({ sub, groups: ['employee'] });
const mentor = (sub: string) => ({ sub, groups: ['employee', 'mentor'] });
const coldStart = { timeout: 90_000 };

interface RunView {
  runId: string;
  status: string;
  counts: Record<string, number>;
  abortedReason?: string;
  podsBelowMinimum?: { mentorId: string; load: number }[];
  links: { self: string; pods: string; unmatched: string };
}
interface ResultPod {
  mentorId: string;
  domain: string;
  menteeIds: string[];
  mentees: { menteeId: string; change: string }[];
}
interface LeftOutView {
  kind: string;
  menteeId?: string;
  mentorId?: string;
  reason: string;
}
interface PodView {
  view: string;
  podId: string;
  domain: string;
  mentor: { personId: string; name: string };
  mentees: { personId: string; name: string; match?: { points: number } }[];
  [field: string]: unknown;
}

/** A small domain of its own: m1 (capacity 3) suits e1-e3, m2 (capacity 5) suits e4-e6. */
const organisation: [string, Record<string, unknown>][] = [
  ['m1', { level: 7, roles: ['employee', 'mentor'], mentorCapacity: 3, skills: ['architecture'] }],
  ['m2', { level: 7, roles: ['employee', 'mentor'], mentorCapacity: 5, skills: ['security'] }],
  ...['e1', 'e2', 'e3'].map((id): [string, Record<string, unknown>] => [id, { growthGoals: ['architecture'] }]),
  ...['e4', 'e5', 'e6'].map((id): [string, Record<string, unknown>] => [id, { growthGoals: ['security'] }]),
];

describe('pods through the HTTP API', () => {
  let platform: TestPlatform;
  const api = (path: string, request?: Parameters<TestPlatform['api']>[1]) => platform.api(path, request);
  const run = (body: object, as = coach) => requestRun<RunView>(platform, body, as);
  const ask = (body: object, as = coach) => api('/matching/runs', { method: 'POST', as, json: body });
  /** Every item of a run's paged listing. */
  const pagesOf = <T>(path: string) => itemsOfPages<T>(platform, path, coach);
  const podsAs = async (as: { sub: string; groups: string[] }, query = '?domain=qa') => {
    const response = await api(`/pods${query}`, { as });
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: PodView[] }).items;
  };
  const matchingEvents = async (detailType: string): Promise<BusEventView[]> =>
    (await busEvents(platform)).filter(
      (event) => event.source === 'mentoring.matching' && event.detailType === detailType,
    );
  const expectProblem = async (response: Response, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    return ProblemSchema.parse(await response.json());
  };

  beforeAll(async () => {
    platform = await startTestPlatform();
    expect((await platform.api('/domains', { method: 'PUT', as: admin, json: { domains: testDomains } })).status).toBe(
      200,
    );
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it(
    'seeds a small organisation, runs in the background, records why a stale dry run is not committed, commits a fresh one by id',
    coldStart,
    async () => {
      for (const [personId, fields] of organisation) {
        const body = personBody({
          name: `Person ${personId}`,
          email: `${personId}@example.com`,
          domain: 'qa',
          level: 3,
          projectIds: [],
          managerId: null,
          ...fields,
        });
        expect((await api(`/people/${personId}`, { method: 'PUT', as: admin, json: body })).status).toBe(201);
      }
      const staleRun = await run({ mode: 'dry-run', domains: ['qa'] });
      expect(staleRun).toMatchObject({ status: 'dry-run', counts: { pods: 2, matched: 6 } });
      expect(await podsAs(coach)).toEqual([]);

      const e6 = personBody({
        name: 'Person e6',
        email: 'e6@example.com',
        domain: 'qa',
        level: 4,
        projectIds: [],
        managerId: null,
        growthGoals: ['security'],
      });
      expect((await api('/people/e6', { method: 'PUT', as: admin, json: e6 })).status).toBe(200);
      const refused = await run({ mode: 'commit', runId: staleRun.runId });
      expect(refused).toMatchObject({
        status: 'aborted',
        abortedReason: expect.stringMatching(/People changed since dry run .*: e6/),
      });

      const dry = await run({ mode: 'dry-run', domains: ['qa'] });
      const committed = await run({ mode: 'commit', runId: dry.runId }, admin);
      expect(committed).toMatchObject({ runId: dry.runId, status: 'committed' });
      expect((await ask({ mode: 'commit', runId: dry.runId })).status).toBe(200);
      await expectProblem(await api('/matching/runs/no-such-run', { as: coach }), 404);
      await expectProblem(await ask({ mode: 'commit', runId: dry.runId, extra: 1 }), 400);
      await expectProblem(await ask({ mode: 'dry-run' }, employee('e1')), 403);
      const unknown = await expectProblem(await ask({ mode: 'dry-run', domains: ['astrology'] }), 400);
      expect(unknown.errors?.[0]?.location).toBe('body.domains');
      // Runs are listed newest first, with who asked and the mode.
      const listed = (await (await api('/matching/runs?limit=3', { as: coach })).json()) as {
        items: { runId: string; mode: string; requestedBy: string }[];
      };
      expect(listed.items.map((item) => item.runId)).toEqual([dry.runId, staleRun.runId]);
      expect(listed.items[0]).toMatchObject({ runId: dry.runId, mode: 'dry-run', requestedBy: 'coach-1' });
    },
  );

  it('shows the life coach, a mentor and a mentee each only what they may see', coldStart, async () => {
    const all = (await podsAs(coach)).sort((a, b) => a.mentor.personId.localeCompare(b.mentor.personId));
    expect(all.map((pod) => [pod.mentor.personId, pod.mentees.map((m) => m.personId)])).toEqual([
      ['m1', ['e1', 'e2', 'e3']],
      ['m2', ['e4', 'e5', 'e6']],
    ]);
    expect(all[0]?.view).toBe('programme');
    expect(all[0]?.mentees[0]?.match?.points).toBeGreaterThan(0);

    const mine = await podsAs(mentor('m1'), '');
    expect(mine.map((pod) => [pod.view, pod.mentor.personId])).toEqual([['mentor', 'm1']]);
    expect(JSON.stringify(mine)).not.toMatch(/points|topFactors|m1@example\.com/);
    // The mentor reaches their mentees.
    expect(mine[0]?.mentees[0]).toMatchObject({ personId: 'e1', contact: { email: 'e1@example.com' } });

    const asMentee = await api('/pods', { as: employee('e2') });
    const text = await asMentee.text();
    expect(text).not.toMatch(/points|topFactors|capacity|"load"|e1@example\.com|e3@example\.com|architecture/);
    const [pod] = (JSON.parse(text) as { items: PodView[] }).items;
    // The mentee reaches their mentor (email and time zone), not their fellow mentees.
    expect(pod).toMatchObject({
      view: 'mentee',
      mentor: { personId: 'm1', name: 'Person m1', contact: { email: 'm1@example.com', timezone: 'Europe/London' } },
    });
    expect(pod?.mentees.map((m) => m.name)).toEqual(['Person e1', 'Person e2', 'Person e3']);

    const notMine = await api(`/pods/${pod?.podId}`, { as: employee('e4') });
    const missing = await api('/pods/no-such-pod', { as: employee('e4') });
    expect([notMine.status, missing.status]).toEqual([404, 404]);
    expect(await notMine.text()).not.toContain('m1');

    // A forged cursor (valid base64 JSON, key values DynamoDB would refuse) is the caller's mistake.
    const forged = Buffer.from(JSON.stringify({ pk: '', sk: '', gsi1pk: 'PODS', gsi1sk: '' })).toString('base64');
    await expectProblem(await api(`/pods?cursor=${encodeURIComponent(forged)}`, { as: coach }), 400);

    // Every pairing was announced on the bus.
    await eventually(platform, async () => {
      expect(await matchingEvents('Pod.Formed')).toHaveLength(2);
      expect(await matchingEvents('Mentorship.Started')).toHaveLength(6);
      const completed = (await matchingEvents('MatchingRun.Completed')).map((event) => envelopeOf(event).data.mode);
      expect(completed.sort()).toEqual(['commit', 'dry-run', 'dry-run']);
      // The requests that set the runner going are on the bus too (our own work items).
      expect(await matchingEvents('MatchingRun.Requested')).toHaveLength(4);
    });
  });

  it('turns a mentee’s reassignment request into a move once the life coach approves it', coldStart, async () => {
    const [pod] = await podsAs(employee('e1'), '');
    const asked = await api(`/pods/${pod?.podId}/reassignment-requests`, {
      method: 'POST',
      as: employee('e1'),
      json: { reason: 'Our calendars never meet' },
    });
    expect(asked.status).toBe(201);
    const request = (await asked.json()) as { requestId: string; status: string };
    expect(request.status).toBe('open');
    const open = await api('/reassignment-requests', { as: coach });
    expect(((await open.json()) as { items: { requestId: string }[] }).items.map((r) => r.requestId)).toEqual([
      request.requestId,
    ]);
    await expectProblem(
      await api(`/reassignment-requests/${request.requestId}/decision`, {
        method: 'POST',
        as: admin,
        json: { decision: 'approve' },
      }),
      403,
    );
    const decided = await api(`/reassignment-requests/${request.requestId}/decision`, {
      method: 'POST',
      as: coach,
      json: { decision: 'approve', note: 'moving you to m2' },
    });
    expect(decided.status).toBe(200);
    expect(await decided.json()).toMatchObject({
      request: { status: 'approved' },
      placed: { mentorId: 'm2' },
      // m1 keeps e2 and e3: under the minimum, said so.
      podBelowMinimum: { mentorId: 'm1', load: 2, minimum: 3 },
    });
    // The mentee follows their own request.
    const mine = (await (await api('/reassignment-requests', { as: employee('e1') })).json()) as {
      items: { requestId: string; status: string }[];
    };
    expect(mine.items).toEqual([expect.objectContaining({ requestId: request.requestId, status: 'approved' })]);
    await eventually(platform, async () => {
      const ended = (await matchingEvents('Mentorship.Ended')).map((event) => envelopeOf(event).data);
      expect(ended).toContainEqual(expect.objectContaining({ menteeId: 'e1', mentorId: 'm1', reason: 'reassigned' }));
    });
  });

  it(
    'ends a leaving mentor’s pairings through the bus and re-matches their mentees where there is room',
    coldStart,
    async () => {
      // m1 now holds e2 and e3; m2 holds e4-e6 and e1 (4 of 5).
      expect((await api('/people/m1', { method: 'DELETE', as: admin })).status).toBe(204);
      await eventually(platform, async () => {
        const ended = (await matchingEvents('Mentorship.Ended')).map((event) => envelopeOf(event).data);
        expect(
          ended
            .filter((data) => data.reason === 'offboarded')
            .map((data) => data.menteeId)
            .sort(),
        ).toEqual(['e2', 'e3']);
        expect((await matchingEvents('Pod.Dissolved')).map((event) => envelopeOf(event).data.mentorId)).toEqual(['m1']);
        // The matching service's own rule delivered the offboarding to its consumer.
        const [offboarded] = (await matchingEvents('Person.Offboarded')).filter(
          (event) => envelopeOf(event).data.personId === 'm1',
        );
        expect(offboarded?.deliveries).toContainEqual(
          expect.objectContaining({ rule: expect.stringContaining('people-leaving-or-changing'), status: 'delivered' }),
        );
        const rematched = (await matchingEvents('Mentorship.Started'))
          .map((event) => envelopeOf(event).data)
          .filter((data) => data.cause === 'rematch' && ['e2', 'e3'].includes(String(data.menteeId)));
        expect(rematched).toHaveLength(1);
      });
      const [m2] = await podsAs(coach);
      expect(m2?.mentees).toHaveLength(5);

      // m2 lowers their capacity below the load: allowed, nobody dropped.
      const lowered = await api('/mentors/m2/availability', {
        method: 'PUT',
        as: mentor('m2'),
        json: { capacity: 4, acceptingMentees: false },
      });
      expect(lowered.status).toBe(200);
      expect(await lowered.json()).toMatchObject({
        capacity: 4,
        currentLoad: 5,
        note: expect.stringMatching(/nobody is dropped/),
      });
    },
  );

  it('forms sensible pods from the demo organisation', coldStart, async () => {
    const summary = await seedDemo(platform.urls.api, await platform.mintToken(admin));
    expect(summary.rejected).toBe(0);
    const people: Person[] = readRoster(demoRosterCsv()).flatMap((row) =>
      row.ok
        ? [
            {
              ...personDefaults,
              ...row.input,
              yearsOfExperience: row.input.yearsOfExperience ?? undefined,
              personId: row.personId,
              status: 'active' as const,
              version: 1,
              createdAt: '2026-11-24T00:00:00.000Z',
              updatedAt: '2026-11-24T00:00:00.000Z',
            },
          ]
        : [],
    );
    const domains = [...new Set(people.map((person) => person.domain))];
    const committed = await run({ mode: 'commit', domains });
    expect(committed.status).toBe('committed');
    const resultPods = await pagesOf<ResultPod>(committed.links.pods);
    const leftOut = await pagesOf<LeftOutView>(committed.links.unmatched);

    const pods = await podsAs(coach, '?limit=100');
    const demoPods = pods.filter((pod) => domains.includes(pod.domain));
    expect(demoPods.length).toBe(resultPods.length);
    const byId = new Map(people.map((person) => [person.personId, person]));
    for (const pod of demoPods) {
      expect(pod.mentees.length).toBeGreaterThanOrEqual(3);
      expect(pod.mentees.length).toBeLessThanOrEqual(Math.min(5, byId.get(pod.mentor.personId)?.mentorCapacity ?? 5));
      for (const mentee of pod.mentees) expect(byId.get(mentee.personId)?.domain).toBe(pod.domain);
    }
    const evaluation = evaluateObjective(
      { people, runDate: new Date() },
      demoPods.map((pod) => ({ mentorId: pod.mentor.personId, menteeIds: pod.mentees.map((m) => m.personId) })),
    );
    expect(evaluation.violations).toEqual([]);
    // The demo is shaped so that everyone the programme is for (levels 1-5) gets a mentor, and
    // no mentor is left idle; everyone left out is told why.
    const matched = new Set(demoPods.flatMap((pod) => pod.mentees.map((m) => m.personId)));
    const juniors = people.filter((person) => person.level <= 5 && !person.roles.includes('mentor'));
    expect(juniors.filter((person) => !matched.has(person.personId)).map((person) => person.personId)).toEqual([]);
    expect(leftOut.filter((item) => item.kind === 'mentor-shortfall')).toEqual([]);
    expect(leftOut.every((item) => item.reason.length > 0)).toBe(true);
    // Senior staff no mentor can exist for (the life coach, the admin, each head of domain) are
    // reported apart, not counted as unmatched.
    const noMentor = leftOut.filter((item) => item.kind === 'no-mentor-possible').map((item) => item.menteeId);
    const unmatched = leftOut.filter((item) => item.kind === 'unmatched').map((item) => item.menteeId);
    const heads = people.filter((person) => person.level === 9).map((person) => person.personId);
    expect(noMentor).toEqual(expect.arrayContaining(['p-001', 'p-002', ...heads]));
    expect(unmatched).not.toContain('p-001');
    expect(committed.counts).toMatchObject({ noMentorPossible: noMentor.length, unmatched: unmatched.length });
  });

  it(
    'finishes an abandoned commit from its schedule, then ends the pairing it gave a mentee who left meanwhile',
    coldStart,
    async () => {
      const seeded = organisation.map(([id, fields]): [string, Record<string, unknown>] => [`sw-${id}`, fields]);
      for (const [personId, fields] of seeded) {
        const body = personBody({ name: `Person ${personId}`, email: `${personId}@example.com`, domain: 'sweep' });
        const person = { ...body, level: 3, projectIds: [], managerId: null, skills: [], growthGoals: [], ...fields };
        expect((await api(`/people/${personId}`, { method: 'PUT', as: admin, json: person })).status).toBe(201);
      }
      // A commit that started 20 minutes ago in a function that died after its first step.
      const options = {
        db: createDocumentClient(platform.dynamodb),
        tableName: platform.tables.matching as string,
        service: 'matching',
        clock: fixedClock(new Date(Date.now() - 20 * 60_000)),
        newId: sequentialIds(`sweep-${Date.now()}`),
      };
      const deps: PairingDependencies = {
        people: createDynamoPeopleRepository(options),
        pairings: createDynamoPairingRepository(options),
        runs: createDynamoRunRepository(options),
        clock: options.clock,
        newId: options.newId,
      };
      const dry = await dryRunOf(deps, { mode: 'dry-run', domains: ['sweep'] }, 'coach-1', { correlationId: 'sw' });
      let stepTransactions = 0;
      const dying = {
        send: async (command: { input?: { TransactItems?: { Update?: { Key?: { sk?: string } } }[] } }) => {
          const isStep = command.input?.TransactItems?.some((item) => item.Update?.Key?.sk?.startsWith('STEP#'));
          if (isStep && ++stepTransactions === 2) throw new Error('Task timed out after 29.00 seconds');
          return options.db.send(command as never);
        },
      } as unknown as typeof options.db;
      const crashing = {
        ...deps,
        pairings: createDynamoPairingRepository({ ...options, db: dying }),
        settings: { commitConcurrency: 1 },
      };
      await expect(commitRun(crashing, dry.runId, { correlationId: 'sw' })).rejects.toThrow(CommitInterruptedError);
      const notApplied = (await deps.runs.steps(dry.runId)).find((item) => !item.applied)?.step;
      const leaver = notApplied?.kind === 'place' ? notApplied.menteeIds[0] : undefined;
      if (!leaver) throw new Error('the commit was expected to leave a placement');

      // The slot is held: runs are refused, and the leaver's offboarding is deferred, not dead-lettered.
      await expectProblem(await ask({ mode: 'dry-run', domains: ['sweep'] }), 409);
      expect((await api(`/people/${leaver}`, { method: 'DELETE', as: admin })).status).toBe(204);
      const offboarded = await eventually(platform, async () => {
        const [event] = (await matchingEvents('Person.Offboarded')).filter(
          (candidate) => envelopeOf(candidate).data.personId === leaver,
        );
        expect(event?.deliveries).toContainEqual(
          expect.objectContaining({ rule: expect.stringContaining('people-leaving-or-changing'), status: 'delivered' }),
        );
        return event as BusEventView;
      });
      expect((await deadLetters(platform)).filter((letter) => JSON.stringify(letter).includes(leaver))).toEqual([]);

      const swept = await platform.scheduler.runNow('matching', 'commit-sweeper');
      expect(swept).toMatchObject({ ok: true, result: { commit: { runId: dry.runId, outcome: 'finished' } } });
      const read = await api(`/matching/runs/${dry.runId}`, { as: coach });
      expect(((await read.json()) as RunView).status).toBe('committed');
      const pods = await podsAs(coach, '?domain=sweep');
      expect(pods.map((pod) => pod.mentor.personId).sort()).toEqual(['sw-m1', 'sw-m2']);
      const members = pods.flatMap((pod) => pod.mentees.map((mentee) => mentee.personId));
      expect(members.sort()).toEqual(
        ['sw-e1', 'sw-e2', 'sw-e3', 'sw-e4', 'sw-e5', 'sw-e6'].filter((id) => id !== leaver),
      );
      await eventually(platform, async () => {
        const aboutLeaver = [
          ...(await matchingEvents('Mentorship.Started')),
          ...(await matchingEvents('Mentorship.Ended')),
        ].filter((event) => envelopeOf(event).data.menteeId === leaver);
        const why = (event: BusEventView) => envelopeOf(event).data.reason ?? envelopeOf(event).data.cause;
        expect(aboutLeaver.map((event) => [event.detailType, why(event)]).sort()).toEqual([
          ['Mentorship.Ended', 'offboarded'],
          ['Mentorship.Started', 'matching-run'],
        ]);
        const ended = aboutLeaver.find((event) => event.detailType === 'Mentorship.Ended') as BusEventView;
        expect(envelopeOf(ended).metadata.correlationId).toBe(envelopeOf(offboarded).metadata.correlationId);
      });
      expect(await platform.scheduler.runNow('matching', 'commit-sweeper')).toMatchObject({
        ok: true,
        result: { commit: null, offboardings: 0 },
      });
    },
  );

  it(
    'what the life coach hit: an approval nobody can take is explained and sticks; a domain move ends the pairing it breaks',
    coldStart,
    async () => {
      const guild: [string, Record<string, unknown>][] = [
        ['gm1', { level: 7, roles: ['employee', 'mentor'], mentorCapacity: 3 }],
        ['gm2', { level: 7, roles: ['employee', 'mentor'], mentorCapacity: 3 }],
        ...['g1', 'g2', 'g3', 'g4', 'g5', 'g6'].map((id): [string, Record<string, unknown>] => [id, {}]),
      ];
      for (const [personId, fields] of guild) {
        const body = personBody({ name: `Person ${personId}`, email: `${personId}@example.com`, domain: 'guild' });
        const person = { ...body, level: 3, projectIds: [], managerId: null, skills: [], growthGoals: [], ...fields };
        expect((await api(`/people/${personId}`, { method: 'PUT', as: admin, json: person })).status).toBe(201);
      }
      expect((await run({ mode: 'commit', domains: ['guild'] })).status).toBe('committed');
      const mentorOf = async (menteeId: string) =>
        (await podsAs(coach, '?domain=guild')).find((pod) => pod.mentees.some((m) => m.personId === menteeId))?.mentor
          .personId;
      const leaving = await mentorOf('g1');
      const other = leaving === 'gm1' ? 'gm2' : 'gm1';
      const [pod] = await podsAs(employee('g1'), '');
      const asked = (await (
        await api(`/pods/${pod?.podId}/reassignment-requests`, {
          method: 'POST',
          as: employee('g1'),
          json: { reason: 'r' },
        })
      ).json()) as { requestId: string };
      const decided = await api(`/reassignment-requests/${asked.requestId}/decision`, {
        method: 'POST',
        as: coach,
        json: { decision: 'approve' },
      });
      // Every mentor is full: not placed, and the answer says why for each mentor, and what happens next.
      expect(await decided.json()).toMatchObject({
        placed: null,
        notPlaced: {
          summary: expect.stringMatching(/g1 waits/),
          mentors: expect.arrayContaining([
            { mentorId: leaving, rule: 'left-through-decision', detail: expect.any(String) },
            { mentorId: other, rule: 'no-room', detail: `${other}'s pod holds 3 of 3` },
          ]),
        },
        podBelowMinimum: { mentorId: leaving, load: 2, minimum: 3 },
      });

      // The next dry run flags the pod under the minimum and never puts g1 back with the mentor they left.
      const dry = await run({ mode: 'dry-run', domains: ['guild'] });
      expect(dry.podsBelowMinimum).toEqual([expect.objectContaining({ mentorId: leaving, load: 2 })]);
      const dryPods = await pagesOf<ResultPod>(dry.links.pods);
      expect(dryPods.find((item) => item.mentorId === leaving)?.menteeIds ?? []).not.toContain('g1');

      // A place frees in the other pod: g1 takes it at once (not at the next run).
      const leaverOfOther = (await podsAs(coach, '?domain=guild')).find((item) => item.mentor.personId === other)
        ?.mentees[0]?.personId as string;
      expect((await api(`/people/${leaverOfOther}`, { method: 'DELETE', as: admin })).status).toBe(204);
      await eventually(platform, async () => expect(await mentorOf('g1')).toBe(other));

      // A domain move ends the pairing it makes cross-domain, naming the rule.
      const mover = (await podsAs(coach, '?domain=guild')).find((item) => item.mentor.personId === leaving)?.mentees[0]
        ?.personId as string;
      const moverRecord = (await (await api(`/people/${mover}`, { as: admin })).json()) as Record<string, unknown>;
      expect(
        (await api(`/people/${mover}`, { method: 'PUT', as: admin, json: { ...moverRecord, domain: 'design' } }))
          .status,
      ).toBe(200);
      await eventually(platform, async () => {
        const ended = (await matchingEvents('Mentorship.Ended')).map((event) => envelopeOf(event).data);
        expect(ended).toContainEqual(
          expect.objectContaining({
            menteeId: mover,
            mentorId: leaving,
            reason: 'left-programme',
            rule: 'different-domain',
          }),
        );
      });
      expect(await mentorOf(mover)).toBeUndefined();
    },
  );
});
