import { explainFeatures, type PairFeatures, scoreFeatures } from './pair-score';
import { type Parameters, pairScoreRange, resolveParameters } from './parameters';
import {
  compareIds,
  isMentee,
  isMentor,
  mentorCapacity,
  type PairingState,
  ReportingChains,
  resolvePairings,
} from './participants';
import type {
  ExcludedPair,
  ExclusionReason,
  MatchingInput,
  MatchingPerson,
  PairRule,
  PairScore,
  PastPairing,
} from './types';
import { overlapMinutes, type ReferenceWeek, referenceWeek, type WorkSessions, weekSessions } from './working-hours';

export const normalizeTag = (tag: string): string => tag.trim().toLowerCase();

/** Tags repeat across an organisation (a few hundred distinct ones): normalise each spelling once. */
const normalizedTags = new Map<string, string>();
const maxRememberedTags = 100_000;

const tagSet = (tags: readonly string[]): Set<string> => {
  const set = new Set<string>();
  for (const tag of tags) {
    let normalized = normalizedTags.get(tag);
    if (normalized === undefined) {
      if (normalizedTags.size >= maxRememberedTags) normalizedTags.clear();
      normalized = normalizeTag(tag);
      normalizedTags.set(tag, normalized);
    }
    set.add(normalized);
  }
  return set;
};

interface PersonTags {
  skills: Set<string>;
  goals: Set<string>;
  languages: Set<string>;
}

/**
 * Everything the rules and the objective need about one run, at the level of people objects. The
 * engine's indexed solver derives its arrays from the same context, and `evaluateObjective` and
 * `scorePair` use it directly.
 */
export class MatchingContext {
  readonly params: Parameters;
  readonly runDate: Date;
  readonly byId: ReadonlyMap<string, MatchingPerson>;
  readonly chains: ReportingChains;
  readonly pairings: PairingState;
  /** Participants, sorted by id. */
  readonly mentors: readonly MatchingPerson[];
  readonly mentees: readonly MatchingPerson[];
  /** What one more match is worth; see `coverageBonus`. */
  readonly coverageBonus: number;
  readonly pastPairings: readonly PastPairing[];
  readonly excludedPairs: readonly ExcludedPair[];
  private readonly pastKeys: Set<string>;
  /** Excluded pairs by pair key (the first reason given wins). */
  private readonly excluded: Map<string, ExclusionReason>;
  private readonly tags = new Map<string, PersonTags>();
  private readonly sessions = new Map<string, WorkSessions>();
  private readonly stayable = new Map<string, string | null>();
  private readonly week: ReferenceWeek;

  constructor(input: MatchingInput) {
    if (!(input.runDate instanceof Date) || Number.isNaN(input.runDate.getTime())) {
      throw new RangeError('runDate must be a valid Date');
    }
    this.params = resolveParameters(input);
    this.runDate = input.runDate;
    this.week = referenceWeek(input.runDate);
    const byId = new Map<string, MatchingPerson>();
    for (const person of input.people) {
      if (byId.has(person.personId)) throw new RangeError(`person ${person.personId} appears twice`);
      byId.set(person.personId, person);
    }
    this.byId = byId;
    this.chains = new ReportingChains(input.people);
    this.pairings = resolvePairings(byId, input.existingPairings ?? [], input.runDate);
    this.pastPairings = input.pastPairings ?? [];
    this.pastKeys = new Set(this.pastPairings.map((pairing) => pairKey(pairing.mentorId, pairing.menteeId)));
    this.excludedPairs = input.excludedPairs ?? [];
    this.excluded = excludedPairsByKey(this.excludedPairs);
    const sorted = [...input.people].sort((a, b) => compareIds(a.personId, b.personId));
    this.mentors = sorted.filter(isMentor);
    this.mentees = sorted.filter(isMentee);
    this.coverageBonus = coverageBonus(this);
  }

  capacityOf(mentor: MatchingPerson): number {
    return mentorCapacity(mentor, this.params.rules.maxPodSize);
  }

  lockedCountOf(mentorId: string): number {
    return this.pairings.lockedCount.get(mentorId) ?? 0;
  }

  tagsOf(person: MatchingPerson): PersonTags {
    let tags = this.tags.get(person.personId);
    if (!tags) {
      tags = { skills: tagSet(person.skills), goals: tagSet(person.growthGoals), languages: tagSet(person.languages) };
      this.tags.set(person.personId, tags);
    }
    return tags;
  }

  sessionsOf(person: MatchingPerson): WorkSessions {
    let sessions = this.sessions.get(person.personId);
    if (!sessions) {
      sessions = weekSessions(person.timezone, person.workingHours, this.week);
      this.sessions.set(person.personId, sessions);
    }
    return sessions;
  }

  sharesProject(mentor: MatchingPerson, mentee: MatchingPerson): boolean {
    return mentor.projectIds.some((project) => mentee.projectIds.includes(project));
  }

  /** The first pair-level hard rule the pair breaks, as a new pairing, or null. */
  checkPair(mentor: MatchingPerson, mentee: MatchingPerson): PairRule | null {
    const rules = this.params.rules;
    if (!isMentor(mentor)) return 'mentor-not-eligible';
    if (!isMentee(mentee)) return 'mentee-not-eligible';
    if (mentor.domain !== mentee.domain) return 'different-domain';
    if (mentor.level - mentee.level < rules.minLevelGap) return 'not-senior-enough';
    if (this.sharesProject(mentor, mentee)) return 'same-project';
    if (this.chains.inSameLine(mentor.personId, mentee.personId)) return 'reporting-chain';
    const exclusion = this.exclusionOf(mentor.personId, mentee.personId);
    if (exclusion) return exclusion;
    if (overlapMinutes(this.sessionsOf(mentor), this.sessionsOf(mentee)) < rules.minOverlapMinutes) {
      return 'working-hours-overlap';
    }
    if (!mentor.acceptingMentees) return 'mentor-not-accepting';
    return null;
  }

