import { MatchingContext } from './context';
import { Deadline } from './deadline';
import { DomainIndex } from './domain-index';
import { domainValue, solveDomain } from './domain-solver';
import { evaluateWithContext } from './objective';
import { compareIds } from './participants';
import type {
  DomainStats,
  MatchingInput,
  MatchingPerson,
  MatchResult,
  MemberChange,
  MentorShortfall,
  NoMentorPossible,
  PairScore,
  Pod,
  PodMember,
  UnmatchedMentee,
} from './types';

/** How many factors a pod member carries as its explanation. */
const explainedFactors = 3;

interface DomainOutcome {
  index: DomainIndex | null;
  stats: DomainStats;
  /** mentorId -> new menteeIds */
  added: Map<string, string[]>;
  value: number;
}

/**
 * Forms mentor pods: exactly optimal for the documented objective under the hard rules (see README).
 * Domains are independent (every pair rule requires the same domain), so each is solved on its own.
 */
export const matchPods = (input: MatchingInput): MatchResult => {
  const context = new MatchingContext(input);
  const { rules } = context.params;
  const lockedMentees = context.pairings.lockedMentorOf;

  const domains = new Map<string, { mentors: MatchingPerson[]; mentees: MatchingPerson[]; locked: number }>();
  const domainOf = (name: string) => {
    let entry = domains.get(name);
    if (!entry) {
      entry = { mentors: [], mentees: [], locked: 0 };
      domains.set(name, entry);
    }
    return entry;
  };
  for (const mentor of context.mentors) domainOf(mentor.domain).mentors.push(mentor);
  for (const mentee of context.mentees) {
    if (lockedMentees.has(mentee.personId)) domainOf(mentee.domain).locked += 1;
    else domainOf(mentee.domain).mentees.push(mentee);
  }

  // With a time budget, each domain may use an equal share of what is left when its turn comes; the
  // smallest go first, so the time they leave unused goes to the larger ones.
  const { timeBudgetMs, clock } = context.params.solver;
  const end = clock() + timeBudgetMs;
  const names = [...domains.keys()].sort(compareIds);
  const sizeOf = (name: string) => {
    const entry = domains.get(name);
    return entry ? entry.mentors.length * entry.mentees.length : 0;
  };
  const solveOrder = [...names].sort((a, b) => sizeOf(a) - sizeOf(b) || compareIds(a, b));
  const solved = new Map<string, DomainOutcome>();
  solveOrder.forEach((name, position) => {
    const { mentors, mentees, locked } = domains.get(name) ?? { mentors: [], mentees: [], locked: 0 };
    const deadline =
      timeBudgetMs === Number.POSITIVE_INFINITY
        ? Deadline.never
        : new Deadline(clock, clock() + (end - clock()) / (solveOrder.length - position));
    solved.set(name, solveOneDomain(context, name, mentors, mentees, locked, deadline));
  });
  const outcomes = new Map(names.map((name) => [name, solved.get(name) as DomainOutcome]));

  const newLockedUntil = addMonths(context.runDate, rules.lockMonths);
  const members = new Map<string, Array<Omit<PodMember, 'points' | 'centipoints' | 'topFactors'>>>();
  const join = (mentorId: string, member: Omit<PodMember, 'points' | 'centipoints' | 'topFactors'>): void => {
    const list = members.get(mentorId) ?? [];
    list.push(member);
    members.set(mentorId, list);
  };
  for (const lock of context.pairings.locked) {
    join(lock.mentorId, { menteeId: lock.menteeId, change: 'locked', locked: true, lockedUntil: lock.lockedUntil });
  }
  for (const outcome of outcomes.values()) {
    for (const [mentorId, menteeIds] of outcome.added) {
      for (const menteeId of menteeIds) {
        const current = context.pairings.currentMentorOf.get(menteeId);
        const change: MemberChange = current === undefined ? 'new' : current === mentorId ? 'kept' : 'moved';
        join(mentorId, { menteeId, change, locked: false, lockedUntil: newLockedUntil });
      }
    }
  }

  // Score every pair once while checking the assignment (the evaluator is the self-check below).
  const scores = new Map<string, PairScore>();
  const assignment = [...members].map(([mentorId, list]) => ({
    mentorId,
    menteeIds: list.map((member) => member.menteeId),
  }));
  const evaluation = evaluateWithContext(context, assignment, (mentorId, menteeId, score) => {
    scores.set(`${mentorId}\u0000${menteeId}`, score);
  });
  if (!evaluation.feasible) {
    throw new Error(
      `matching engine produced an infeasible assignment: ${JSON.stringify(evaluation.violations.slice(0, 3))}`,
    );
  }

  const pods: Pod[] = [];
  for (const [mentorId, list] of members) {
    const mentor = context.byId.get(mentorId);
    if (!mentor) continue;
    const podMembers = list
      .map((member): PodMember => {
        const score = scores.get(`${mentorId}\u0000${member.menteeId}`);
        return {
          ...member,
          points: score?.points ?? 0,
          centipoints: score?.centipoints ?? 0,
          topFactors: score?.factors.slice(0, explainedFactors) ?? [],
        };
      })
      .sort((a, b) => compareIds(a.menteeId, b.menteeId));
    pods.push({
      mentorId,
      domain: mentor.domain,
      capacity: context.capacityOf(mentor),
      menteeIds: podMembers.map((member) => member.menteeId),
      mentees: podMembers,
      loadCost: context.loadCost(podMembers.length),
    });
  }
  pods.sort((a, b) => compareIds(a.domain, b.domain) || compareIds(a.mentorId, b.mentorId));

  // Self-check: the solver's own objective is the evaluator's.
  let solverValue = 0;
  for (const outcome of outcomes.values()) solverValue += outcome.value;
  for (const lock of context.pairings.locked) {
    const mentor = context.byId.get(lock.mentorId);
    const mentee = context.byId.get(lock.menteeId);
    const score = scores.get(`${lock.mentorId}\u0000${lock.menteeId}`);
    if (mentor && mentee && score) solverValue += context.coverageBonus + score.centipoints;
  }
  for (const locked of context.pairings.lockedCount.values()) solverValue -= context.loadCost(locked);
  if (solverValue !== evaluation.objective.value) {
    throw new Error(
      `matching engine objective mismatch: solver ${solverValue}, evaluator ${evaluation.objective.value}`,
    );
  }

  const podSize = new Map(pods.map((pod) => [pod.mentorId, pod.menteeIds.length]));
  const placed = new Set(pods.flatMap((pod) => pod.menteeIds));
  const unmatched: UnmatchedMentee[] = [];
  const noMentorPossible: NoMentorPossible[] = [];
  const seniors = new SeniorPeople(context);
  for (const mentee of context.mentees) {
    if (placed.has(mentee.personId)) continue;
    const impossible = seniors.noMentorPossible(mentee);
    if (impossible) noMentorPossible.push(impossible);
    else unmatched.push(explainUnmatched(context, outcomes.get(mentee.domain)?.index ?? null, mentee, podSize));
  }
  const mentorShortfalls: MentorShortfall[] = [];
  for (const mentor of context.mentors) {
    const load = podSize.get(mentor.personId) ?? 0;
    if (load >= rules.minPodSize) continue;
    mentorShortfalls.push(explainShortfall(context, outcomes.get(mentor.domain)?.index ?? null, mentor, load));
  }

  const domainStats = [...outcomes.values()].map((outcome) => outcome.stats);
  return {
    runDate: context.runDate.toISOString(),
    pods,
    objective: evaluation.objective,
    unmatched,
    noMentorPossible,
    mentorShortfalls,
    releasedLocks: context.pairings.released,
    warnings: evaluation.warnings,
    optimality: {
      proven: domainStats.every((stats) => stats.proven),
      gap: domainStats.reduce((total, stats) => total + stats.gap, 0),
      domains: domainStats,
    },
  };
};

