/**
 * `npm run bench:scheduling`: what one reminder sweep reads, for an organisation of 1,000 and of
 * 10,000 people with the same due work. Each case gets a fresh table on an in-memory DynamoDB
 * Local: N people with their preferences and calendars, a mentorship (cadence and its pending
 * notices, none due) for 4 in 5 of them, a scheduled session with its pending notices for 1 in 5,
 * and the same 100 mentorships whose "1:1 due" reminders (200 emails) are due. The sweep then
 * runs once; every DynamoDB call reports its consumed capacity (ReturnConsumedCapacity: TOTAL).
 * The sweep reads only the due index and what each due notice needs, so the figures must not grow
 * with N (read units at 10,000 / at 1,000 <= 1.2).
 */
import { performance } from 'node:perf_hooks';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLocalDynamoDbClient, ensureTable, startDynamoDbLocal } from '../../../local/dynamodb';
import { chunksOf, forEachLimited } from '../../../shared/concurrency';
import { standardTable } from '../../../shared/declaration';
import { batchPut } from '../../../shared/dynamo/batch';
import { fixedClock, sequentialIds } from '../../../shared/ports';
import {
  cadencesIndexKey,
  calendarEntryKey,
  dueIndexKey,
  mentorshipKey,
  mentorshipLinkKey,
  noticeKey,
  peopleIndexKey,
  personKey,
  preferencesKey,
  sessionKey,
  sessionsIndexKey,
} from '../adapters/keys';
import { createDynamoSchedulingStore } from '../adapters/scheduling-store';
import { cadenceNotices } from '../domain/cadence';
import { createLinkSigner } from '../domain/links';
import type { MentorshipRecord, Notice, PersonRecord, Session } from '../domain/model';
import { sessionNotices } from '../domain/notices';
import { defaultPolicy } from '../domain/policy';
import { sweepDueNotices } from '../domain/sweep';

const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Sydney',
  'America/Sao_Paulo',
  'Europe/London',
];
const NOW = Date.parse('2027-03-08T12:00:00Z');
const DUE_MENTORSHIPS = 100;
const DAY = 86_400_000;

interface Capacity {
  reads: number;
  writes: number;
  calls: Record<string, number>;
}

/** A document client that asks every call for its consumed capacity and adds it up. */
const meteredClient = (endpoint: string, capacity: Capacity) => {
  const db = DynamoDBDocumentClient.from(createLocalDynamoDbClient(endpoint), {
    marshallOptions: { removeUndefinedValues: true },
  });
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] };
      const consumed = [output.ConsumedCapacity ?? []]
        .flat()
        .reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
      const command = context.commandName ?? 'unknown';
      const isWrite = /Put|Update|Delete|Write/.test(command);
      if (isWrite) capacity.writes += consumed;
      else capacity.reads += consumed;
      capacity.calls[command] = (capacity.calls[command] ?? 0) + 1;
      return result;
    },
    { step: 'initialize', name: 'meterCapacity' },
  );
  return db;
};

const personOf = (index: number): PersonRecord => {
  const personId = `p-${String(index).padStart(6, '0')}`;
  return {
    personId,
    profile: {
      name: `Person ${index}`,
      email: `${personId}@example.com`,
      timezone: ZONES[index % ZONES.length] as string,
      workingHours: { start: '09:00', end: '17:00' },
      domain: `domain-${index % 10}`,
      roles: ['employee'],
    },
    profileStamp: '2027-01-01T00:00:00.000Z|seed',
    status: 'active',
    statusStamp: '2027-01-01T00:00:00.000Z|seed',
    atRisk: null,
    atRiskStamp: null,
    version: 1,
  };
};

const noticeItem = (notice: Notice) => ({
  ...noticeKey(notice),
  ...(notice.state === 'pending' ? dueIndexKey(notice, notice.dueAt) : {}),
  ...notice,
});

