import type { MatchingContext } from './context';
import { languagePoints, movePoints, overlapPoints, repeatPoints, seniorityPoints, skillsPoints } from './pair-score';
import type { MatchingPerson } from './types';
import { overlapMinutes, type WorkSessions } from './working-hours';

/** Marks a forbidden pair in score results. */
export const forbidden = Number.NEGATIVE_INFINITY;
/** Forbidden pair in the Int32 score matrix. */
export const noPair = -2147483648;
/** Score matrices up to this many entries (4 bytes each) are kept for pricing; larger domains rescore. */
const defaultMaxMatrixEntries = 32_000_000;

const popcount = (word: number): number => {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
};

/** Interns tags to bit positions and packs each person's tags into fixed-width bitsets. */
class TagBits {
  private readonly positions = new Map<string, number>();
  words = 1;

  intern(tags: Iterable<string>): void {
    for (const tag of tags) if (!this.positions.has(tag)) this.positions.set(tag, this.positions.size);
    this.words = Math.max(1, Math.ceil(this.positions.size / 32));
  }

  pack(sets: ReadonlyArray<ReadonlySet<string>>): Uint32Array {
    const bits = new Uint32Array(sets.length * this.words);
    sets.forEach((tags, index) => {
      for (const tag of tags) {
        const position = this.positions.get(tag);
        if (position === undefined) continue;
        const word = index * this.words + (position >>> 5);
        bits[word] = (bits[word] ?? 0) | (1 << (position & 31));
      }
    });
    return bits;
  }
}

/** Working state of one `scanAll`, shared by its per-mentee rows. */
interface RowScan {
  keep: number;
  skipMentor: Uint8Array;
  scores: Int32Array | null;
  candidates: Int32Array;
  candidateScores: Float64Array;
  candidateCount: Int32Array;
  bestLeftOut: Float64Array;
  topMentor: Int32Array;
  topScore: Float64Array;
  /** Row length of `skillTable` (most goals + 1). */
  skillRow: number;
  skillTable: Int32Array;
  seniorityTable: Int32Array;
  /** Mentors worth visiting for a profile p: reach[reachStart[p] .. reachStart[p + 1]) (see `reachableMentors`). */
  reachStart: Int32Array;
  reach: Int32Array;
  reachOverlap: Int32Array | null;
  reachByProfile: boolean;
}

export interface ScanResult {
  keep: number;
  /** Mentee i's best mentors are candidates[i * keep + c] for c < candidateCount[i], best first. */
  candidates: Int32Array;
  candidateScores: Float64Array;
  candidateCount: Int32Array;
  /** Best score among mentee i's allowed mentors left out of its candidates (`forbidden` if none). */
  bestLeftOut: Float64Array;
  allowedPairs: number;
}

/**
 * One domain's people as flat arrays, so the pair rules and the pair score of any (mentee, mentor) cost
 * a few array reads. The semantics are exactly `MatchingContext.checkPair` and `pairFeatures` (the
 * engine cross-checks its final objective against them), restricted to pairs inside the domain.
 *
 * Mentors are ordered by level, most senior first, so the mentors senior enough for a mentee are a
 * prefix of the list.
 */
export class DomainIndex {
  readonly domain: string;
  readonly mentors: readonly MatchingPerson[];
  readonly mentees: readonly MatchingPerson[];
  readonly mentorIndex: ReadonlyMap<string, number>;
  readonly menteeIndex: ReadonlyMap<string, number>;
  readonly lockedCount: Int32Array;
  readonly capacity: Int32Array;
  /** New mentees each mentor may take: their capacity minus their locks, 0 when not accepting. */
  readonly openSlots: Int32Array;
  /** New mentees a mentor needs to reach the minimum pod once they take any: max(0, minPodSize - locked). */
  readonly required: Int32Array;
  readonly accepting: Uint8Array;
  /** Mentees allowed with each mentor (pair rules), counted by `scanAll`. */
  readonly compatible: Int32Array;

