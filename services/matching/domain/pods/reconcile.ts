import { defaultHardRules, type HardRules, scorePair } from '../engine/index';
import type { Person } from '../people/person';
import type { EndReason, Mentorship, PodWithMembers } from './model';
import { type EndedMentorship, emptyChange, type PairingChange, podDepartures } from './pairing-change';
import type { PairingDependencies } from './ports';
import { withReportingChains } from './rematch';

/** The hard rule a pairing in force now breaks, or null while it holds. */
export type BrokenRule = NonNullable<EndedMentorship['rule']>;

const takesPartAsMentee = (person: Person) =>
  person.status === 'active' && person.roles.includes('employee') && !person.roles.includes('mentor');

/**
 * Whether a pairing in force still holds after a directory change. A paused mentor keeps their
 * mentees (pausing stops new ones only); any other hard rule a pairing breaks ends it, lock or no
 * lock: a pairing across domains, with a mentor no longer senior, in the same project or the
 * reporting chain, or without the working-hours overlap is not one the programme keeps.
 */
export const brokenRuleOf = (
  mentor: Person,
  mentee: Person,
  people: readonly Person[],
  runDate: Date,
  rules: HardRules,
): BrokenRule | null => {
  if (!mentor.roles.includes('mentor')) return 'mentor-role';
  if (!takesPartAsMentee(mentee)) return 'mentee-role';
  const { blockedBy } = scorePair(mentor, mentee, { people, runDate, rules });
  if (blockedBy === null || blockedBy === 'mentor-not-accepting' || blockedBy === 'left-through-decision') return null;
  if (blockedBy === 'mentor-not-eligible') return 'mentor-role';
  if (blockedBy === 'mentee-not-eligible') return 'mentee-role';
  return blockedBy;
};

/**
 * What a person's changed directory record means for the pairings they are in: every pairing that
 * now breaks a hard rule ends (`left-programme`, naming the rule), and the mentees who lost their
 * mentor wait for an immediate re-match. A mentor who no longer mentors (the role is gone) loses
 * their pod. Someone who left (offboarded) is handled as a leave.
 */
export const directoryChangeOf = (args: {
  person: Person;
  asMentee: { mentorship: Mentorship; mentor: Person | undefined } | undefined;
  asMentor: { pod: PodWithMembers; mentees: ReadonlyMap<string, Person> } | undefined;
  /** Everyone on the reporting chains of the people involved. */
  people: readonly Person[];
  now: Date;
  triggerId: string;
  correlationId: string;
  rules: HardRules;
}): PairingChange => {
  const { person, asMentee, asMentor, people, now, rules } = args;
  const at = now.toISOString();
  const change = emptyChange({ kind: 'outside-commit' });
  const waiting: string[] = [];
  const merge = (part: Pick<PairingChange, 'ends' | 'pods' | 'events'>) => {
    change.ends.push(...part.ends);
    change.pods.push(...part.pods);
    change.events.push(...part.events);
  };
  const end = (mentorship: Mentorship, rule: BrokenRule): EndedMentorship => ({
    mentorship,
    reason: 'left-programme' satisfies EndReason,
    endedAt: at,
    rule,
  });

  if (asMentee?.mentor && asMentee.mentorship.podId !== asMentor?.pod.pod.podId) {
    const rule = brokenRuleOf(asMentee.mentor, person, people, now, rules);
    if (rule) {
      const { mentorship } = asMentee;
      merge(
        podDepartures(
          { podId: mentorship.podId, mentorId: mentorship.mentorId, domain: mentorship.domain },
          [end(mentorship, rule)],
          null,
        ),
      );
      if (takesPartAsMentee(person)) waiting.push(person.personId);
    }
  }
  if (asMentor) {
    const { pod, members } = asMentor.pod;
    const ended = members.flatMap((mentorship) => {
      const mentee = asMentor.mentees.get(mentorship.menteeId);
      const rule = mentee ? brokenRuleOf(person, mentee, people, now, rules) : null;
      return rule ? [end(mentorship, rule)] : [];
    });
    if (ended.length > 0) {
      const all = ended.length === members.length;
      const dissolve = all
        ? { reason: person.roles.includes('mentor') ? ('no-mentees' as const) : ('mentor-left-programme' as const), at }
        : null;
      merge(podDepartures(pod, ended, dissolve));
      for (const item of ended) {
        const mentee = asMentor.mentees.get(item.mentorship.menteeId);
        if (mentee && takesPartAsMentee(mentee)) waiting.push(mentee.personId);
      }
    }
  }
  if (waiting.length > 0) {
    change.pendingRematches = {
      add: waiting.map((menteeId) => ({
        triggerId: args.triggerId,
        menteeId,
        excludeMentorId: null,
        since: at,
        correlationId: args.correlationId,
      })),
    };
  }
  return change;
};

/** Reads what `directoryChangeOf` decides on: the person, their mentor, their pod's mentees, the reporting chains. */
export const readDirectoryChange = async (
  deps: PairingDependencies,
  personId: string,
  args: { triggerId: string; correlationId: string },
): Promise<PairingChange | undefined> => {
  const person = await deps.people.get(personId);
  if (!person) return undefined;
  const [mentorship, pod] = await Promise.all([
    deps.pairings.mentorshipOf(personId),
    deps.pairings.activePodOfMentor(personId),
  ]);
  const ids = [...(mentorship ? [mentorship.mentorId] : []), ...(pod?.members.map((m) => m.menteeId) ?? [])];
  const others = await deps.pairings.peopleByIds(ids);
  const self = { ...person } as Person;
  return directoryChangeOf({
    person: self,
    asMentee: mentorship ? { mentorship, mentor: others.get(mentorship.mentorId) } : undefined,
    asMentor: pod ? { pod, mentees: others } : undefined,
    people: await withReportingChains(deps, [self, ...others.values()]),
    now: deps.clock(),
    triggerId: args.triggerId,
    correlationId: args.correlationId,
    rules: { ...defaultHardRules, ...deps.settings?.rules },
  });
};

/** Domains where a change freed a place: pods it shrinks without dissolving them. */
export const domainsWithFreedPlaces = (change: PairingChange): string[] => {
  const shrunk = new Set(change.pods.flatMap((pod) => (pod.kind === 'adjust' && pod.delta < 0 ? [pod.podId] : [])));
  return [
    ...new Set(change.ends.filter((end) => shrunk.has(end.mentorship.podId)).map((end) => end.mentorship.domain)),
  ];
};