/** N people; mentorships and sessions in proportion; the same DUE_MENTORSHIPS pairs due now. */
const seed = async (db: DynamoDBDocumentClient, tableName: string, people: number) => {
  const items: Record<string, unknown>[] = [];
  const policy = defaultPolicy;
  const persons = Array.from({ length: people }, (_, index) => personOf(index));
  for (const person of persons) {
    items.push({
      ...personKey(person.personId),
      ...peopleIndexKey(person.profile?.domain ?? '', person.personId),
      ...person,
    });
    items.push({
      ...preferencesKey(person.personId),
      personId: person.personId,
      optedOut: [],
      meetingLink: null,
      version: 1,
    });
  }
  // Mentor i*5 takes mentees i*5+1..4: 4 in 5 people are mentees.
  const mentorships: MentorshipRecord[] = [];
  for (let mentor = 0; mentor + 4 < people; mentor += 5) {
    for (let offset = 1; offset <= 4; offset++) {
      const mentorId = persons[mentor]?.personId as string;
      const menteeId = persons[mentor + offset]?.personId as string;
      // The first DUE_MENTORSHIPS started 10 days ago (due in 4 days, reminders due); the rest 2 days ago.
      const startedAt = new Date(NOW - (mentorships.length < DUE_MENTORSHIPS ? 10 : 2) * DAY).toISOString();
      mentorships.push({
        mentorshipId: `ms-${mentorId}-${menteeId}`,
        podId: `pod-${mentorId}`,
        mentorId,
        menteeId,
        startedAt,
        status: 'active',
        endedAt: null,
        endReason: null,
        lastCompletedAt: null,
        upcoming: {},
        version: 1,
      });
    }
  }
  const zoneOf = (personId: string) => persons[Number(personId.slice(2))]?.profile?.timezone ?? 'UTC';
  for (const [index, mentorship] of mentorships.entries()) {
    items.push({
      ...mentorshipKey(mentorship.mentorshipId),
      ...cadencesIndexKey(mentorship.mentorId, mentorship.menteeId, mentorship.mentorshipId),
      ...mentorship,
    });
    for (const [personId, role] of [
      [mentorship.mentorId, 'mentor'],
      [mentorship.menteeId, 'mentee'],
    ] as const) {
      items.push({
        ...mentorshipLinkKey(personId, mentorship.mentorshipId),
        mentorshipId: mentorship.mentorshipId,
        role,
        active: true,
      });
    }
    const recipients = [mentorship.mentorId, mentorship.menteeId].map((personId) => ({
      personId,
      timezone: zoneOf(personId),
    }));
    // Worked out when the mentorship started: the due ones have their reminders in the past now.
    const { put } = cadenceNotices(mentorship, recipients, Date.parse(mentorship.startedAt), policy);
    const due = index < DUE_MENTORSHIPS;
    for (const notice of put) {
      if (notice.kind === 'one-on-one-due' && due)
        items.push(noticeItem({ ...notice, dueAt: new Date(NOW - 3_600_000).toISOString() }));
      else items.push(noticeItem(notice));
    }
  }
  // 1 in 5 people has a 1:1 next month (calendars and notices that are not due).
  for (const [index, mentorship] of mentorships.entries()) {
    if (index % 4 !== 0) continue;
    const startsAt = new Date(NOW + (20 + (index % 7)) * DAY).toISOString();
    const session: Session = {
      sessionId: `s-${index}`,
      kind: 'one-on-one',
      status: 'scheduled',
      hostId: mentorship.mentorId,
      participantIds: [mentorship.mentorId, mentorship.menteeId],
      mentorshipId: mentorship.mentorshipId,
      podId: mentorship.podId,
      planId: null,
      seriesId: `mentorship-${mentorship.mentorshipId}`,
      startsAt,
      endsAt: new Date(Date.parse(startsAt) + 30 * 60_000).toISOString(),
      videoLink: 'https://meet.example.com/x',
      agenda: '',
      actionItems: [],
      sequence: 0,
      createdAt: new Date(NOW - DAY).toISOString(),
      createdBy: mentorship.menteeId,
      updatedAt: new Date(NOW - DAY).toISOString(),
      outcome: null,
      cancelled: null,
      version: 1,
    };
    items.push({
      ...sessionKey(session.sessionId),
      ...sessionsIndexKey(session.startsAt, session.sessionId),
      ...session,
    });
    for (const personId of session.participantIds) {
      items.push({
        ...calendarEntryKey(personId, session.startsAt, session.sessionId),
        personId,
        sessionId: session.sessionId,
        kind: session.kind,
        status: session.status,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
      });
    }
    for (const notice of sessionNotices(session, zoneOf, NOW - DAY, policy.email, { invite: false }).put)
      items.push(noticeItem(notice));
  }
  // Eight batches at a time: the seeding is not what is measured.
  await forEachLimited(chunksOf(items, 500), 8, (chunk) => batchPut(db, tableName, chunk));
  return { items: items.length, mentorships: mentorships.length };
};