  private readonly context: MatchingContext;
  private readonly mentorLevel: Int32Array;
  private readonly menteeLevel: Int32Array;
  private readonly atLeastLevel: Int32Array;
  private readonly mentorProfile: Int32Array;
  private readonly menteeProfile: Int32Array;
  private readonly profileSessions: WorkSessions[];
  private readonly overlapTable: Int32Array | null;
  private readonly overlapScore: Int32Array;
  private readonly skillWords: number;
  private readonly mentorSkills: Uint32Array;
  private readonly menteeGoals: Uint32Array;
  private readonly menteeGoalCount: Int32Array;
  private readonly languageWords: number;
  private readonly mentorLanguages: Uint32Array;
  private readonly menteeLanguages: Uint32Array;
  private readonly menteeProjects: number[][];
  private readonly projectMentors: number[][];
  /** Mentors in a mentee's reporting line, either direction. */
  private readonly lineMentors: number[][];
  /** Mentors a mentee must not be paired with (excluded pairs). */
  private readonly excludedMentors: number[][];
  private readonly pastMentors: number[][];
  /** Index of the mentor the mentee can stay with (leaving them is a move), or -1. */
  readonly stayWith: Int32Array;
  /** blockedStamp[j] === stamp: mentor j is conflicted (project, reporting line) or excluded for the stamped mentee. */
  private readonly blockedStamp: Int32Array;
  /** The same, for project and reporting-line conflicts only. */
  private readonly conflictStamp: Int32Array;
  private scores: Int32Array | null = null;

  /** Row-major mentee x mentor scores (`noPair` when forbidden), once `scanAll` has kept them. */
  get scoreMatrix(): Int32Array | null {
    return this.scores;
  }
  private stamp = 0;
  private stampedMentee = -1;

