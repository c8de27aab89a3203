import { describe, expect, it } from 'vitest';
import { enpsOf, headlineScore, segmentFigures } from './figures';
import type { Question, StoredResponse } from './model';

const questions: Question[] = [
  { questionId: 'q1', type: 'enps', text: 'Recommend us?' },
  { questionId: 'q2', type: 'scale', text: 'Clear priorities?' },
  { questionId: 'q3', type: 'choice', text: 'Mood?', options: ['Good', 'Bad'] },
  { questionId: 'q4', type: 'text', text: 'Why?' },
];
const response = (enps: number, scale: number, option: string): StoredResponse => ({
  responseId: `r-${enps}-${scale}-${option}`,
  roundId: 'r1',
  domain: 'a',
  answers: [
    { questionId: 'q1', value: enps },
    { questionId: 'q2', value: scale },
    { questionId: 'q3', option },
  ],
});

describe('figures of a shown segment', () => {
  it('eNPS is the share of 9-10 minus the share of 0-6, in points', () => {
    expect(enpsOf([10, 9, 8, 7, 6])).toBe(20);
    expect(enpsOf([0, 3, 10])).toBe(-33.3);
    expect(enpsOf([])).toBe(0);
  });

  it('gives per question the count, mean, distribution, eNPS; free text counts its comments', () => {
    const figures = segmentFigures(
      questions,
      [response(10, 4, 'Good'), response(6, 2, 'Bad'), response(9, 5, 'Good')],
      new Map([['q4', 2]]),
    );
    expect(figures.respondents).toBe(3);
    expect(figures.score).toEqual({ measure: 'enps', value: 33.3 });
    const [enps, scale, choice, text] = figures.questions;
    expect(enps).toMatchObject({ answered: 3, mean: 8.33, enps: 33.3 });
    expect(enps?.distribution).toHaveLength(11);
    expect(scale).toMatchObject({ answered: 3, mean: 3.67, enps: null });
    expect(scale?.distribution).toEqual([
      { answer: '1', count: 0 },
      { answer: '2', count: 1 },
      { answer: '3', count: 0 },
      { answer: '4', count: 1 },
      { answer: '5', count: 1 },
    ]);
    expect(choice).toMatchObject({
      answered: 3,
      mean: null,
      distribution: [
        { answer: 'Good', count: 2 },
        { answer: 'Bad', count: 1 },
      ],
    });
    expect(text).toMatchObject({ answered: 2, mean: null, distribution: [] });
  });

  it('takes the mean of every 1-5 answer as the headline score when there is no eNPS question', () => {
    const scaleOnly = questions.filter((question) => question.type === 'scale');
    expect(headlineScore(scaleOnly, [response(0, 4, 'Good'), response(0, 1, 'Good')])).toEqual({
      measure: 'scale-mean',
      value: 2.5,
    });
    expect(headlineScore([questions[3] as Question], [])).toBeNull();
  });
});