const runCase = async (endpoint: string, people: number) => {
  const client = createLocalDynamoDbClient(endpoint);
  const tableName = `bench-sweep-${people}-${Date.now()}`;
  await ensureTable(client, { tableName, declaration: standardTable });
  const seedStarted = performance.now();
  const seeded = await seed(DynamoDBDocumentClient.from(client), tableName, people);
  process.stdout.write(
    `  ${people} people: ${seeded.items} items written in ${Math.round(performance.now() - seedStarted)} ms\n`,
  );
  const capacity: Capacity = { reads: 0, writes: 0, calls: {} };
  const db = meteredClient(endpoint, capacity);
  const clock = fixedClock(new Date(NOW));
  const newId = sequentialIds('bench');
  let sent = 0;
  const deps = {
    store: createDynamoSchedulingStore({ db, tableName, service: 'scheduling', clock, newId }),
    clock,
    newId,
    policy: defaultPolicy,
    mailer: {
      send: async () => {
        sent++;
        return `m-${sent}`;
      },
    },
    sender: { address: 'mentoring@example.com', name: 'Mentoring programme', publicApiUrl: 'https://api.example.test' },
    links: createLinkSigner('bench-link-signing-key-0123456789abcdefgh'),
  };
  const started = performance.now();
  const summary = await sweepDueNotices(deps, { correlationId: 'bench' });
  const ms = performance.now() - started;
  client.destroy();
  return { people, items: seeded.items, mentorships: seeded.mentorships, summary, sent, ms, capacity };
};

const main = async () => {
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  try {
    const results = [];
    const sizes = (process.env.BENCH_PEOPLE ?? '1000,10000').split(',').map(Number);
    for (const people of sizes) results.push(await runCase(dynamodb.endpoint, people));
    const rows = results.map(
      (result) =>
        `| ${result.people.toLocaleString('en')} | ${result.items.toLocaleString('en')} | ${result.summary.due} | ${result.sent} | ${result.capacity.reads.toFixed(1)} | ${result.capacity.writes.toFixed(1)} | ${Object.entries(
          result.capacity.calls,
        )
          .map(([command, count]) => `${command.replace('Command', '')} ${count}`)
          .join(', ')} | ${Math.round(result.ms)} |`,
    );
    const [small, large] = results;
    const ratio = (large?.capacity.reads ?? 0) / (small?.capacity.reads || 1);
    process.stdout.write(
      [
        '',
        'One reminder sweep, DynamoDB Local (in memory), consumed capacity as reported by ReturnConsumedCapacity: TOTAL',
        '',
        '| people | items in the table | due notices | emails sent | read units | write units | calls | sweep ms |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
        ...rows,
        '',
        `read units at 10,000 / at 1,000 = ${ratio.toFixed(3)} (must be <= 1.2): ${ratio <= 1.2 ? 'ok' : 'TOO HIGH'}`,
        '',
      ].join('\n'),
    );
    if (ratio > 1.2) process.exitCode = 1;
  } finally {
    await dynamodb.stop();
  }
};

await main();
