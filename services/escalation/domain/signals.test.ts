import { describe, expect, it } from 'vitest';
import {
  employeeP,
  inMemoryEscalations,
  principal,
  raiseInput,
  routingSettings,
} from '../../../test/builders/escalations';
import { raiseEscalation } from './escalations/escalations';
import type { RaiseInput } from './escalations/model';
import type { ThemeContribution } from './ports';
import { contributionsOf, detectThemes, findImprovementSignal, findQualityCircle, themesOf } from './signals';

const context = { correlationId: 'c' };

const contribution = (overrides: Partial<ThemeContribution>): ThemeContribution => ({
  theme: 'tag:vpn',
  escalationId: 'x',
  raisedAt: '2026-01-19T09:00:00.000Z',
  category: 'technical-impediment',
  departmentId: 'it',
  reporterId: 'r',
  podId: null,
  reporterPodRole: 'mentee',
  confidential: false,
  ...overrides,
});

describe('themes', () => {
  it('are the category (not personal) and each tag', () => {
    expect(themesOf({ category: 'tools', tags: ['vpn', 'laptop'] })).toEqual([
      'category:tools',
      'tag:vpn',
      'tag:laptop',
    ]);
    expect(themesOf({ category: 'personal', tags: ['stress'] })).toEqual(['tag:stress']);
  });
});

describe('an improvement signal', () => {
  const settings = { minPods: 3, minReporters: 4, windowDays: 30 };

  it('needs both enough distinct pods and enough distinct reporters', () => {
    const fromPods = (pods: (string | null)[], reporters: string[]) =>
      pods.map((podId, index) =>
        contribution({ escalationId: `e${index}`, podId, reporterId: reporters[index] ?? 'r' }),
      );
    // Four people, but only two pods (one has no pod).
    expect(findImprovementSignal(fromPods(['p1', 'p1', 'p2', null], ['a', 'b', 'c', 'd']), settings)).toBeNull();
    // Three pods, but one person raised two of them.
    expect(findImprovementSignal(fromPods(['p1', 'p2', 'p3', 'p3'], ['a', 'b', 'c', 'c']), settings)).toBeNull();
    expect(findImprovementSignal(fromPods(['p1', 'p2', 'p3', 'p3'], ['a', 'b', 'c', 'd']), settings)).toEqual({
      departmentId: 'it',
      escalations: 4,
      distinctPods: 3,
      distinctReporters: 4,
    });
  });

  it('goes to the department most of them went to, the latest on a tie', () => {
    const items = [
      contribution({
        escalationId: 'a',
        podId: 'p1',
        reporterId: 'a',
        departmentId: 'hr',
        raisedAt: '2026-01-10T00:00:00Z',
      }),
      contribution({
        escalationId: 'b',
        podId: 'p2',
        reporterId: 'b',
        departmentId: 'it',
        raisedAt: '2026-01-11T00:00:00Z',
      }),
      contribution({
        escalationId: 'c',
        podId: 'p3',
        reporterId: 'c',
        departmentId: 'hr',
        raisedAt: '2026-01-12T00:00:00Z',
      }),
      contribution({
        escalationId: 'd',
        podId: 'p3',
        reporterId: 'd',
        departmentId: 'it',
        raisedAt: '2026-01-13T00:00:00Z',
      }),
    ];
    expect(findImprovementSignal(items, settings)?.departmentId).toBe('it');
    expect(
      findImprovementSignal(items.slice(0, 3).concat(items[0] as ThemeContribution), { ...settings, minReporters: 3 })
        ?.departmentId,
    ).toBe('hr');
  });
});

describe('a quality circle', () => {
  const settings = { minPods: 2, windowDays: 30 };

  it('gathers technical impediments of mentees of different pods, leaving out confidential ones and mentors', () => {
    expect(findQualityCircle([contribution({ podId: 'p1' }), contribution({ podId: 'p2' })], settings)).toEqual([
      'p1',
      'p2',
    ]);
    expect(findQualityCircle([contribution({ podId: 'p1' }), contribution({ podId: 'p1' })], settings)).toBeNull();
    expect(
      findQualityCircle([contribution({ podId: 'p1' }), contribution({ podId: 'p2', confidential: true })], settings),
    ).toBeNull();
    expect(
      findQualityCircle(
        [contribution({ podId: 'p1' }), contribution({ podId: 'p2', reporterPodRole: 'mentor' })],
        settings,
      ),
    ).toBeNull();
    expect(
      findQualityCircle([contribution({ podId: 'p1' }), contribution({ podId: 'p2', category: 'tools' })], settings),
    ).toBeNull();
  });
});

