/**
 * The escalation service's repositories on DynamoDB Local: one transaction per change (state,
 * listing copies, comment, outbox), version checks under truly concurrent writers, the listings
 * the index serves, the directory projection under late and repeated events, the versioned
 * configuration, and themes' windows and once-per-window claims.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImprovementSignalDetectedV1 } from '../../../shared/contracts/escalation-events';
import { pendingEvent } from '../../../shared/events/outbox';
import { InvalidCursorError } from '../../../shared/pagination';
import { fixedClock, sequentialIds } from '../../../shared/ports';
import {
  coachP,
  departmentP,
  employeeP,
  raiseInput,
  routingSettings,
  storedDepartment,
} from '../../../test/builders/escalations';
import { createTestTable, type TestTable } from '../../../test/support/dynamodb';
import { IllegalTransitionError, StaleVersionError } from '../domain/escalations/errors';
import { actOnEscalation, raiseEscalation } from '../domain/escalations/escalations';
import type { RaiseInput } from '../domain/escalations/model';
import type { EscalationDependencies } from '../domain/ports';
import { createDynamoConfigurationRepository } from './configuration-repository';
import { createDynamoDirectoryRepository } from './directory-repository';
import { createDynamoEscalationRepository } from './escalation-repository';
import { createDynamoThemeRepository } from './theme-repository';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table?.drop();
});

const context = { correlationId: 'corr-db' };

/** Every id is prefixed per test, so tests share the table but never meet. */
const setup = async (prefix: string) => {
  const clock = fixedClock('2026-01-19T09:00:00Z');
  const options = {
    db: table.documentClient,
    tableName: table.tableName,
    service: 'escalation',
    clock,
    newId: sequentialIds(`${prefix}-id`),
  };
  const deps: EscalationDependencies = {
    escalations: createDynamoEscalationRepository(options),
    directory: createDynamoDirectoryRepository(options),
    configuration: createDynamoConfigurationRepository(options),
    clock,
    newId: options.newId,
  };
  return { deps, clock, options, themes: createDynamoThemeRepository(options) };
};

const outbox = async (filter: (detail: { data: Record<string, unknown> }) => boolean) => {
  const page = await table.documentClient.send(
    new ScanCommand({
      TableName: table.tableName,
      FilterExpression: 'begins_with(pk, :outbox)',
      ExpressionAttributeValues: { ':outbox': 'OUTBOX#' },
    }),
  );
  return (page.Items ?? [])
    .map((item) => ({ detailType: String(item.detailType), detail: JSON.parse(String(item.detail)) }))
    .filter((item) => filter(item.detail));
};

