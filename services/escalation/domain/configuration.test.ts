import { describe, expect, it } from 'vitest';
import { adminP, coachP, departmentInput, departmentP, inMemoryEscalations } from '../../../test/builders/escalations';
import { getDepartment, putDepartment, putRoutingSettings, testRouting } from './configuration';
import { DepartmentInputSchema } from './departments';
import {
  DepartmentNotFoundError,
  NotEntitledError,
  StaleVersionError,
  UnknownDepartmentsError,
  WebhookCredentialsRequiredError,
} from './escalations/errors';
import { RoutingSettingsInputSchema } from './routing';

const setup = async () => {
  const ctx = await inMemoryEscalations();
  return {
    ...ctx,
    configDeps: { configuration: ctx.store.configuration, webhooks: ctx.store.webhooks, clock: ctx.clock },
  };
};

const apiKey = { kind: 'api-key' as const, headerName: 'X-Api-Key', value: 'secret-1' };

describe('departments', () => {
  it('are created, then replaced with a new version', async () => {
    const { configDeps } = await setup();
    const created = await putDepartment(configDeps, 'facilities', departmentInput({ name: 'Facilities' }));
    expect(created).toMatchObject({ created: true, department: { departmentId: 'facilities', version: 1 } });
    const replaced = await putDepartment(configDeps, 'facilities', departmentInput({ name: 'Facilities & travel' }));
    expect(replaced).toMatchObject({ created: false, department: { name: 'Facilities & travel', version: 2 } });
  });

  it('set up the tracker webhook with its credentials, keep only what is not secret, and remove it', async () => {
    const { configDeps, store } = await setup();
    const url = 'https://tracker.example.com/hooks/escalations';
    const withHook = await putDepartment(configDeps, 'it', departmentInput({ webhook: { url, auth: apiKey } }));
    expect(store.webhookSettings.get('it')).toEqual({ url, auth: apiKey });
    expect(withHook.department.webhook).toEqual({ url, authKind: 'api-key', authName: 'X-Api-Key' });
    expect(JSON.stringify(await store.configuration.department('it'))).not.toContain('secret-1');
    // A later PUT may leave the credentials out: the delivery keeps them.
    const kept = await putDepartment(configDeps, 'it', departmentInput({ webhook: { url: `${url}/v2` } }));
    expect(kept.department.webhook).toEqual({ url: `${url}/v2`, authKind: 'api-key', authName: 'X-Api-Key' });
    const removed = await putDepartment(configDeps, 'it', departmentInput({ webhook: null }));
    expect(removed.department.webhook).toBeNull();
    expect(store.webhookSettings.get('it')).toBeNull();
  });

  it('refuse a new webhook without credentials', async () => {
    const { configDeps } = await setup();
    await expect(
      putDepartment(configDeps, 'it', departmentInput({ webhook: { url: 'https://tracker.example.com/x' } })),
    ).rejects.toBeInstanceOf(WebhookCredentialsRequiredError);
  });

  it('are read by staff and by the department itself; the life coach’s has a default until stored', async () => {
    const { configDeps } = await setup();
    expect((await getDepartment(configDeps, departmentP('it'), 'it')).departmentId).toBe('it');
    expect((await getDepartment(configDeps, adminP, 'hr')).departmentId).toBe('hr');
    await expect(getDepartment(configDeps, departmentP('it'), 'hr')).rejects.toBeInstanceOf(NotEntitledError);
    await expect(getDepartment(configDeps, adminP, 'nope')).rejects.toBeInstanceOf(DepartmentNotFoundError);
    expect((await getDepartment(configDeps, coachP, 'life-coach')).timezone).toBe('UTC');
  });

  it('validate hours, holidays, targets and the webhook URL, naming each field', () => {
    const parsed = DepartmentInputSchema().safeParse({
      ...departmentInput(),
      timezone: 'Mars/Olympus',
      businessHours: {
        mon: [
          { start: '09:00', end: '17:00' },
          { start: '16:00', end: '18:00' },
        ],
        tue: [{ start: '25:00', end: '10:00' }],
      },
      holidays: ['2026-12-25', '2026-12-25'],
      slaTargets: { ...departmentInput().slaTargets, low: { firstResponseMinutes: 600, resolutionMinutes: 60 } },
      webhook: { url: 'http://tracker.example.com', auth: apiKey },
    });
    expect(parsed.success).toBe(false);
    const issues = parsed.success
      ? []
      : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        'timezone: must be an IANA time zone such as "Europe/Berlin"',
        'businessHours.tue.0.start: must be a local time "HH:MM"',
        'holidays: must not repeat a date',
        'slaTargets.low.firstResponseMinutes: firstResponseMinutes must not exceed resolutionMinutes',
        'webhook.url: must be an https:// URL',
      ]),
    );
    const overlapping = DepartmentInputSchema().safeParse({
      ...departmentInput(),
      businessHours: {
        mon: [
          { start: '09:00', end: '17:00' },
          { start: '16:00', end: '18:00' },
        ],
      },
    });
    expect(overlapping.success ? [] : overlapping.error.issues.map((issue) => issue.message)).toEqual([
      'shifts overlap: mon 09:00-17:00 / mon 16:00-18:00',
    ]);
    const never = DepartmentInputSchema().safeParse({ ...departmentInput(), businessHours: {} });
    expect(never.success ? [] : never.error.issues.map((issue) => issue.message)).toEqual([
      'must open at least once a week',
    ]);
  });
});

