/**
 * A scheduling service on the run's DynamoDB Local, for domain, adapter and handler tests: its own
 * table, the real store, a clock the test moves, a mailer that keeps every message (parsed back
 * with mailparser when read), and helpers that feed it matching's events as the consumer would.
 */
import { type ParsedMail, simpleParser } from 'mailparser';
import type { PersonSnapshotV1 } from '../../../shared/contracts/matching-events';
import { createDocumentClient } from '../../../shared/dynamo/client';
import { fixedClock, sequentialIds } from '../../../shared/ports';
import type * as z from '../../../shared/zod';
import { createTestTable, type TestTable } from '../../../test/support/dynamodb';
import { createDynamoSchedulingStore } from '../adapters/scheduling-store';
import {
  applyMentorshipEnded,
  applyMentorshipStarted,
  applyPersonChanged,
  applyPodFormed,
  type ConsumedEvent,
} from '../domain/directory';
import { createLinkSigner } from '../domain/links';
import { defaultPolicy, type SchedulingPolicy } from '../domain/policy';
import type { Mailer, OutgoingEmail, SchedulingDependencies } from '../domain/ports';

export const TEST_LINK_KEY = 'test-link-signing-key-0123456789abcdefghijklmnop';

export interface SentEmail extends OutgoingEmail {
  messageId: string;
  parsed(): Promise<ParsedMail>;
}

/** Keeps every message; `failNext` makes the next sends throw like a throttled SES. */
export const recordingMailer = () => {
  const sent: SentEmail[] = [];
  let failures = 0;
  let failure: Error = new Error('Throttling: Maximum sending rate exceeded');
  const mailer: Mailer & { sent: SentEmail[]; failNext(count: number, error?: Error): void } = {
    sent,
    failNext: (count, error) => {
      failures = count;
      if (error) failure = error;
    },
    async send(email) {
      if (failures > 0) {
        failures--;
        throw failure;
      }
      const messageId = `ses-${sent.length + 1}`;
      sent.push({ ...email, messageId, parsed: () => simpleParser(email.raw) });
      return messageId;
    },
  };
  return mailer;
};

export type PersonFields = Partial<z.infer<ReturnType<typeof PersonSnapshotV1>>> & { personId: string };

export const personSnapshot = (fields: PersonFields): z.infer<ReturnType<typeof PersonSnapshotV1>> => ({
  name: `Person ${fields.personId}`,
  email: `${fields.personId}@example.com`,
  timezone: 'Europe/Berlin',
  workingHours: { start: '09:00', end: '17:00' },
  domain: 'backend',
  level: 3,
  projectIds: [],
  managerId: null,
  skills: [],
  growthGoals: [],
  languages: ['en'],
  roles: ['employee'],
  mentorCapacity: 5,
  acceptingMentees: true,
  ...fields,
});

export interface SchedulingTestContext {
  table: TestTable;
  deps: SchedulingDependencies;
  clock: ReturnType<typeof fixedClock>;
  mailer: ReturnType<typeof recordingMailer>;
  /** A matching event's stamp: a fresh id, occurring now. */
  event(): ConsumedEvent;
  person(fields: PersonFields): Promise<void>;
  /** A mentorship (and its pod) that started now; returns its id. */
  mentorship(mentorId: string, menteeId: string, options?: { podId?: string; startedAt?: string }): Promise<string>;
  endMentorship(mentorshipId: string): Promise<void>;
  podFormed(podId: string, mentorId: string, menteeIds: string[]): Promise<void>;
  drop(): Promise<void>;
}

export const schedulingTestContext = async (
  options: { now?: string; policy?: Partial<SchedulingPolicy>; withLinks?: boolean } = {},
): Promise<SchedulingTestContext> => {
  const table = await createTestTable();
  const clock = fixedClock(options.now ?? '2027-03-01T07:00:00Z');
  const newId = sequentialIds('id');
  const mailer = recordingMailer();
  const db = createDocumentClient(table.client);
  const deps: SchedulingDependencies = {
    store: createDynamoSchedulingStore({ db, tableName: table.tableName, service: 'scheduling', clock, newId }),
    clock,
    newId,
    policy: { ...defaultPolicy, ...options.policy },
    mailer,
    sender: { address: 'mentoring@example.com', name: 'Mentoring programme', publicApiUrl: 'https://api.example.test' },
    ...(options.withLinks === false ? {} : { links: createLinkSigner(TEST_LINK_KEY) }),
  };
  let events = 0;
  const mentorships = new Map<string, { mentorId: string; menteeId: string; podId: string; startedAt: string }>();
  const event = (): ConsumedEvent => ({
    id: `evt-${++events}`,
    occurredAt: clock().toISOString(),
    correlationId: `corr-${events}`,
  });
  return {
    table,
    deps,
    clock,
    mailer,
    event,
    person: async (fields) => {
      await applyPersonChanged(deps, { person: personSnapshot(fields) }, event());
    },
    mentorship: async (mentorId, menteeId, { podId = `pod-${mentorId}`, startedAt = clock().toISOString() } = {}) => {
      const mentorshipId = `ms-${mentorId}-${menteeId}`;
      mentorships.set(mentorshipId, { mentorId, menteeId, podId, startedAt });
      await applyMentorshipStarted(
        deps,
        {
          mentorshipId,
          podId,
          mentorId,
          menteeId,
          domain: 'backend',
          startedAt,
          lockedUntil: new Date(Date.parse(startedAt) + 90 * 86_400_000).toISOString(),
          cause: 'matching-run',
          runId: 'run-1',
        },
        event(),
      );
      return mentorshipId;
    },
    endMentorship: async (mentorshipId) => {
      const known = mentorships.get(mentorshipId);
      if (!known) throw new Error(`No test mentorship ${mentorshipId}`);
      await applyMentorshipEnded(
        deps,
        { mentorshipId, ...known, endedAt: clock().toISOString(), reason: 'reassigned' },
        event(),
      );
    },
    podFormed: async (podId, mentorId, menteeIds) => {
      await applyPodFormed(
        deps,
        { podId, mentorId, domain: 'backend', menteeIds, formedAt: clock().toISOString(), runId: 'run-1' },
        event(),
      );
    },
    drop: () => table.drop(),
  };
};

/** The events a test table's outbox holds, oldest first (tests may scan; the service never does). */
export const outboxEvents = async (
  context: Pick<SchedulingTestContext, 'table'>,
): Promise<
  { detailType: string; detail: { metadata: { id: string; occurredAt: string }; data: Record<string, unknown> } }[]
> => {
  const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await context.table.documentClient.send(
      new ScanCommand({
        TableName: context.table.tableName,
        FilterExpression: 'begins_with(pk, :outbox)',
        ExpressionAttributeValues: { ':outbox': 'OUTBOX#' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items
    .map((item) => ({ detailType: String(item.detailType), detail: JSON.parse(String(item.detail)) }))
    .sort(
      (a, b) =>
        a.detail.metadata.occurredAt.localeCompare(b.detail.metadata.occurredAt) ||
        a.detail.metadata.id.localeCompare(b.detail.metadata.id),
    );
};