const solveOneDomain = (
  context: MatchingContext,
  domain: string,
  mentors: MatchingPerson[],
  mentees: MatchingPerson[],
  locked: number,
  deadline: Deadline,
): DomainOutcome => {
  const stats: DomainStats = {
    domain,
    mentors: mentors.length,
    mentees: mentees.length,
    lockedMentees: locked,
    matched: 0,
    initialArcs: 0,
    pricedArcs: 0,
    allowedPairs: 0,
    pricingRounds: 0,
    rootViolations: 0,
    branchNodes: 0,
    proven: true,
    gap: 0,
    stoppedBy: null,
  };
  if (mentors.length === 0) return { index: null, stats, added: new Map(), value: 0 };
  const index = new DomainIndex(context, domain, mentors, mentees);
  if (mentees.length === 0) return { index, stats, added: new Map(), value: 0 };

  const solution = solveDomain(context, index, deadline);
  const recomputed = domainValue(context, index, solution.assignment);
  if (recomputed !== solution.value) {
    throw new Error(`domain ${domain}: solver value ${solution.value} differs from its assignment's ${recomputed}`);
  }
  const added = new Map<string, string[]>();
  solution.assignment.forEach((j, i) => {
    if (j < 0) return;
    const mentorId = index.mentors[j]?.personId ?? '';
    const list = added.get(mentorId) ?? [];
    list.push(index.mentees[i]?.personId ?? '');
    added.set(mentorId, list);
    stats.matched += 1;
  });
  Object.assign(stats, {
    initialArcs: solution.initialArcs,
    pricedArcs: solution.pricedArcs,
    allowedPairs: solution.allowedPairs,
    pricingRounds: solution.pricingRounds,
    rootViolations: solution.rootViolations,
    branchNodes: solution.branchNodes,
    proven: solution.proven,
    gap: solution.upperBound - solution.value,
    stoppedBy: solution.stoppedBy,
  });
  return { index, stats, added, value: solution.value };
};