  /** `maxOverlapProfiles`: above this many working-hours profiles, overlaps are computed per pair, not tabled. */
  constructor(
    context: MatchingContext,
    domain: string,
    mentors: MatchingPerson[],
    mentees: MatchingPerson[],
    maxOverlapProfiles = 1024,
  ) {
    this.context = context;
    this.domain = domain;
    const { rules } = context.params;
    this.mentors = [...mentors].sort(
      (a, b) => b.level - a.level || (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0),
    );
    this.mentees = mentees;
    const mentorCount = this.mentors.length;
    const mentorIndex = new Map(this.mentors.map((mentor, index) => [mentor.personId, index]));
    const menteeIndex = new Map(mentees.map((mentee, index) => [mentee.personId, index]));
    this.mentorIndex = mentorIndex;
    this.menteeIndex = menteeIndex;

    this.lockedCount = Int32Array.from(this.mentors, (mentor) => context.lockedCountOf(mentor.personId));
    this.capacity = Int32Array.from(this.mentors, (mentor) => context.capacityOf(mentor));
    this.accepting = Uint8Array.from(this.mentors, (mentor) => (mentor.acceptingMentees ? 1 : 0));
    this.openSlots = Int32Array.from(this.mentors, (mentor, j) =>
      mentor.acceptingMentees ? Math.max(0, (this.capacity[j] ?? 0) - (this.lockedCount[j] ?? 0)) : 0,
    );
    this.required = Int32Array.from(this.lockedCount, (locked) => Math.max(0, rules.minPodSize - locked));
    this.compatible = new Int32Array(mentorCount);

    this.mentorLevel = Int32Array.from(this.mentors, (mentor) => mentor.level);
    this.menteeLevel = Int32Array.from(mentees, (mentee) => mentee.level);
    // atLeastLevel[l] = how many mentors have level >= l (they form a prefix).
    this.atLeastLevel = new Int32Array(32);
    for (let level = 0; level < 32; level++) {
      this.atLeastLevel[level] = this.mentors.filter((mentor) => mentor.level >= level).length;
    }

    const profileIndex = new Map<string, number>();
    this.profileSessions = [];
    const profileOf = (person: MatchingPerson): number => {
      const key = `${person.timezone}|${person.workingHours.start}|${person.workingHours.end}`;
      let index = profileIndex.get(key);
      if (index === undefined) {
        index = this.profileSessions.length;
        profileIndex.set(key, index);
        this.profileSessions.push(context.sessionsOf(person));
      }
      return index;
    };
    this.mentorProfile = Int32Array.from(this.mentors, profileOf);
    this.menteeProfile = Int32Array.from(mentees, profileOf);
    const profiles = this.profileSessions.length;
    if (profiles <= maxOverlapProfiles) {
      this.overlapTable = new Int32Array(profiles * profiles);
      for (let a = 0; a < profiles; a++) {
        for (let b = 0; b < profiles; b++) {
          this.overlapTable[a * profiles + b] = overlapMinutes(
            this.profileSessions[a] ?? new Int32Array(10),
            this.profileSessions[b] ?? new Int32Array(10),
          );
        }
      }
    } else {
      this.overlapTable = null;
    }
    const { centipoints, scoring } = context.params;
    this.overlapScore = Int32Array.from({ length: 24 * 60 + 1 }, (_, minutes) =>
      overlapPoints(centipoints, scoring, minutes),
    );

    const skillTags = new TagBits();
    const mentorTags = this.mentors.map((mentor) => context.tagsOf(mentor));
    const menteeTags = mentees.map((mentee) => context.tagsOf(mentee));
    for (const tags of mentorTags) skillTags.intern(tags.skills);
    for (const tags of menteeTags) skillTags.intern(tags.goals);
    this.skillWords = skillTags.words;
    this.mentorSkills = skillTags.pack(mentorTags.map((tags) => tags.skills));
    this.menteeGoals = skillTags.pack(menteeTags.map((tags) => tags.goals));
    this.menteeGoalCount = Int32Array.from(menteeTags, (tags) => tags.goals.size);
    const languageTags = new TagBits();
    for (const tags of mentorTags) languageTags.intern(tags.languages);
    for (const tags of menteeTags) languageTags.intern(tags.languages);
    this.languageWords = languageTags.words;
    this.mentorLanguages = languageTags.pack(mentorTags.map((tags) => tags.languages));
    this.menteeLanguages = languageTags.pack(menteeTags.map((tags) => tags.languages));

    const projectIndex = new Map<string, number>();
    this.projectMentors = [];
    this.mentors.forEach((mentor, j) => {
      for (const project of new Set(mentor.projectIds)) {
        let index = projectIndex.get(project);
        if (index === undefined) {
          index = this.projectMentors.length;
          projectIndex.set(project, index);
          this.projectMentors.push([]);
        }
        this.projectMentors[index]?.push(j);
      }
    });
    this.menteeProjects = mentees.map((mentee) =>
      [...new Set(mentee.projectIds)].flatMap((project) => {
        const index = projectIndex.get(project);
        return index === undefined ? [] : [index];
      }),
    );

    this.lineMentors = mentees.map((mentee) =>
      context.chains.managersOf(mentee.personId).flatMap((managerId) => {
        const index = mentorIndex.get(managerId);
        return index === undefined ? [] : [index];
      }),
    );
    this.mentors.forEach((mentor, j) => {
      for (const managerId of context.chains.managersOf(mentor.personId)) {
        const index = menteeIndex.get(managerId);
        if (index !== undefined) this.lineMentors[index]?.push(j);
      }
    });

    this.excludedMentors = mentees.map(() => []);
    for (const pair of context.excludedPairs) {
      const i = menteeIndex.get(pair.menteeId);
      const j = mentorIndex.get(pair.mentorId);
      if (i !== undefined && j !== undefined) this.excludedMentors[i]?.push(j);
    }
    this.pastMentors = mentees.map(() => []);
    for (const pairing of context.pastPairings) {
      const i = menteeIndex.get(pairing.menteeId);
      const j = mentorIndex.get(pairing.mentorId);
      if (i === undefined || j === undefined) continue;
      if (context.repeatsPast(pairing.mentorId, pairing.menteeId)) this.pastMentors[i]?.push(j);
    }
    this.stayWith = Int32Array.from(mentees, (mentee) => {
      const stay = context.stayableMentorOf(mentee);
      return stay === null ? -1 : (mentorIndex.get(stay) ?? -1);
    });
    this.blockedStamp = new Int32Array(mentorCount);
    this.conflictStamp = new Int32Array(mentorCount);
  }

  /** Mentors senior enough for mentee i form the prefix [0, seniorMentorCount(i)). */
  seniorMentorCount(i: number): number {
    const needed = (this.menteeLevel[i] ?? 0) + this.context.params.rules.minLevelGap;
    return needed <= 0 ? this.mentors.length : needed >= 32 ? 0 : (this.atLeastLevel[needed] ?? 0);
  }

  /** Marks the mentors mentee i may not have for project or reporting-line reasons, or as an excluded pair. */
  private stampConflicts(i: number): void {
    if (this.stampedMentee === i) return;
    const stamp = ++this.stamp;
    this.stampedMentee = i;
    for (const project of this.menteeProjects[i] ?? []) {
      for (const j of this.projectMentors[project] ?? []) {
        this.blockedStamp[j] = stamp;
        this.conflictStamp[j] = stamp;
      }
    }
    for (const j of this.lineMentors[i] ?? []) {
      this.blockedStamp[j] = stamp;
      this.conflictStamp[j] = stamp;
    }
    for (const j of this.excludedMentors[i] ?? []) this.blockedStamp[j] = stamp;
  }