describe('escalations in DynamoDB', () => {
  it('writes the escalation, its listing copies and its events at once, and reads them back', async () => {
    const { deps } = await setup('a');
    const escalation = await raiseEscalation(deps, employeeP('a-e1'), raiseInput() as RaiseInput, context);
    expect(await deps.escalations.get(escalation.escalationId)).toEqual(escalation);
    const events = await outbox((detail) => detail.data.escalationId === escalation.escalationId);
    expect(events.map((event) => event.detailType).sort()).toEqual(['Escalation.Raised', 'Escalation.Routed']);
    expect(events.every((event) => event.detail.metadata.correlationId === 'corr-db')).toBe(true);
    expect((await deps.escalations.listByReporter({ reporterId: 'a-e1', limit: 5 })).items).toEqual([escalation]);
  });

  it('lets exactly one of two concurrent acknowledgements through; the other is refused on fresh data', async () => {
    const { deps } = await setup('b');
    const escalation = await raiseEscalation(
      deps,
      employeeP('b-e1'),
      raiseInput({ category: 'personal' }) as RaiseInput,
      context,
    );
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () =>
        actOnEscalation(deps, coachP, escalation.escalationId, { kind: 'acknowledge' }, context),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((item) => item.status === 'rejected')) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(IllegalTransitionError);
    }
    expect(
      (await outbox((detail) => detail.data.escalationId === escalation.escalationId)).filter(
        (event) => event.detailType === 'Escalation.Acknowledged',
      ),
    ).toHaveLength(1);
  });

  it('keeps comments in order with their escalation', async () => {
    const { deps, clock } = await setup('c');
    const escalation = await raiseEscalation(
      deps,
      employeeP('c-e1'),
      raiseInput({ category: 'personal' }) as RaiseInput,
      context,
    );
    for (const body of ['first', 'second', 'third']) {
      clock.advance(1000);
      await actOnEscalation(deps, employeeP('c-e1'), escalation.escalationId, { kind: 'comment', body }, context);
    }
    expect((await deps.escalations.comments(escalation.escalationId)).map((comment) => comment.body)).toEqual([
      'first',
      'second',
      'third',
    ]);
    expect((await deps.escalations.get(escalation.escalationId))?.version).toBe(4);
  });

  it('makes one escalation per source event: a repeat is a duplicate, a replay after the marker finds it exists', async () => {
    const { deps } = await setup('d');
    const made = await raiseEscalation(deps, employeeP('d-e1'), raiseInput() as RaiseInput, context);
    const stored = await deps.escalations.get(made.escalationId);
    if (!stored) throw new Error('expected');
    const change = { escalation: { ...stored, escalationId: 'd-auto-1' }, events: [], comment: null };
    const consumed = { correlationId: 'c', consumedEvent: { consumer: 'automatic', eventId: 'd-evt-1' } };
    expect(await deps.escalations.create(change, consumed)).toBe('created');
    expect(await deps.escalations.create(change, consumed)).toBe('duplicate');
    const replay = { correlationId: 'c', consumedEvent: { consumer: 'automatic', eventId: 'd-evt-1-replayed' } };
    expect(await deps.escalations.create(change, replay)).toBe('exists');
    expect(await deps.escalations.create(change, replay)).toBe('duplicate');
  });

  it('serves each listing from the index: a department by status, the life coach by status and SLA state', async () => {
    const { deps } = await setup('e');
    const department = 'e-desk';
    await deps.configuration.putDepartment(storedDepartment(department), null);
    await deps.configuration.putRoutingSettings(
      routingSettings({ version: 1, rules: [{ ruleId: 'to-desk', category: 'culture', departmentId: department }] }),
    );
    const raised = [];
    for (let index = 0; index < 3; index++) {
      raised.push(
        await raiseEscalation(
          deps,
          employeeP(`e-r${index}`),
          raiseInput({ category: 'culture' }) as RaiseInput,
          context,
        ),
      );
    }
    await actOnEscalation(
      deps,
      departmentP(department),
      (raised[1] as { escalationId: string }).escalationId,
      { kind: 'acknowledge' },
      context,
    );
    const queue = await deps.escalations.listByDepartment({ departmentId: department, limit: 10 });
    expect(queue.items.map((item) => item.status)).toEqual(['acknowledged', 'open', 'open']);
    const open = await deps.escalations.listByDepartment({ departmentId: department, status: 'open', limit: 1 });
    expect(open.items).toHaveLength(1);
    const next = await deps.escalations.listByDepartment({
      departmentId: department,
      status: 'open',
      limit: 1,
      cursor: open.nextCursor,
    });
    expect(next.items).toHaveLength(1);
    expect(next.nextCursor).toBeUndefined();
    await expect(
      deps.escalations.listByDepartment({ departmentId: 'other', limit: 1, cursor: open.nextCursor }),
    ).rejects.toBeInstanceOf(InvalidCursorError);

    const acknowledged = await deps.escalations.list({ status: 'acknowledged', slaState: 'on-track', limit: 100 });
    expect(acknowledged.items.map((item) => item.escalationId)).toContain(
      (raised[1] as { escalationId: string }).escalationId,
    );
    const onTrack = await deps.escalations.list({ slaState: 'on-track', limit: 100 });
    expect(onTrack.items.every((item) => item.slaState === 'on-track')).toBe(true);
    expect(onTrack.items.length).toBeGreaterThanOrEqual(3);
  });
});