const explainUnmatched = (
  context: MatchingContext,
  index: DomainIndex | null,
  mentee: MatchingPerson,
  podSize: ReadonlyMap<string, number>,
): UnmatchedMentee => {
  const base = { menteeId: mentee.personId, domain: mentee.domain };
  if (!index || index.mentors.length === 0) {
    return { ...base, reason: 'no-mentor-in-domain', detail: `no mentor in domain ${mentee.domain}` };
  }
  const i = index.menteeIndex.get(mentee.personId) ?? -1;
  const stage = index.blockingStage(i);
  const { minLevelGap, minOverlapMinutes, minPodSize } = context.params.rules;
  switch (stage) {
    case 'no-mentor-in-domain':
      return { ...base, reason: stage, detail: `no mentor in domain ${mentee.domain}` };
    case 'no-mentor-senior-enough':
      return { ...base, reason: stage, detail: `no mentor at level ${mentee.level + minLevelGap} or above` };
    case 'only-conflicted-mentors':
      return {
        ...base,
        reason: stage,
        detail: 'every senior-enough mentor shares a project or a reporting line with them',
      };
    case 'only-excluded-mentors':
      return {
        ...base,
        reason: stage,
        detail:
          'every remaining senior-enough mentor is excluded for them (e.g. one they left through a decision: left-through-decision)',
      };
    case 'working-hours-overlap-too-small':
      return {
        ...base,
        reason: stage,
        detail: `no remaining mentor shares ${minOverlapMinutes} minutes of working time`,
      };
    case 'compatible-mentors-not-accepting':
      return { ...base, reason: stage, detail: 'every compatible mentor has paused taking mentees' };
    default:
      break;
  }
  const compatible = index.compatibleMentors(i);
  const withRoom = compatible.filter((j) => {
    const mentor = index.mentors[j];
    return mentor !== undefined && (podSize.get(mentor.personId) ?? 0) < context.capacityOf(mentor);
  });
  if (withRoom.length === 0) {
    return {
      ...base,
      reason: 'all-compatible-mentors-full',
      detail: `all ${compatible.length} compatible mentors are full`,
    };
  }
  return {
    ...base,
    reason: 'minimum-pod-unreachable',
    detail: `${withRoom.length} compatible mentors have room but none could reach a pod of ${minPodSize} without unmatching someone else`,
  };
};

