import { createHash } from 'node:crypto';
import { defaultHardRules, type MatchingInput } from '../engine/index';
import type { Person } from '../people/person';
import type { PairingSnapshot } from './model';
import type { MatchingSettings } from './ports';
import { excludedPairsOf } from './rematch';

/**
 * The domains a run covers: those asked for (null: all) plus, to a fixed point, every domain a
 * current pairing links them to. A pairing can span two domains only after someone moved
 * domain; matching both sides together keeps locks and capacities whole.
 */
export const runScope = (
  requested: readonly string[] | null,
  people: ReadonlyMap<string, Person>,
  snapshot: Pick<PairingSnapshot, 'mentorships' | 'pods'>,
): Set<string> | null => {
  if (requested === null) return null;
  const scope = new Set(requested);
  const domainOf = (personId: string, fallback: string) => people.get(personId)?.domain ?? fallback;
  const links: [string, string][] = snapshot.mentorships.map((m) => [
    domainOf(m.mentorId, m.domain),
    domainOf(m.menteeId, m.domain),
  ]);
  for (const pod of snapshot.pods) links.push([domainOf(pod.mentorId, pod.domain), pod.domain]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [left, right] of links) {
      if (scope.has(left) !== scope.has(right)) {
        scope.add(left);
        scope.add(right);
        grew = true;
      }
    }
  }
  return scope;
};

export const inScope = (scope: ReadonlySet<string> | null, person: Pick<Person, 'domain'>): boolean =>
  scope === null || scope.has(person.domain);

/** A pod that holds fewer mentees than the minimum (a decision or a leave took some out). */
export interface PodBelowMinimum {
  podId: string;
  mentorId: string;
  domain: string;
  load: number;
  minimum: number;
}

/** Active pods of the snapshot (in scope) holding 1..minimum-1 mentees. */
export const podsBelowMinimum = (
  snapshot: Pick<PairingSnapshot, 'mentorships' | 'pods'>,
  minimum: number,
  scope: ReadonlySet<string> | null,
): PodBelowMinimum[] => {
  const members = new Map<string, number>();
  for (const m of snapshot.mentorships) members.set(m.podId, (members.get(m.podId) ?? 0) + 1);
  return snapshot.pods
    .filter((pod) => pod.status === 'active' && inScope(scope, pod))
    .map((pod) => ({
      podId: pod.podId,
      mentorId: pod.mentorId,
      domain: pod.domain,
      load: members.get(pod.podId) ?? 0,
      minimum,
    }))
    .filter((pod) => pod.load > 0 && pod.load < minimum)
    .sort((a, b) => (a.podId < b.podId ? -1 : 1));
};

/**
 * The engine's input for a run. People outside the scope are passed as non-participants (their
 * status masked), so reporting chains through them still count; pairings of people in scope
 * are the existing pairings (with their lock dates), except in a pod under the minimum, whose
 * locks are released so the run can fill the pod or move its mentees; every past pairing feeds
 * the repeat penalty; a mentee never meets again a mentor they left through a decision.
 */
export const matchingInputOf = (args: {
  people: readonly Person[];
  snapshot: Pick<PairingSnapshot, 'mentorships' | 'pastPairings' | 'pods' | 'separations'>;
  scope: ReadonlySet<string> | null;
  runDate: Date;
  settings?: MatchingSettings;
}): MatchingInput => {
  const { people, snapshot, scope, runDate, settings } = args;
  const menteesInScope = new Set(people.filter((person) => inScope(scope, person)).map((person) => person.personId));
  const minimum = settings?.rules?.minPodSize ?? defaultHardRules.minPodSize;
  const released = new Set(podsBelowMinimum(snapshot, minimum, scope).map((pod) => pod.podId));
  return {
    people: people.map((person) => (inScope(scope, person) ? person : { ...person, status: 'offboarded' as const })),
    existingPairings: snapshot.mentorships
      .filter((m) => scope === null || menteesInScope.has(m.menteeId))
      .map((m) => ({
        mentorId: m.mentorId,
        menteeId: m.menteeId,
        lockedUntil: released.has(m.podId) ? runDate.toISOString() : m.lockedUntil,
      })),
    pastPairings: snapshot.pastPairings.map((past) => ({ mentorId: past.mentorId, menteeId: past.menteeId })),
    excludedPairs: excludedPairsOf(snapshot.separations),
    runDate,
    ...(settings?.rules ? { rules: settings.rules } : {}),
    ...(settings?.weights ? { weights: settings.weights } : {}),
    ...(settings?.solver ? { solver: settings.solver } : {}),
  };
};

/** Directory versions of everyone a run depends on: the people in scope and everyone on their reporting chains. */
export const inputVersionsOf = (
  people: readonly Person[],
  scope: ReadonlySet<string> | null,
): Record<string, number> => {
  const byId = new Map(people.map((person) => [person.personId, person]));
  const versions: Record<string, number> = {};
  for (const person of people) {
    if (!inScope(scope, person)) continue;
    for (let current: Person | undefined = person; current && versions[current.personId] === undefined; ) {
      versions[current.personId] = current.version;
      current = current.managerId ? byId.get(current.managerId) : undefined;
    }
  }
  return versions;
};

export const fingerprintOf = (scope: ReadonlySet<string> | null, versions: Record<string, number>): string => {
  const entries = Object.entries(versions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const domains = scope === null ? '*' : [...scope].sort();
  return createHash('sha256').update(JSON.stringify({ domains, entries })).digest('base64url');
};

/** Who was added, removed or changed between two version maps (sorted). */
export const changedPeople = (before: Record<string, number>, after: Record<string, number>): string[] => {
  const ids = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...ids].filter((id) => before[id] !== after[id]).sort();
};