  overlapOf(i: number, j: number): number {
    const a = this.menteeProfile[i] ?? 0;
    const b = this.mentorProfile[j] ?? 0;
    if (this.overlapTable) return this.overlapTable[a * this.profileSessions.length + b] ?? 0;
    return overlapMinutes(this.profileSessions[a] ?? new Int32Array(10), this.profileSessions[b] ?? new Int32Array(10));
  }

  /** Mentor j shares a project or a reporting line with mentee i. */
  isConflicted(i: number, j: number): boolean {
    this.stampConflicts(i);
    return this.conflictStamp[j] === this.stamp;
  }

  /** The pair (i, j) is an excluded pair. */
  isExcluded(i: number, j: number): boolean {
    return (this.excludedMentors[i] ?? []).includes(j);
  }

  /**
   * The pair's score in centipoints, or `forbidden` when it breaks a pair rule (seniority, project,
   * reporting line, excluded pair, overlap, mentor not accepting). Same domain is given. Read from the score matrix
   * when `scanAll` kept one.
   */
  pairScore(i: number, j: number): number {
    if (this.scores) {
      const score = this.scores[i * this.mentors.length + j] as number;
      return score === noPair ? forbidden : score;
    }
    return this.computeScore(i, j);
  }

  /** The rules and the score from scratch (the reference the matrix and the scan must agree with). */
  computeScore(i: number, j: number): number {
    const { rules, centipoints: cp } = this.context.params;
    const gap = (this.mentorLevel[j] ?? 0) - (this.menteeLevel[i] ?? 0);
    if (gap < rules.minLevelGap || !this.accepting[j]) return forbidden;
    this.stampConflicts(i);
    if (this.blockedStamp[j] === this.stamp) return forbidden;
    const overlap = this.overlapOf(i, j);
    if (overlap < rules.minOverlapMinutes) return forbidden;
    let covered = 0;
    for (let w = 0; w < this.skillWords; w++) {
      covered += popcount(
        (this.mentorSkills[j * this.skillWords + w] ?? 0) & (this.menteeGoals[i * this.skillWords + w] ?? 0),
      );
    }
    let sharedLanguage = false;
    for (let w = 0; w < this.languageWords; w++) {
      const both =
        (this.mentorLanguages[j * this.languageWords + w] ?? 0) &
        (this.menteeLanguages[i * this.languageWords + w] ?? 0);
      if (both !== 0) sharedLanguage = true;
    }
    const stay = this.stayWith[i] ?? -1;
    return (
      overlapPoints(cp, this.context.params.scoring, overlap) +
      languagePoints(cp, sharedLanguage) +
      skillsPoints(cp, covered, this.menteeGoalCount[i] ?? 0) +
      seniorityPoints(cp, this.context.params.scoring, gap) +
      repeatPoints(cp, (this.pastMentors[i] ?? []).includes(j)) +
      movePoints(cp, stay >= 0 && stay !== j)
    );
  }

  /**
   * Scores every allowed pair once (the hot loop: per-mentee data hoisted, term tables built from the
   * same point helpers). Keeps each mentee's `keep` best mentors among those not in `skipMentor`, the
   * best score left out (an upper bound for pricing), counts each mentor's compatible mentees, and
   * keeps the whole score matrix when it fits in `maxMatrixEntries`.
   */
  scanAll(keep: number, skipMentor: Uint8Array, maxMatrixEntries = defaultMaxMatrixEntries): ScanResult {
    const { centipoints: cp, scoring } = this.context.params;
    const menteeCount = this.mentees.length;
    const mentorCount = this.mentors.length;
    const maxGoals = Math.max(0, ...Array.from(this.menteeGoalCount));
    const skillTable = new Int32Array((maxGoals + 1) * (maxGoals + 1));
    for (let total = 0; total <= maxGoals; total++) {
      for (let covered = 0; covered <= total; covered++)
        skillTable[total * (maxGoals + 1) + covered] = skillsPoints(cp, covered, total);
    }
    const scan: RowScan = {
      keep,
      skipMentor,
      scores:
        menteeCount * mentorCount <= maxMatrixEntries ? new Int32Array(menteeCount * mentorCount).fill(noPair) : null,
      // Flat, `keep` slots per mentee: one allocation instead of two small arrays per mentee.
      candidates: new Int32Array(menteeCount * keep),
      candidateScores: new Float64Array(menteeCount * keep),
      candidateCount: new Int32Array(menteeCount),
      bestLeftOut: new Float64Array(menteeCount).fill(forbidden),
      topMentor: new Int32Array(keep + 1),
      topScore: new Float64Array(keep + 1),
      skillRow: maxGoals + 1,
      skillTable,
      seniorityTable: Int32Array.from({ length: 64 }, (_, gap) => seniorityPoints(cp, scoring, gap)),
      ...this.reachableMentors(),
    };
    let allowedPairs = 0;
    // One call per mentee: a small hot method is optimised early and whole, unlike a long nested loop
    // that the JIT can only enter through its inner loop (and leaves on every outer iteration).
    for (let i = 0; i < menteeCount; i++) allowedPairs += this.scanRow(i, scan);
    this.scores = scan.scores;
    return {
      keep,
      candidates: scan.candidates,
      candidateScores: scan.candidateScores,
      candidateCount: scan.candidateCount,
      bestLeftOut: scan.bestLeftOut,
      allowedPairs,
    };
  }

