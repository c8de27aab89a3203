import { MatchingContext } from './context';
import type { MatchingInput, MatchingPerson, PairScore } from './types';

export type ScorePairOptions = Omit<MatchingInput, 'people' | 'solver'> & {
  /** Everyone the reporting-chain rule should see (defaults to the two people). */
  people?: readonly MatchingPerson[];
};

/**
 * One pair's score and its factors, as the engine scores it, and the first pair rule it breaks as a
 * new pairing (null when allowed). The move and repeat terms use `existingPairings` / `pastPairings`.
 */
export const scorePair = (mentor: MatchingPerson, mentee: MatchingPerson, options: ScorePairOptions): PairScore => {
  const people = new Map<string, MatchingPerson>();
  for (const person of options.people ?? []) people.set(person.personId, person);
  people.set(mentor.personId, mentor);
  people.set(mentee.personId, mentee);
  const context = new MatchingContext({ ...options, people: [...people.values()] });
  return context.pairScore(mentor, mentee);
};