describe('the directory projection in DynamoDB', () => {
  const consumed = (eventId: string) => ({ correlationId: 'c', consumedEvent: { consumer: 'directory', eventId } });

  it('keeps the newest person whatever order the events come in, and applies each event once', async () => {
    const { deps } = await setup('f');
    const person = (name: string, roles = ['employee']) => ({
      personId: 'f-p1',
      name,
      email: 'f-p1@example.com',
      roles,
      active: true,
    });
    expect(
      await deps.directory.apply(
        { kind: 'person', person: person('New', ['employee', 'life-coach']), asOf: '2026-01-02T00:00:00Z' },
        consumed('f1'),
      ),
    ).toBe('applied');
    await deps.directory.apply({ kind: 'person', person: person('Old'), asOf: '2026-01-01T00:00:00Z' }, consumed('f2'));
    expect((await deps.directory.person('f-p1'))?.name).toBe('New');
    expect((await deps.directory.lifeCoaches()).map((coach) => coach.personId)).toContain('f-p1');
    expect(
      await deps.directory.apply(
        { kind: 'person-offboarded', personId: 'f-p1', asOf: '2026-01-03T00:00:00Z' },
        consumed('f3'),
      ),
    ).toBe('applied');
    expect(
      await deps.directory.apply(
        { kind: 'person-offboarded', personId: 'f-p1', asOf: '2026-01-03T00:00:00Z' },
        consumed('f3'),
      ),
    ).toBe('duplicate');
    expect(await deps.directory.person('f-p1')).toMatchObject({ name: 'New', active: false });
  });

  it('derives pods from mentorships and pods, and a late start of an ended mentorship does not bring it back', async () => {
    const { deps } = await setup('g');
    const mentorship = { mentorshipId: 'g-ms1', podId: 'g-pod1', mentorId: 'g-m1', menteeId: 'g-e1' };
    await deps.directory.apply(
      { kind: 'pod-formed', podId: 'g-pod1', mentorId: 'g-m1', asOf: '2026-01-01T00:00:00Z' },
      consumed('g1'),
    );
    expect(await deps.directory.podOf('g-m1')).toEqual({ podId: 'g-pod1', as: 'mentor' });
    // Ended arrives before Started.
    await deps.directory.apply(
      { kind: 'mentorship-ended', ...mentorship, asOf: '2026-03-01T00:00:00Z' },
      consumed('g2'),
    );
    await deps.directory.apply(
      { kind: 'mentorship-started', ...mentorship, asOf: '2026-01-01T00:00:00Z' },
      consumed('g3'),
    );
    expect(await deps.directory.podOf('g-e1')).toBeNull();
    await deps.directory.apply(
      {
        kind: 'mentorship-started',
        ...mentorship,
        mentorshipId: 'g-ms2',
        podId: 'g-pod2',
        mentorId: 'g-m2',
        asOf: '2026-03-02T00:00:00Z',
      },
      consumed('g4'),
    );
    expect(await deps.directory.podOf('g-e1')).toEqual({ podId: 'g-pod2', as: 'mentee' });
    expect(await deps.directory.mentorOfPod('g-pod2')).toBe('g-m2');
    await deps.directory.apply(
      { kind: 'pod-dissolved', podId: 'g-pod1', mentorId: 'g-m1', asOf: '2026-04-01T00:00:00Z' },
      consumed('g5'),
    );
    expect(await deps.directory.podOf('g-m1')).toBeNull();
  });
});

describe('configuration in DynamoDB', () => {
  it('versions departments and routing settings, refusing a write based on a stale version', async () => {
    const { deps } = await setup('h');
    await deps.configuration.putDepartment(storedDepartment('h-it'), null);
    await expect(deps.configuration.putDepartment(storedDepartment('h-it'), null)).rejects.toBeInstanceOf(
      StaleVersionError,
    );
    await deps.configuration.putDepartment({ ...storedDepartment('h-it'), version: 2, name: 'Renamed' }, 1);
    expect((await deps.configuration.department('h-it'))?.name).toBe('Renamed');
    expect(await deps.configuration.existingDepartments(['h-it', 'h-none'])).toEqual(new Set(['h-it']));
  });
});

describe('themes in DynamoDB', () => {
  it('reads a window of a theme and claims an emission once per window', async () => {
    const { themes } = await setup('i');
    const contribution = (escalationId: string, raisedAt: string) => ({
      theme: 'tag:i-vpn',
      escalationId,
      raisedAt,
      category: 'tools',
      departmentId: 'it',
      reporterId: `r-${escalationId}`,
      podId: null,
      reporterPodRole: null,
      confidential: false,
    });
    await themes.record([
      contribution('old', '2025-11-01T00:00:00.000Z'),
      contribution('new', '2026-01-10T00:00:00.000Z'),
    ]);
    await themes.record([contribution('new', '2026-01-10T00:00:00.000Z')]);
    expect(
      (await themes.contributions('tag:i-vpn', '2025-12-20T00:00:00.000Z')).map((item) => item.escalationId),
    ).toEqual(['new']);
    const event = pendingEvent(ImprovementSignalDetectedV1, {
      signalId: 'i-s1',
      departmentId: 'it',
      theme: { kind: 'tag', value: 'i-vpn' },
      escalations: 3,
      distinctPods: 3,
      distinctReporters: 3,
      thresholds: { minPods: 3, minReporters: 3 },
      window: { from: '2025-12-20T00:00:00.000Z', to: '2026-01-19T00:00:00.000Z', days: 30 },
      detectedAt: '2026-01-19T00:00:00.000Z',
    });
    expect(
      await themes.claim('tag:i-vpn', 'signal', '2026-01-19T00:00:00.000Z', '2025-12-20T00:00:00.000Z', event, context),
    ).toBe(true);
    expect(
      await themes.claim('tag:i-vpn', 'signal', '2026-01-25T00:00:00.000Z', '2025-12-26T00:00:00.000Z', event, context),
    ).toBe(false);
    expect(
      await themes.claim('tag:i-vpn', 'circle', '2026-01-25T00:00:00.000Z', '2025-12-26T00:00:00.000Z', event, context),
    ).toBe(true);
    expect(
      await themes.claim('tag:i-vpn', 'signal', '2026-02-20T00:00:00.000Z', '2026-01-21T00:00:00.000Z', event, context),
    ).toBe(true);
    expect(await outbox((detail) => detail.data.signalId === 'i-s1')).toHaveLength(3);
  });
});