  /**
   * For each working-hours profile, the accepting mentors whose hours overlap it enough, in mentor
   * order, with the overlap: a row then visits only those (the overlap rule alone rejects about half
   * the pairs of a spread-out organisation). Without an overlap table (very many profiles), one list
   * of all accepting mentors, overlaps computed per pair.
   */
  private reachableMentors(): Pick<RowScan, 'reachStart' | 'reach' | 'reachOverlap' | 'reachByProfile'> {
    const minOverlap = this.context.params.rules.minOverlapMinutes;
    const mentorCount = this.mentors.length;
    const table = this.overlapTable;
    if (!table) {
      const reach = Int32Array.from(this.mentors.keys()).filter((j) => this.accepting[j] === 1);
      return { reachStart: Int32Array.of(0, reach.length), reach, reachOverlap: null, reachByProfile: false };
    }
    const profiles = this.profileSessions.length;
    const used = new Uint8Array(profiles);
    for (const profile of this.menteeProfile) used[profile] = 1;
    const reachStart = new Int32Array(profiles + 1);
    let total = 0;
    for (let p = 0; p < profiles; p++) {
      reachStart[p] = total;
      if (!used[p]) continue;
      for (let j = 0; j < mentorCount; j++) {
        if (this.accepting[j] && (table[p * profiles + (this.mentorProfile[j] as number)] as number) >= minOverlap)
          total += 1;
      }
    }
    reachStart[profiles] = total;
    const reach = new Int32Array(total);
    const reachOverlap = new Int32Array(total);
    for (let p = 0; p < profiles; p++) {
      if (!used[p]) continue;
      let at = reachStart[p] as number;
      for (let j = 0; j < mentorCount; j++) {
        const overlap = table[p * profiles + (this.mentorProfile[j] as number)] as number;
        if (!this.accepting[j] || overlap < minOverlap) continue;
        reach[at] = j;
        reachOverlap[at] = overlap;
        at += 1;
      }
    }
    return { reachStart, reach, reachOverlap, reachByProfile: true };
  }

