import { describe, expect, it } from 'vitest';
import { departmentInput, inMemoryEscalations } from '../../../test/builders/escalations';
import { admin, type CallerClaims, lifeCoach } from '../../../test/builders/http-event';
import { contractCoverage } from '../../../test/support/contract-conformance';
import { handlerCaller } from '../../../test/support/http-handler';
import { StaleVersionError } from '../domain/escalations/errors';
import { configurationRoutes } from '../routes/configuration';
import { createConfigurationApiHandler } from './configuration-api-handler';

const coverage = contractCoverage(configurationRoutes);
const department = (departmentId: string): CallerClaims => ({
  personId: `client-${departmentId}`,
  groups: ['department'],
  departmentId,
});

const setup = async () => {
  const ctx = await inMemoryEscalations();
  const deps = { configuration: ctx.store.configuration, webhooks: ctx.store.webhooks, clock: ctx.clock };
  const { call } = handlerCaller(createConfigurationApiHandler(deps), coverage);
  const put = (departmentId: string, body: object, caller: CallerClaims = admin) =>
    call({ routeKey: 'PUT /departments/{departmentId}', pathParameters: { departmentId }, body, caller });
  return { ...ctx, deps, call, put };
};

const locations = (answer: { json: { errors?: { location: string }[] } }) =>
  (answer.json.errors ?? []).map((error) => error.location).sort();
const hook = {
  url: 'https://jira.example.com/rest/webhooks/escalations',
  auth: { kind: 'basic', username: 'bot', password: 'pw-1' },
};

describe('departments', () => {
  it('are created (201) and replaced (200) by admins, and never show webhook credentials', async () => {
    const { put, call } = await setup();
    const created = await put('facilities', { ...departmentInput(), webhook: hook });
    expect(created.statusCode).toBe(201);
    expect(created.json.webhook).toEqual({ url: hook.url, authKind: 'basic', authName: 'bot' });
    expect(created.body).not.toContain('pw-1');
    expect((await put('facilities', { ...departmentInput(), name: 'Facilities' })).statusCode).toBe(200);
    const read = await call({
      routeKey: 'GET /departments/{departmentId}',
      pathParameters: { departmentId: 'facilities' },
      caller: department('facilities'),
    });
    expect(read.json.name).toBe('Facilities');
    expect(
      (
        await call({
          routeKey: 'GET /departments/{departmentId}',
          pathParameters: { departmentId: 'nope' },
          caller: admin,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await call({
          routeKey: 'GET /departments/{departmentId}',
          pathParameters: { departmentId: 'it' },
          caller: department('hr'),
        })
      ).statusCode,
    ).toBe(403);
    const listed = await call({ routeKey: 'GET /departments', query: { limit: '2' }, caller: lifeCoach });
    expect(listed.json.items.map((item: { departmentId: string }) => item.departmentId)).toEqual(['facilities', 'hr']);
  });

  it('refuse bad hours and targets (400), a new webhook without credentials (422)', async () => {
    const { put } = await setup();
    const bad = await put('it', {
      ...departmentInput(),
      businessHours: { mon: [{ start: '9', end: '17:00' }] },
      leadEmail: 'nobody',
    });
    expect(bad.statusCode).toBe(400);
    expect(locations(bad)).toEqual(['body.businessHours.mon.0.start', 'body.leadEmail']);
    const noCredentials = await put('facilities', { ...departmentInput(), webhook: { url: hook.url } });
    expect(noCredentials.statusCode).toBe(422);
    expect(locations(noCredentials)).toEqual(['body.webhook.auth']);
  });

  it('answer 503 when the webhook cannot be set up, and 409 when the department keeps changing under the write', async () => {
    const { put, deps } = await setup();
    const configure = deps.webhooks.configure;
    deps.webhooks.configure = async () => {
      throw new Error('ThrottlingException: Rate exceeded');
    };
    const down = await put('it', { ...departmentInput(), webhook: hook });
    expect(down.statusCode).toBe(503);
    expect(down.headers?.['retry-after']).toBe('5');
    expect(down.json.detail).toMatch(/Rate exceeded.*the department was not changed/);
    deps.webhooks.configure = configure;
    deps.configuration.putDepartment = async () => {
      throw new StaleVersionError('Department it was changed by someone else at the same time');
    };
    expect((await put('it', departmentInput())).statusCode).toBe(409);
  });
});

describe('routing rules', () => {
  it('are read, stored as the next version, refused when stale (409) or naming unknown departments (422)', async () => {
    const { call } = await setup();
    const current = await call({ routeKey: 'GET /routing-rules', caller: lifeCoach });
    expect(current.json.version).toBe(1);
    const rules = [{ ruleId: 'culture-to-hr', category: 'culture', departmentId: 'hr' }];
    const stored = await call({ routeKey: 'PUT /routing-rules', body: { basedOnVersion: 1, rules }, caller: admin });
    expect(stored.statusCode).toBe(200);
    expect(stored.json).toMatchObject({ version: 2, updatedBy: 'admin-1' });
    expect(
      (await call({ routeKey: 'PUT /routing-rules', body: { basedOnVersion: 1, rules }, caller: admin })).statusCode,
    ).toBe(409);
    const unknown = await call({
      routeKey: 'PUT /routing-rules',
      body: { basedOnVersion: 2, rules: [{ ruleId: 'x', category: 'culture', departmentId: 'board' }] },
      caller: admin,
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json.errors).toEqual([{ location: 'body.rules.0.departmentId', message: 'no department board' }]);
    const personal = await call({
      routeKey: 'PUT /routing-rules',
      body: { basedOnVersion: 2, rules: [{ ruleId: 'x', category: 'personal', departmentId: 'hr' }] },
      caller: admin,
    });
    expect(locations(personal)).toEqual(['body.rules.0.category']);
  });

  it('answer "where would this go?" without storing anything', async () => {
    const { call } = await setup();
    const test = (body: object) => call({ routeKey: 'POST /routing-rules/test', body, caller: admin });
    expect((await test({ category: 'policy', tags: ['leave'] })).json).toMatchObject({
      departmentId: 'hr',
      ruleId: 'leave-to-hr',
      reason: 'rule leave-to-hr: category policy with tag "leave"',
      draft: false,
    });
    expect((await test({ category: 'personal' })).json.departmentId).toBe('life-coach');
    const draft = await test({ category: 'policy', draft: { rules: [], fallbackDepartmentId: 'nowhere' } });
    expect(draft.statusCode).toBe(422);
    expect(locations(draft)).toEqual(['body.draft.fallbackDepartmentId']);
  });
});

describe('the configuration-api routes', () => {
  it('serve exactly the routes the declaration gives the function', async () => {
    const { deps } = await setup();
    expect(createConfigurationApiHandler(deps).served).toEqual(configurationRoutes);
  });

  it('answered, across this file, every status their contracts document', () => {
    expect(coverage.unseen()).toEqual([]);
  });
});