  /** Why the pair must not be formed (an excluded pair), or null. */
  exclusionOf(mentorId: string, menteeId: string): ExclusionReason | null {
    return this.excluded.get(pairKey(mentorId, menteeId)) ?? null;
  }

  /** The mentee's current unlocked mentor, when staying with them is allowed (so leaving is a move). */
  stayableMentorOf(mentee: MatchingPerson): string | null {
    const known = this.stayable.get(mentee.personId);
    if (known !== undefined) return known;
    const currentId = this.pairings.currentMentorOf.get(mentee.personId);
    const current = currentId === undefined ? undefined : this.byId.get(currentId);
    const stay = current && this.checkPair(current, mentee) === null ? current.personId : null;
    this.stayable.set(mentee.personId, stay);
    return stay;
  }

  isExistingPairing(mentorId: string, menteeId: string): boolean {
    return (
      this.pairings.currentMentorOf.get(menteeId) === mentorId ||
      this.pairings.lockedMentorOf.get(menteeId)?.mentorId === mentorId
    );
  }

  repeatsPast(mentorId: string, menteeId: string): boolean {
    return this.pastKeys.has(pairKey(mentorId, menteeId)) && !this.isExistingPairing(mentorId, menteeId);
  }

  pairFeatures(mentor: MatchingPerson, mentee: MatchingPerson): PairFeatures {
    const mentorTags = this.tagsOf(mentor);
    const menteeTags = this.tagsOf(mentee);
    let goalsCovered = 0;
    for (const goal of menteeTags.goals) if (mentorTags.skills.has(goal)) goalsCovered += 1;
    let sharedLanguage = false;
    for (const language of menteeTags.languages) if (mentorTags.languages.has(language)) sharedLanguage = true;
    const stayable = this.stayableMentorOf(mentee);
    return {
      overlapMinutes: overlapMinutes(this.sessionsOf(mentor), this.sessionsOf(mentee)),
      sharedLanguage,
      goalsCovered,
      goalsTotal: menteeTags.goals.size,
      levelGap: mentor.level - mentee.level,
      repeatsPast: this.repeatsPast(mentor.personId, mentee.personId),
      movesMentee: stayable !== null && stayable !== mentor.personId,
    };
  }

  pairScore(mentor: MatchingPerson, mentee: MatchingPerson): PairScore {
    const features = this.pairFeatures(mentor, mentee);
    const centipoints = scoreFeatures(this.params.centipoints, this.params.scoring, features);
    return {
      blockedBy: this.checkPair(mentor, mentee),
      points: centipoints / 100,
      centipoints,
      overlapMinutes: features.overlapMinutes,
      factors: explainFeatures(this.params.centipoints, this.params.scoring, features),
    };
  }

  /** balancedLoad * n(n-1)/2: the k-th mentee of a pod costs (k-1) steps, so the cost is convex in n. */
  loadCost(podSize: number): number {
    return (this.params.centipoints.balancedLoad * podSize * (podSize - 1)) / 2;
  }

  /** The k-th mentee's marginal load cost (k >= 1). */
  marginalLoadCost(k: number): number {
    return this.params.centipoints.balancedLoad * (k - 1);
  }
}

const pairKey = (mentorId: string, menteeId: string): string => `${mentorId}\u0000${menteeId}`;

const exclusionReasons: readonly ExclusionReason[] = ['left-through-decision'];

const excludedPairsByKey = (pairs: readonly ExcludedPair[]): Map<string, ExclusionReason> => {
  const byKey = new Map<string, ExclusionReason>();
  for (const pair of pairs) {
    if (!exclusionReasons.includes(pair.reason)) {
      throw new RangeError(
        `excludedPairs: reason must be one of ${exclusionReasons.join(', ')}, got ${String(pair.reason)} for ${pair.mentorId}/${pair.menteeId}`,
      );
    }
    const key = pairKey(pair.mentorId, pair.menteeId);
    if (!byKey.has(key)) byKey.set(key, pair.reason);
  }
  return byKey;
};

/**
 * Coverage comes first. Let N be the number of mentees in the programme, S = maxPair - minPair the
 * widest gap between two pair scores and L = sum over mentors of the load cost of their largest
 * possible pod. For any two assignments, (pairScore - loadCost) differs by at most N*S + L, so a bonus
 * B = N*S + L + 1 per matched mentee makes an assignment with more matches better, whatever the scores.
 */
export const coverageBonus = (context: MatchingContext): number => {
  const range = pairScoreRange(context.params.centipoints);
  let loadSpread = 0;
  for (const mentor of context.mentors) {
    const largestPod = Math.max(context.capacityOf(mentor), context.lockedCountOf(mentor.personId));
    loadSpread += context.loadCost(largestPod);
  }
  const bonus = context.mentees.length * (range.max - Math.min(range.min, 0)) + loadSpread + 1;
  // Every objective and flow cost must stay an exact double (coverage bonus times matches, plus forcing terms).
  if (bonus * Math.max(1, context.mentees.length) * 8 > Number.MAX_SAFE_INTEGER) {
    throw new RangeError('weights too large for this many people: the objective would lose integer precision');
  }
  return bonus;
};
