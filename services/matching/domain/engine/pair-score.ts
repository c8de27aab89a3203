import type { Centipoints } from './parameters';
import type { Factor, ScoringShape } from './types';

/**
 * The pair terms of the objective. Every term is an integer number of centipoints computed by one of
 * these helpers, and a pair's score is their plain sum; the engine's indexed hot loop and the
 * object-level `scorePair` both call these helpers, so they cannot drift apart.
 *
 *   overlap   = W_overlap   * min(overlapMinutes, fullOverlapMinutes) / fullOverlapMinutes
 *   language  = W_language  * [the two share a language]
 *   skills    = W_skills    * |mentor.skills ∩ mentee.growthGoals| / |mentee.growthGoals|   (0 without goals)
 *   seniority = W_seniority * max(0, tolerance - |gap - preferredGap|) / tolerance
 *   repeat    = -W_repeatPast   when the pair existed in an earlier cycle (and is not the current pairing)
 *   move      = -W_move         when the mentee's current, unlocked mentor is someone else they could stay with
 *
 * each rounded to the nearest centipoint.
 */

export interface PairFeatures {
  overlapMinutes: number;
  sharedLanguage: boolean;
  goalsCovered: number;
  goalsTotal: number;
  levelGap: number;
  repeatsPast: boolean;
  movesMentee: boolean;
}

export const overlapPoints = (cp: Centipoints, shape: ScoringShape, minutes: number): number =>
  Math.round((cp.overlap * Math.min(Math.max(minutes, 0), shape.fullOverlapMinutes)) / shape.fullOverlapMinutes);

export const languagePoints = (cp: Centipoints, shared: boolean): number => (shared ? cp.language : 0);

export const skillsPoints = (cp: Centipoints, covered: number, total: number): number =>
  total > 0 ? Math.round((cp.skills * covered) / total) : 0;

export const seniorityPoints = (cp: Centipoints, shape: ScoringShape, gap: number): number =>
  Math.round(
    (cp.seniority * Math.max(0, shape.levelGapTolerance - Math.abs(gap - shape.preferredLevelGap))) /
      shape.levelGapTolerance,
  );

export const repeatPoints = (cp: Centipoints, repeats: boolean): number => (repeats ? -cp.repeatPast : 0);

export const movePoints = (cp: Centipoints, moves: boolean): number => (moves ? -cp.move : 0);

/** The pair's score in centipoints: the sum of its terms. */
export const scoreFeatures = (cp: Centipoints, shape: ScoringShape, features: PairFeatures): number =>
  overlapPoints(cp, shape, features.overlapMinutes) +
  languagePoints(cp, features.sharedLanguage) +
  skillsPoints(cp, features.goalsCovered, features.goalsTotal) +
  seniorityPoints(cp, shape, features.levelGap) +
  repeatPoints(cp, features.repeatsPast) +
  movePoints(cp, features.movesMentee);

const hours = (minutes: number): string => `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}`;

/** The score's named contributions, largest magnitude first (zero terms left out). */
export const explainFeatures = (cp: Centipoints, shape: ScoringShape, features: PairFeatures): Factor[] => {
  // Details are only written for the terms that count (this runs for every pair of every pod).
  const factors: Factor[] = [];
  const overlap = overlapPoints(cp, shape, features.overlapMinutes);
  if (overlap !== 0) {
    factors.push({
      name: 'overlap',
      points: overlap / 100,
      detail: `${hours(features.overlapMinutes)} shared working time`,
    });
  }
  const language = languagePoints(cp, features.sharedLanguage);
  if (language !== 0) factors.push({ name: 'language', points: language / 100, detail: 'share a language' });
  const skills = skillsPoints(cp, features.goalsCovered, features.goalsTotal);
  if (skills !== 0) {
    factors.push({
      name: 'skills',
      points: skills / 100,
      detail: `mentor's skills cover ${features.goalsCovered} of ${features.goalsTotal} growth goals`,
    });
  }
  const seniority = seniorityPoints(cp, shape, features.levelGap);
  if (seniority !== 0) {
    factors.push({
      name: 'seniority',
      points: seniority / 100,
      detail: `level gap ${features.levelGap} (preferred ${shape.preferredLevelGap})`,
    });
  }
  const repeat = repeatPoints(cp, features.repeatsPast);
  if (repeat !== 0) {
    factors.push({ name: 'repeatPast', points: repeat / 100, detail: 'they were paired in an earlier cycle' });
  }
  const move = movePoints(cp, features.movesMentee);
  if (move !== 0) factors.push({ name: 'move', points: move / 100, detail: 'mentee leaves their current pod' });
  return factors.sort(byMagnitude);
};

const byMagnitude = (a: Factor, b: Factor): number =>
  Math.abs(b.points) - Math.abs(a.points) || (a.name < b.name ? -1 : 1);