  /** Scores mentee i against every senior-enough mentor (see `scanAll`); returns its allowed pairs. */
  private scanRow(i: number, scan: RowScan): number {
    const { rules, centipoints: cp } = this.context.params;
    const { keep, skipMentor, scores, topMentor, topScore, skillTable, seniorityTable } = scan;
    const mentorCount = this.mentors.length;
    const minOverlap = rules.minOverlapMinutes;
    const { reach, reachOverlap } = scan;
    const { mentorLevel, blockedStamp, mentorSkills, mentorLanguages, overlapScore } = this;
    const compatible = this.compatible;
    const skillWords = this.skillWords;
    const languageWords = this.languageWords;
    const languageWeight = cp.language;
    const repeatPenalty = cp.repeatPast;
    const movePenalty = cp.move;

    this.stampConflicts(i);
    const stamp = this.stamp;
    const menteeLevel = this.menteeLevel[i] as number;
    const senior = this.seniorMentorCount(i);
    const goalRow = (this.menteeGoalCount[i] as number) * scan.skillRow;
    const goal0 = this.menteeGoals[i * skillWords] as number;
    const language0 = this.menteeLanguages[i * languageWords] as number;
    const profile = scan.reachByProfile ? (this.menteeProfile[i] as number) : 0;
    const reachEnd = scan.reachStart[profile + 1] as number;
    const stay = this.stayWith[i] as number;
    const past = this.pastMentors[i] as number[];
    const rowBase = i * mentorCount;
    let held = 0;
    let allowedPairs = 0;
    // Mentors in order: those senior enough are a prefix.
    for (let k = scan.reachStart[profile] as number; k < reachEnd; k++) {
      const j = reach[k] as number;
      if (j >= senior) break;
      if (blockedStamp[j] === stamp) continue;
      const overlap = reachOverlap ? (reachOverlap[k] as number) : this.overlapOf(i, j);
      if (overlap < minOverlap) continue;
      let covered: number;
      let sharedLanguage: boolean;
      if (skillWords === 1) covered = popcount((mentorSkills[j] as number) & goal0);
      else {
        covered = 0;
        for (let w = 0; w < skillWords; w++) {
          covered += popcount(
            (mentorSkills[j * skillWords + w] as number) & (this.menteeGoals[i * skillWords + w] as number),
          );
        }
      }
      if (languageWords === 1) sharedLanguage = ((mentorLanguages[j] as number) & language0) !== 0;
      else {
        sharedLanguage = false;
        for (let w = 0; w < languageWords; w++) {
          if (
            ((mentorLanguages[j * languageWords + w] as number) &
              (this.menteeLanguages[i * languageWords + w] as number)) !==
            0
          ) {
            sharedLanguage = true;
          }
        }
      }
      const score =
        (overlapScore[overlap] as number) +
        (sharedLanguage ? languageWeight : 0) +
        (skillTable[goalRow + covered] as number) +
        (seniorityTable[(mentorLevel[j] as number) - menteeLevel] as number) -
        (past.length > 0 && past.includes(j) ? repeatPenalty : 0) -
        (stay >= 0 && stay !== j ? movePenalty : 0);
      allowedPairs += 1;
      compatible[j] = (compatible[j] as number) + 1;
      if (scores) scores[rowBase + j] = score;
      if (skipMentor[j]) continue;
      // Insertion into a list sorted by score, best first, at most keep + 1 long.
      if (held === keep + 1 && score <= (topScore[keep] as number)) continue;
      let position = held < keep + 1 ? held++ : keep;
      while (position > 0 && (topScore[position - 1] as number) < score) {
        topScore[position] = topScore[position - 1] as number;
        topMentor[position] = topMentor[position - 1] as number;
        position -= 1;
      }
      topScore[position] = score;
      topMentor[position] = j;
    }
    const kept = Math.min(held, keep);
    scan.candidates.set(topMentor.subarray(0, kept), i * keep);
    scan.candidateScores.set(topScore.subarray(0, kept), i * keep);
    scan.candidateCount[i] = kept;
    if (held > keep) scan.bestLeftOut[i] = topScore[keep] as number;
    return allowedPairs;
  }

  /** Why mentee i has no compatible mentor at all, by the first rule that leaves no candidate (or null). */
  blockingStage(
    i: number,
  ):
    | 'no-mentor-in-domain'
    | 'no-mentor-senior-enough'
    | 'only-conflicted-mentors'
    | 'only-excluded-mentors'
    | 'working-hours-overlap-too-small'
    | 'compatible-mentors-not-accepting'
    | null {
    if (this.mentors.length === 0) return 'no-mentor-in-domain';
    const senior = this.seniorMentorCount(i);
    if (senior === 0) return 'no-mentor-senior-enough';
    const unconflicted: number[] = [];
    for (let j = 0; j < senior; j++) if (!this.isConflicted(i, j)) unconflicted.push(j);
    if (unconflicted.length === 0) return 'only-conflicted-mentors';
    const allowed = unconflicted.filter((j) => !this.isExcluded(i, j));
    if (allowed.length === 0) return 'only-excluded-mentors';
    const overlapping = allowed.filter((j) => this.overlapOf(i, j) >= this.context.params.rules.minOverlapMinutes);
    if (overlapping.length === 0) return 'working-hours-overlap-too-small';
    if (!overlapping.some((j) => this.accepting[j])) return 'compatible-mentors-not-accepting';
    return null;
  }

  /** Mentors allowed for mentee i by every pair rule. */
  compatibleMentors(i: number): number[] {
    const result: number[] = [];
    const senior = this.seniorMentorCount(i);
    for (let j = 0; j < senior; j++) if (this.pairScore(i, j) !== forbidden) result.push(j);
    return result;
  }
}