describe('routing settings', () => {
  const input = (body: object) => RoutingSettingsInputSchema().parse({ basedOnVersion: 1, rules: [], ...body });

  it('store a new version based on the current one, and refuse a stale one', async () => {
    const { configDeps } = await setup();
    const next = await putRoutingSettings(
      configDeps,
      adminP,
      input({ rules: [{ ruleId: 'all-tools', category: 'tools', departmentId: 'hr' }] }),
    );
    expect(next).toMatchObject({ version: 2, updatedBy: 'admin-1', fallbackDepartmentId: 'life-coach' });
    await expect(putRoutingSettings(configDeps, adminP, input({}))).rejects.toBeInstanceOf(StaleVersionError);
  });

  it('refuse departments that do not exist, naming where each is (the life coach always exists)', async () => {
    const { configDeps } = await setup();
    const error = await putRoutingSettings(
      configDeps,
      adminP,
      input({
        fallbackDepartmentId: 'helpdesk',
        rules: [
          { ruleId: 'a', category: 'tools', departmentId: 'it' },
          { ruleId: 'b', category: 'culture', departmentId: 'life-coach' },
          { ruleId: 'c', category: 'strategy', departmentId: 'board' },
        ],
      }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnknownDepartmentsError);
    expect((error as UnknownDepartmentsError).unknown).toEqual([
      { location: 'body.fallbackDepartmentId', departmentId: 'helpdesk' },
      { location: 'body.rules.2.departmentId', departmentId: 'board' },
    ]);
  });

  it('answer "where would this go?" with the stored rules or a draft, storing nothing', async () => {
    const { configDeps, store } = await setup();
    expect(await testRouting(configDeps, { category: 'policy', tags: ['leave'] })).toMatchObject({
      departmentId: 'hr',
      departmentName: 'HR department',
      ruleId: 'leave-to-hr',
      rulesVersion: 1,
      draft: false,
    });
    const draft = {
      rules: [{ ruleId: 'policy-to-it', category: 'policy' as const, departmentId: 'it' }],
      fallbackDepartmentId: 'pmo',
    };
    expect(await testRouting(configDeps, { category: 'policy', tags: ['leave'], draft })).toMatchObject({
      departmentId: 'it',
      draft: true,
    });
    expect((await store.configuration.routingSettings()).version).toBe(1);
    await expect(
      testRouting(configDeps, { category: 'policy', tags: [], draft: { rules: [], fallbackDepartmentId: 'nowhere' } }),
    ).rejects.toMatchObject({ unknown: [{ location: 'body.draft.fallbackDepartmentId', departmentId: 'nowhere' }] });
  });
});
