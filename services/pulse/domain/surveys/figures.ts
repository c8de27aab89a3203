/**
 * The figures of one shown segment: per question the count, mean, distribution and eNPS, and
 * the segment's headline score. Pure arithmetic over the segment's responses; which segments
 * may be shown at all is decided first (anonymity.ts).
 */
import type { Question, StoredResponse } from './model';

export type Measure = 'enps' | 'scale-mean';

export interface QuestionFigures {
  questionId: string;
  type: Question['type'];
  text: string;
  /** How many answered it (every respondent, for the required kinds). */
  answered: number;
  /** Scale and eNPS questions: the mean answer, to two decimals. */
  mean: number | null;
  /** How many gave each answer (scale 1-5, eNPS 0-10, the options of a choice). */
  distribution: { answer: string; count: number }[];
  /** eNPS questions: % of 9-10 minus % of 0-6, to one decimal. */
  enps: number | null;
}

export interface SegmentFigures {
  respondents: number;
  score: { measure: Measure; value: number } | null;
  questions: QuestionFigures[];
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

const labelsOf = (question: Question): string[] => {
  switch (question.type) {
    case 'scale':
      return ['1', '2', '3', '4', '5'];
    case 'enps':
      return Array.from({ length: 11 }, (_, index) => String(index));
    case 'choice':
      return question.options;
    case 'text':
      return [];
  }
};

/** eNPS of 0-10 answers: the share of promoters (9-10) minus the share of detractors (0-6), in points. */
export const enpsOf = (values: readonly number[]): number => {
  if (values.length === 0) return 0;
  const promoters = values.filter((value) => value >= 9).length;
  const detractors = values.filter((value) => value <= 6).length;
  return round(((promoters - detractors) / values.length) * 100, 1);
};

const numbersFor = (responses: readonly StoredResponse[], questionId: string): number[] =>
  responses.flatMap((response) =>
    response.answers.flatMap((answer) => (answer.questionId === questionId && 'value' in answer ? [answer.value] : [])),
  );

const questionFigures = (
  question: Question,
  responses: readonly StoredResponse[],
  commentCount: number,
): QuestionFigures => {
  const base = { questionId: question.questionId, type: question.type, text: question.text };
  if (question.type === 'text') return { ...base, answered: commentCount, mean: null, distribution: [], enps: null };
  const answers =
    question.type === 'choice'
      ? responses.flatMap((response) =>
          response.answers.flatMap((answer) =>
            answer.questionId === question.questionId && 'option' in answer ? [answer.option] : [],
          ),
        )
      : numbersFor(responses, question.questionId).map(String);
  const distribution = labelsOf(question).map((label) => ({
    answer: label,
    count: answers.filter((answer) => answer === label).length,
  }));
  const values = question.type === 'choice' ? [] : answers.map(Number);
  return {
    ...base,
    answered: answers.length,
    mean: values.length > 0 ? round(values.reduce((sum, value) => sum + value, 0) / values.length, 2) : null,
    distribution,
    enps: question.type === 'enps' ? enpsOf(values) : null,
  };
};

/** The headline score: the first eNPS question's eNPS, else the mean of every 1-5 answer. */
export const headlineScore = (
  questions: readonly Question[],
  responses: readonly StoredResponse[],
): SegmentFigures['score'] => {
  const enps = questions.find((question) => question.type === 'enps');
  if (enps) return { measure: 'enps', value: enpsOf(numbersFor(responses, enps.questionId)) };
  const scaleValues = questions
    .filter((question) => question.type === 'scale')
    .flatMap((question) => numbersFor(responses, question.questionId));
  if (scaleValues.length === 0) return null;
  return { measure: 'scale-mean', value: round(scaleValues.reduce((sum, v) => sum + v, 0) / scaleValues.length, 2) };
};

export const segmentFigures = (
  questions: readonly Question[],
  responses: readonly StoredResponse[],
  commentsPerQuestion: ReadonlyMap<string, number>,
): SegmentFigures => ({
  respondents: responses.length,
  score: headlineScore(questions, responses),
  questions: questions.map((question) =>
    questionFigures(question, responses, commentsPerQuestion.get(question.questionId) ?? 0),
  ),
});