describe('detecting themes as escalations are raised', () => {
  const raise = async (
    deps: Awaited<ReturnType<typeof inMemoryEscalations>>['deps'],
    personId: string,
    overrides: Record<string, unknown>,
  ) => raiseEscalation(deps, principal(personId, ['employee']), raiseInput(overrides) as RaiseInput, context);

  it('emits an improvement signal once per theme and window, naming no one', async () => {
    const { deps, store, clock, detailTypes } = await inMemoryEscalations();
    const signalDeps = { ...deps, themes: store.themes };
    // Three pods, three reporters (the builder's thresholds), tag `vpn`.
    const raisedBy = ['e1', 'e3', 'e4'];
    const outcomes = [];
    for (const personId of raisedBy) {
      const escalation = await raise(deps, personId, { tags: ['vpn'] });
      outcomes.push(await detectThemes(signalDeps, escalation.escalationId, context));
      clock.advance(3600_000);
    }
    // The category `tools` and the tag `vpn` both reach the thresholds with the third escalation.
    expect(outcomes.map((outcome) => outcome.signals)).toEqual([0, 0, 2]);
    const signals = store.published.filter(
      (recorded) => recorded.event.contract.detailType === 'ImprovementSignal.Detected',
    );
    expect(signals.map((recorded) => recorded.event.data)).toEqual([
      expect.objectContaining({
        departmentId: 'it',
        theme: { kind: 'category', value: 'tools' },
        distinctPods: 3,
        distinctReporters: 3,
      }),
      expect.objectContaining({ departmentId: 'it', theme: { kind: 'tag', value: 'vpn' }, escalations: 3 }),
    ]);
    const text = JSON.stringify(signals.map((recorded) => recorded.event.data));
    for (const name of ['e1', 'e3', 'e4', 'p1', 'p2', 'p3']) expect(text).not.toContain(`"${name}"`);

    // A fourth within the window: no second signal. Detecting the same escalation again: nothing either.
    const fourth = await raise(deps, 'e2', { tags: ['vpn'] });
    expect(await detectThemes(signalDeps, fourth.escalationId, context)).toEqual({ signals: 0, circles: 0 });
    expect(await detectThemes(signalDeps, fourth.escalationId, context)).toEqual({ signals: 0, circles: 0 });
    // Once the window has passed, the theme may signal again (with fresh escalations).
    clock.advance(31 * 24 * 3600_000);
    for (const personId of raisedBy)
      await detectThemes(signalDeps, (await raise(deps, personId, { tags: ['vpn'] })).escalationId, context);
    expect(detailTypes().filter((type) => type === 'ImprovementSignal.Detected')).toHaveLength(4);
  });

  it('suggests a quality circle when mentees of two pods raise the same technical impediment, naming the pods', async () => {
    const { deps, store } = await inMemoryEscalations();
    const signalDeps = { ...deps, themes: store.themes };
    const impediment = { category: 'technical-impediment', tags: ['flaky-ci'] };
    await detectThemes(signalDeps, (await raise(deps, 'e1', impediment)).escalationId, context);
    await detectThemes(signalDeps, (await raise(deps, 'e2', impediment)).escalationId, context);
    expect(store.published.some((recorded) => recorded.event.contract.detailType === 'QualityCircle.Suggested')).toBe(
      false,
    );
    const third = await raise(deps, 'e3', impediment);
    expect(await detectThemes(signalDeps, third.escalationId, context)).toEqual({ signals: 0, circles: 1 });
    const circle = store.published.find((recorded) => recorded.event.contract.detailType === 'QualityCircle.Suggested');
    expect(circle?.event.data).toMatchObject({ tag: 'flaky-ci', podIds: ['p1', 'p2'] });
    expect(JSON.stringify(circle?.event.data)).not.toMatch(/"e[123]"/);
  });

  it('leaves automatic escalations and personal matters out of every theme', async () => {
    const { deps, store } = await inMemoryEscalations();
    await store.configuration.putRoutingSettings(
      routingSettings({ version: 2, improvementSignals: { minPods: 1, minReporters: 1, windowDays: 30 } }),
    );
    const personal = await raiseEscalation(
      deps,
      employeeP('e1'),
      raiseInput({ category: 'personal', tags: [] }) as RaiseInput,
      context,
    );
    expect(await detectThemes({ ...deps, themes: store.themes }, personal.escalationId, context)).toEqual({
      signals: 0,
      circles: 0,
    });
    const tools = await raiseEscalation(deps, employeeP('e1'), raiseInput() as RaiseInput, context);
    expect(contributionsOf(tools)).toHaveLength(2);
    expect(contributionsOf({ ...tools, origin: 'pulse-score-dropped', reporterId: null })).toEqual([]);
  });
});