const explainShortfall = (
  context: MatchingContext,
  index: DomainIndex | null,
  mentor: MatchingPerson,
  load: number,
): MentorShortfall => {
  const { minPodSize } = context.params.rules;
  const locked = context.lockedCountOf(mentor.personId);
  const base = { mentorId: mentor.personId, domain: mentor.domain, load, locked };
  const j = index?.mentorIndex.get(mentor.personId) ?? -1;
  const compatible = index && j >= 0 ? (index.compatible[j] ?? 0) : 0;
  const needed = Math.max(0, minPodSize - locked);
  if (!mentor.acceptingMentees) {
    return { ...base, reason: 'not-accepting', detail: `paused: keeps ${locked} locked mentees, takes no new one` };
  }
  if (locked > 0) {
    return {
      ...base,
      reason: 'locked-under-minimum',
      detail: `${locked} locked mentees kept; ${compatible} compatible mentees to place but ${needed} more could not be added without costing coverage or score`,
    };
  }
  if (context.capacityOf(mentor) < minPodSize) {
    return {
      ...base,
      reason: 'minimum-pod-unreachable',
      detail: `capacity ${context.capacityOf(mentor)} is below the minimum pod`,
    };
  }
  if (compatible === 0) {
    return { ...base, reason: 'no-compatible-mentees', detail: 'no mentee to place passes the pair rules with them' };
  }
  if (compatible < needed) {
    return {
      ...base,
      reason: 'too-few-compatible-mentees',
      detail: `only ${compatible} compatible mentees, a pod needs ${needed}`,
    };
  }
  return {
    ...base,
    reason: 'minimum-pod-unreachable',
    detail: `${compatible} compatible mentees, but a pod of ${minPodSize} would take them from pods where they are matched as well or better`,
  };
};

/**
 * Whether a mentor can exist for a mentee at all, whoever takes the mentor role: someone active in
 * their domain must be senior enough (level at least theirs + minLevelGap) and outside their
 * reporting line. People are walked most senior first, so the answer usually takes a step or two.
 */
class SeniorPeople {
  private readonly byDomain = new Map<string, MatchingPerson[]>();

  constructor(private readonly context: MatchingContext) {
    for (const person of context.byId.values()) {
      if (person.status !== 'active') continue;
      const list = this.byDomain.get(person.domain) ?? [];
      list.push(person);
      this.byDomain.set(person.domain, list);
    }
    for (const list of this.byDomain.values())
      list.sort((a, b) => b.level - a.level || compareIds(a.personId, b.personId));
  }

  noMentorPossible(mentee: MatchingPerson): NoMentorPossible | null {
    const needed = mentee.level + this.context.params.rules.minLevelGap;
    let seniorEnough = 0;
    for (const person of this.byDomain.get(mentee.domain) ?? []) {
      if (person.level < needed) break;
      if (person.personId === mentee.personId) continue;
      if (!this.context.chains.inSameLine(person.personId, mentee.personId)) return null;
      seniorEnough += 1;
    }
    const base = { menteeId: mentee.personId, domain: mentee.domain };
    if (seniorEnough === 0) {
      return {
        ...base,
        reason: 'most-senior-in-domain',
        detail: `no one in domain ${mentee.domain} is at level ${needed} or above: no mentor can exist for them`,
      };
    }
    return {
      ...base,
      reason: 'only-own-managers-senior-enough',
      detail: `the ${seniorEnough} people at level ${needed} or above in domain ${mentee.domain} are all in their reporting line: no mentor can exist for them`,
    };
  }
}

/** The run date plus whole months (day clamped to the month's end), as an ISO string. */
export const addMonths = (date: Date, months: number): string => {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(date.getUTCDate(), lastDay),
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
      date.getUTCMilliseconds(),
    ),
  ).toISOString();
};
