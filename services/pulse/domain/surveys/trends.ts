/**
 * Trends: the headline score of each shown segment of each released round, by topic. Only
 * figures the results already show are kept here, so trends and drops reveal nothing new.
 */
import type { SegmentKey } from './anonymity';
import type { Measure } from './figures';
import type { Topic } from './model';

export interface TrendEntry {
  topic: Topic;
  surveyId: string;
  roundId: string;
  round: number;
  title: string;
  closedAt: string;
  measure: Measure | null;
  /** Shown segments only. */
  segments: { segment: SegmentKey; score: number | null; respondents: number }[];
}

export interface ScoreDrop {
  segment: SegmentKey;
  measure: Measure;
  score: number;
  trailingAverage: number;
  respondents: number;
}

/** How far below its trailing average a score must fall to count as a sharp drop. */
export const DROP_MARGIN: Record<Measure, number> = { enps: 15, 'scale-mean': 0.5 };
/** The trailing average is the mean of the same segment's last shown scores: at most this many... */
export const TRAILING_ROUNDS = 3;
/** ...and at least this many. */
export const MINIMUM_TRAILING_ROUNDS = 2;

/**
 * The segments of `current` whose score is at least DROP_MARGIN below the mean of that segment's
 * last 2-3 shown scores on the same topic and measure (`earlier`: most recent first).
 */
export const scoreDrops = (current: TrendEntry, earlier: readonly TrendEntry[]): ScoreDrop[] => {
  const { measure } = current;
  if (!measure) return [];
  return current.segments.flatMap((entry) => {
    if (entry.score === null) return [];
    const trailing = earlier
      .filter((previous) => previous.topic === current.topic && previous.measure === measure)
      .flatMap((previous) => {
        const same = previous.segments.find((candidate) => candidate.segment === entry.segment);
        return same && same.score !== null ? [same.score] : [];
      })
      .slice(0, TRAILING_ROUNDS);
    if (trailing.length < MINIMUM_TRAILING_ROUNDS) return [];
    const trailingAverage = Math.round((trailing.reduce((sum, score) => sum + score, 0) / trailing.length) * 100) / 100;
    // Compared to the hundredth, so 4.1 - 3.6 counts as the 0.5 it is.
    return Math.round((trailingAverage - entry.score) * 100) / 100 >= DROP_MARGIN[measure]
      ? [{ segment: entry.segment, measure, score: entry.score, trailingAverage, respondents: entry.respondents }]
      : [];
  });
};
