import { describe, expect, it } from 'vitest';
import { routingSettings } from '../../../test/builders/escalations';
import { RoutingSettingsInputSchema, routeEscalation } from './routing';

describe('routing an escalation', () => {
  const settings = routingSettings();

  it('sends a category to the department of its rule, and says why', () => {
    expect(routeEscalation(settings, { category: 'tools', tags: [] })).toEqual({
      departmentId: 'it',
      rulesVersion: 1,
      ruleId: 'tools-to-it',
      reason: 'rule tools-to-it: category tools',
    });
  });

  it('prefers a rule naming one of the tags, wherever it is listed', () => {
    const withGeneral = routingSettings({
      rules: [
        { ruleId: 'policy-to-pmo', category: 'policy', departmentId: 'pmo' },
        { ruleId: 'leave-to-hr', category: 'policy', tags: ['leave'], departmentId: 'hr' },
      ],
    });
    expect(routeEscalation(withGeneral, { category: 'policy', tags: ['remote', 'leave'] })).toMatchObject({
      departmentId: 'hr',
      ruleId: 'leave-to-hr',
      reason: 'rule leave-to-hr: category policy with tag "leave"',
    });
    expect(routeEscalation(withGeneral, { category: 'policy', tags: ['remote'] }).ruleId).toBe('policy-to-pmo');
  });

  it('sends what no rule routes to the fallback department', () => {
    expect(routeEscalation(settings, { category: 'policy', tags: ['travel'] })).toMatchObject({
      departmentId: 'pmo',
      ruleId: null,
      reason: 'no rule routes category policy with tags travel: the fallback department',
    });
  });

  it('keeps personal matters with the life coach whatever the rules say', () => {
    expect(routeEscalation(settings, { category: 'personal', tags: ['leave'] })).toMatchObject({
      departmentId: 'life-coach',
      ruleId: null,
    });
  });
});

describe('routing settings as an admin sends them', () => {
  const parse = (body: object) => RoutingSettingsInputSchema().safeParse({ basedOnVersion: 0, ...body });
  const messages = (body: object) => {
    const parsed = parse(body);
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('takes defaults for what is left out', () => {
    const parsed = parse({ rules: [] });
    expect(parsed.success && parsed.data).toMatchObject({
      fallbackDepartmentId: 'life-coach',
      improvementSignals: { minPods: 3, minReporters: 5, windowDays: 30 },
      qualityCircles: { minPods: 2, windowDays: 30 },
    });
  });

  it('refuses a rule for personal matters, rules that can never apply, repeated ids and unknown categories', () => {
    expect(messages({ rules: [{ ruleId: 'p', category: 'personal', departmentId: 'hr' }] })).toEqual([
      'rules.0.category: personal matters always stay with the life coach: no rule may route them',
    ]);
    expect(
      messages({
        rules: [
          { ruleId: 'a', category: 'tools', departmentId: 'it' },
          { ruleId: 'b', category: 'tools', departmentId: 'pmo' },
          { ruleId: 'c', category: 'tools', tags: ['vpn'], departmentId: 'it' },
          { ruleId: 'a', category: 'policy', tags: ['vpn'], departmentId: 'it' },
          { ruleId: 'd', category: 'tools', tags: ['laptop', 'vpn'], departmentId: 'it' },
        ],
      }),
    ).toEqual([
      'rules.1: rule b can never apply: rule a already routes tools',
      'rules.4: rule d can never apply: rule c already routes tools with tag "vpn"',
      'rules.3.ruleId: repeats rule id a',
    ]);
    expect(messages({ rules: [{ ruleId: 'x', category: 'weather', departmentId: 'it' }] })[0]).toMatch(
      /^rules\.0\.category: Invalid option/,
    );
  });

  it('keeps improvement signals from pointing at fewer than three people', () => {
    expect(messages({ rules: [], improvementSignals: { minPods: 2, minReporters: 2, windowDays: 30 } })).toEqual([
      'improvementSignals.minReporters: Too small: expected number to be >=3',
    ]);
  });
});
