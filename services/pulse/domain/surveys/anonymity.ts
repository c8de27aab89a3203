/**
 * Which segments of a closed round may be shown, so that no figure about fewer than `threshold`
 * people can be read from what is shown, alone or combined with anything shown before. The rules
 * and what each protects against are in the service README ("Anonymity"); the property tests
 * (`anonymity.properties.test.ts`) attack them with an exact linear-algebra adversary.
 *
 * Two rules, both needed:
 *
 * 1. Within the round, on the real respondents: a segment is shown only with at least
 *    `threshold` respondents, and when the total is shown the respondents of the hidden domains
 *    together are none or at least `threshold` (else more domains are hidden), so the total minus
 *    the shown domains never isolates a small group.
 * 2. Across every round ever shown, on audiences (fixed at opening): every person belongs to a
 *    set of shown groups; people with the same set form an "atom". Every figure ever shown is a
 *    sum over whole atoms, and so is every difference or combination of them. Each atom must hold
 *    at least `threshold` people; a segment that would split one below it stays hidden. This is
 *    what defeats overlapping audiences, a domain against its pods, and successive rounds or
 *    surveys whose audiences differ by a few people (joiners, leavers, movers): the worst case
 *    where everyone answers and answers the same every time.
 */
import { createHash } from 'node:crypto';

/** `everyone`, or `domain:<name>`. */
export type SegmentKey = string;
export const EVERYONE: SegmentKey = 'everyone';
export const domainSegment = (domain: string): SegmentKey => `domain:${domain}`;
export const domainOfSegment = (segment: SegmentKey): string | null =>
  segment.startsWith('domain:') ? segment.slice('domain:'.length) : null;

export interface RoundPopulation {
  roundId: string;
  /** The audience fixed at opening: every person and the domain they had then. */
  audience: readonly { personId: string; domain: string }[];
  /** Respondents by domain, counted from the anonymous responses. */
  respondentsByDomain: ReadonlyMap<string, number>;
}

/**
 * Each person's "signature": a digest of the shown groups they belong to (people in no shown
 * group have none). Two people share an atom when they share a signature.
 */
export type Signatures = ReadonlyMap<string, string>;

export type WithheldReason = 'below-threshold' | 'would-isolate-hidden-domains' | 'would-split-earlier-groups';

export interface ReleaseDecision {
  shown: SegmentKey[];
  withheld: { segment: SegmentKey; reason: WithheldReason }[];
  /** The new signature of everyone in a shown group. */
  signatureUpdates: Map<string, string>;
}

/** The id of a shown group, part of every member's signature. */
export const groupIdOf = (roundId: string, segment: SegmentKey) => `${roundId}/${segment}`;

const nextSignature = (previous: string | undefined, groups: readonly string[]): string =>
  createHash('sha256')
    .update(`${previous ?? ''}|${[...groups].sort().join(',')}`)
    .digest('base64url')
    .slice(0, 22);

/** How many people hold each signature. */
export const atomSizes = (signatures: Signatures): Map<string, number> => {
  const sizes = new Map<string, number>();
  for (const signature of signatures.values()) sizes.set(signature, (sizes.get(signature) ?? 0) + 1);
  return sizes;
};

/** The signatures the audience would have if `shown` were shown (only people in a shown group change). */
export const signatureUpdatesFor = (
  population: Pick<RoundPopulation, 'roundId' | 'audience'>,
  shown: ReadonlySet<SegmentKey>,
  signatures: Signatures,
): Map<string, string> => {
  const updates = new Map<string, string>();
  for (const member of population.audience) {
    const groups = [EVERYONE, domainSegment(member.domain)]
      .filter((segment) => shown.has(segment))
      .map((segment) => groupIdOf(population.roundId, segment));
    if (groups.length > 0) updates.set(member.personId, nextSignature(signatures.get(member.personId), groups));
  }
  return updates;
};

const everyAtomLargeEnough = (
  baseSizes: ReadonlyMap<string, number>,
  signatures: Signatures,
  updates: ReadonlyMap<string, string>,
  threshold: number,
): boolean => {
  const sizes = new Map(baseSizes);
  for (const [personId, signature] of updates) {
    const previous = signatures.get(personId);
    if (previous !== undefined) sizes.set(previous, (sizes.get(previous) ?? 0) - 1);
    sizes.set(signature, (sizes.get(signature) ?? 0) + 1);
  }
  for (const size of sizes.values()) if (size > 0 && size < threshold) return false;
  return true;
};

export const decideRelease = (
  threshold: number,
  population: RoundPopulation,
  signatures: Signatures,
): ReleaseDecision => {
  const respondents = (domain: string) => population.respondentsByDomain.get(domain) ?? 0;
  const domains = [...new Set(population.audience.map((member) => member.domain))].sort();
  const total = domains.reduce((sum, domain) => sum + respondents(domain), 0);
  const withheld = new Map<SegmentKey, WithheldReason>();

  // Candidates in order of preference: the whole audience, then the largest domains.
  const candidates: SegmentKey[] = [];
  if (total >= threshold) candidates.push(EVERYONE);
  else withheld.set(EVERYONE, 'below-threshold');
  const byRespondents = [...domains].sort((a, b) => respondents(b) - respondents(a) || a.localeCompare(b));
  for (const domain of byRespondents) {
    if (respondents(domain) >= threshold) candidates.push(domainSegment(domain));
    else withheld.set(domainSegment(domain), 'below-threshold');
  }

  // Rule 2: add each candidate only if no atom, old or new, falls below the threshold.
  const baseSizes = atomSizes(signatures);
  const shown = new Set<SegmentKey>();
  for (const candidate of candidates) {
    const trial = new Set([...shown, candidate]);
    if (everyAtomLargeEnough(baseSizes, signatures, signatureUpdatesFor(population, trial, signatures), threshold)) {
      shown.add(candidate);
    } else {
      withheld.set(candidate, 'would-split-earlier-groups');
    }
  }

  // Rule 1: with the total shown, the hidden domains together are none or at least the threshold.
  // Hiding more only merges atoms, so rule 2 still holds afterwards.
  if (shown.has(EVERYONE)) {
    const hiddenRespondents = () =>
      domains.filter((domain) => !shown.has(domainSegment(domain))).reduce((sum, d) => sum + respondents(d), 0);
    const shownDomainsSmallestFirst = () =>
      domains
        .filter((domain) => shown.has(domainSegment(domain)))
        .sort((a, b) => respondents(a) - respondents(b) || b.localeCompare(a));
    while (hiddenRespondents() > 0 && hiddenRespondents() < threshold) {
      const [smallest] = shownDomainsSmallestFirst();
      if (smallest === undefined) break;
      shown.delete(domainSegment(smallest));
      withheld.set(domainSegment(smallest), 'would-isolate-hidden-domains');
    }
  }

  const ordered = [EVERYONE, ...domains.map(domainSegment)];
  return {
    shown: ordered.filter((segment) => shown.has(segment)),
    withheld: ordered
      .filter((segment) => withheld.has(segment))
      .map((segment) => ({
        segment,
        reason: withheld.get(segment) as WithheldReason,
      })),
    signatureUpdates: signatureUpdatesFor(population, shown, signatures),
  };
};
