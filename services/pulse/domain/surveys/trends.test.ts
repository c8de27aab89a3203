import { describe, expect, it } from 'vitest';
import { domainSegment, EVERYONE } from './anonymity';
import { scoreDrops, type TrendEntry } from './trends';

const entry = (
  roundId: string,
  scores: Record<string, number>,
  measure: TrendEntry['measure'] = 'enps',
): TrendEntry => ({
  topic: 'engagement',
  surveyId: 'sv-1',
  roundId,
  round: 1,
  title: 'Pulse',
  closedAt: `2026-11-${roundId.slice(1).padStart(2, '0')}T00:00:00.000Z`,
  measure,
  segments: Object.entries(scores).map(([segment, score]) => ({ segment, score, respondents: 8 })),
});

describe('score drops', () => {
  it('flags a segment at least 15 eNPS points under the mean of its last 2-3 shown scores', () => {
    const earlier = [
      entry('r3', { [EVERYONE]: 30, [domainSegment('a')]: 10 }),
      entry('r2', { [EVERYONE]: 40 }),
      entry('r1', { [EVERYONE]: 50 }),
      entry('r0', { [EVERYONE]: -90 }),
    ];
    const drops = scoreDrops(entry('r4', { [EVERYONE]: 25, [domainSegment('a')]: -20 }), earlier);
    // everyone: trailing (30+40+50)/3 = 40, 25 <= 25: a drop. domain a has one earlier score only: none.
    expect(drops).toEqual([{ segment: EVERYONE, measure: 'enps', score: 25, trailingAverage: 40, respondents: 8 }]);
  });

  it('uses 0.5 on the 1-5 mean, and never compares different measures', () => {
    const earlier = [entry('r2', { [EVERYONE]: 4 }, 'scale-mean'), entry('r1', { [EVERYONE]: 4.2 }, 'scale-mean')];
    expect(scoreDrops(entry('r3', { [EVERYONE]: 3.6 }, 'scale-mean'), earlier)).toHaveLength(1);
    expect(scoreDrops(entry('r3', { [EVERYONE]: 3.7 }, 'scale-mean'), earlier)).toHaveLength(0);
    expect(scoreDrops(entry('r3', { [EVERYONE]: -50 }, 'enps'), earlier)).toHaveLength(0);
  });
});
