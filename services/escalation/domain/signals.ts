/**
 * Improvement signals and quality circles. Every escalation a person raises counts toward its
 * themes: its category (except `personal`) and each of its tags.
 *
 * - Improvement signal: a theme raised from at least `minPods` distinct pods by at least
 *   `minReporters` distinct people within the last `windowDays` days. It goes to the department
 *   most of those escalations went to (ties: the most recent), once per theme and window, with
 *   counts only.
 * - Quality circle: a technical impediment tag raised by mentees of at least `minPods` distinct
 *   pods within the window; it names the pods, whose mentors are emailed. Confidential
 *   escalations never count here (naming their pod would point at their reporter).
 *
 * Automatic escalations have no reporter and count toward neither.
 */
import { ImprovementSignalDetectedV1, QualityCircleSuggestedV1 } from '../../../shared/contracts/escalation-events';
import { pendingEvent } from '../../../shared/events/outbox';
import type { Clock, IdGenerator } from '../../../shared/ports';
import type { Escalation } from './escalations/model';
import type {
  ConfigurationRepository,
  EscalationRepository,
  ThemeContribution,
  ThemeRepository,
  WriteContext,
} from './ports';
import type { RoutingSettings } from './routing';

const DAY_MS = 24 * 3600 * 1000;

export const themesOf = (escalation: Pick<Escalation, 'category' | 'tags'>): string[] => [
  ...(escalation.category === 'personal' ? [] : [`category:${escalation.category}`]),
  ...escalation.tags.map((tag) => `tag:${tag}`),
];

const themeParts = (theme: string) => {
  const at = theme.indexOf(':');
  return { kind: theme.slice(0, at) as 'category' | 'tag', value: theme.slice(at + 1) };
};

export const contributionsOf = (escalation: Escalation): ThemeContribution[] =>
  escalation.origin !== 'person' || !escalation.reporterId
    ? []
    : themesOf(escalation).map((theme) => ({
        theme,
        escalationId: escalation.escalationId,
        raisedAt: escalation.createdAt,
        category: escalation.category,
        departmentId: escalation.departmentId,
        reporterId: escalation.reporterId as string,
        podId: escalation.podId,
        reporterPodRole: escalation.reporterPodRole,
        confidential: escalation.confidential,
      }));

export interface SignalFinding {
  departmentId: string;
  escalations: number;
  distinctPods: number;
  distinctReporters: number;
}

/** The department most of these escalations went to; ties go to the one that got the latest. */
const majorityDepartment = (contributions: readonly ThemeContribution[]): string => {
  const tally = new Map<string, { count: number; latest: string }>();
  for (const item of contributions) {
    const entry = tally.get(item.departmentId) ?? { count: 0, latest: '' };
    tally.set(item.departmentId, {
      count: entry.count + 1,
      latest: [item.raisedAt, entry.latest].sort().at(-1) ?? item.raisedAt,
    });
  }
  const [best] = [...tally.entries()].sort(([, a], [, b]) => b.count - a.count || b.latest.localeCompare(a.latest));
  return best?.[0] ?? '';
};

/** An improvement signal, if the theme's escalations of the window pass both thresholds. */
export const findImprovementSignal = (
  contributions: readonly ThemeContribution[],
  settings: RoutingSettings['improvementSignals'],
): SignalFinding | null => {
  const pods = new Set(contributions.flatMap((item) => (item.podId ? [item.podId] : [])));
  const reporters = new Set(contributions.map((item) => item.reporterId));
  if (pods.size < settings.minPods || reporters.size < settings.minReporters) return null;
  return {
    departmentId: majorityDepartment(contributions),
    escalations: new Set(contributions.map((item) => item.escalationId)).size,
    distinctPods: pods.size,
    distinctReporters: reporters.size,
  };
};

/** The pods of a quality circle, if mentees of enough pods raised this technical impediment tag. */
export const findQualityCircle = (
  contributions: readonly ThemeContribution[],
  settings: RoutingSettings['qualityCircles'],
): string[] | null => {
  const pods = new Set(
    contributions
      .filter(
        (item) =>
          item.category === 'technical-impediment' &&
          item.reporterPodRole === 'mentee' &&
          !item.confidential &&
          item.podId !== null,
      )
      .map((item) => item.podId as string),
  );
  return pods.size >= settings.minPods ? [...pods].sort() : null;
};

export interface SignalDependencies {
  escalations: Pick<EscalationRepository, 'get'>;
  themes: ThemeRepository;
  configuration: Pick<ConfigurationRepository, 'routingSettings'>;
  clock: Clock;
  newId: IdGenerator;
}

/** Counts a newly raised escalation toward its themes and emits what the counts now call for. */
export const detectThemes = async (
  deps: SignalDependencies,
  escalationId: string,
  context: WriteContext,
): Promise<{ signals: number; circles: number }> => {
  const escalation = await deps.escalations.get(escalationId);
  const contributions = escalation ? contributionsOf(escalation) : [];
  if (contributions.length === 0) return { signals: 0, circles: 0 };
  await deps.themes.record(contributions);
  const settings = await deps.configuration.routingSettings();
  const now = deps.clock();
  const windowOf = (days: number) => ({
    from: new Date(now.getTime() - days * DAY_MS).toISOString(),
    to: now.toISOString(),
    days,
  });
  const signalWindow = windowOf(settings.improvementSignals.windowDays);
  const circleWindow = windowOf(settings.qualityCircles.windowDays);
  const earliest = [signalWindow.from, circleWindow.from].sort()[0] ?? signalWindow.from;
  let signals = 0;
  let circles = 0;
  for (const { theme } of contributions) {
    const recent = await deps.themes.contributions(theme, earliest);
    const signal = findImprovementSignal(
      recent.filter((item) => item.raisedAt >= signalWindow.from),
      settings.improvementSignals,
    );
    if (signal) {
      const event = pendingEvent(ImprovementSignalDetectedV1, {
        signalId: deps.newId(),
        departmentId: signal.departmentId,
        theme: themeParts(theme),
        escalations: signal.escalations,
        distinctPods: signal.distinctPods,
        distinctReporters: signal.distinctReporters,
        thresholds: {
          minPods: settings.improvementSignals.minPods,
          minReporters: settings.improvementSignals.minReporters,
        },
        window: signalWindow,
        detectedAt: now.toISOString(),
      });
      if (await deps.themes.claim(theme, 'signal', now.toISOString(), signalWindow.from, event, context)) signals++;
    }
    if (!theme.startsWith('tag:')) continue;
    const podIds = findQualityCircle(
      recent.filter((item) => item.raisedAt >= circleWindow.from),
      settings.qualityCircles,
    );
    if (podIds) {
      const event = pendingEvent(QualityCircleSuggestedV1, {
        suggestionId: deps.newId(),
        tag: themeParts(theme).value,
        podIds,
        window: circleWindow,
        suggestedAt: now.toISOString(),
      });
      if (await deps.themes.claim(theme, 'circle', now.toISOString(), circleWindow.from, event, context)) circles++;
    }
  }
  return { signals, circles };
};
