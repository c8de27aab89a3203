/**
 * A random organisation and an attacker's script for the anonymity property tests, with the
 * test's own model of who is where (independent of the service's): people with a domain and a
 * fixed answer (the attacker's best case: everyone answers the same every time), pods of a mentor
 * and mentees, and steps that create surveys with chosen audiences or change the organisation
 * between them (joiners, leavers, movers).
 */
import fc from 'fast-check';

export type AudienceChoice =
  | { kind: 'everyone' }
  | { kind: 'domains'; domains: number[] }
  | { kind: 'pods'; pods: number[] };

export type Step =
  | { kind: 'survey'; audience: AudienceChoice; participation: number; seed: number }
  | { kind: 'join'; domain: number; answer: number }
  | { kind: 'leave'; index: number }
  | { kind: 'move'; index: number; domain: number };

export interface Scenario {
  threshold: number;
  domains: number;
  people: { domain: number; answer: number; pod: number | null }[];
  steps: Step[];
}

const audienceArbitrary: fc.Arbitrary<AudienceChoice> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'everyone' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('domains' as const),
      domains: fc.uniqueArray(fc.nat(3), { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('pods' as const),
      pods: fc.uniqueArray(fc.nat(7), { minLength: 1, maxLength: 4 }),
    }),
  },
);

export const scenarioArbitrary = (options: { churn: boolean } = { churn: true }): fc.Arbitrary<Scenario> =>
  fc.record({
    threshold: fc.integer({ min: 3, max: 6 }),
    domains: fc.integer({ min: 2, max: 4 }),
    people: fc.array(
      fc.record({
        domain: fc.nat(3),
        answer: fc.integer({ min: 1, max: 5 }),
        pod: fc.option(fc.nat(1), { freq: 3 }),
      }),
      { minLength: 8, maxLength: 26 },
    ),
    steps: fc.array(
      fc.oneof(
        {
          weight: 5,
          arbitrary: fc.record({
            kind: fc.constant('survey' as const),
            audience: audienceArbitrary,
            participation: fc.double({ min: 0.3, max: 1, noNaN: true }),
            seed: fc.nat(),
          }),
        },
        ...(options.churn
          ? [
              {
                weight: 1,
                arbitrary: fc.record({
                  kind: fc.constant('join' as const),
                  domain: fc.nat(3),
                  answer: fc.integer({ min: 1, max: 5 }),
                }),
              },
              { weight: 1, arbitrary: fc.record({ kind: fc.constant('leave' as const), index: fc.nat() }) },
              {
                weight: 1,
                arbitrary: fc.record({ kind: fc.constant('move' as const), index: fc.nat(), domain: fc.nat(3) }),
              },
            ]
          : []),
      ),
      { minLength: 1, maxLength: 7 },
    ),
  });

export interface ModelPerson {
  personId: string;
  domain: string;
  answer: number;
  active: boolean;
}

export interface ModelPod {
  podId: string;
  domain: string;
  mentorId: string;
  menteeIds: Set<string>;
  active: boolean;
}

/** The organisation as the test itself keeps it. */
export const modelOf = (scenario: Scenario) => {
  const domainName = (index: number) => `d${index % scenario.domains}`;
  const people = new Map<string, ModelPerson>();
  scenario.people.forEach((spec, index) => {
    const personId = `p${String(index).padStart(2, '0')}`;
    people.set(personId, { personId, domain: domainName(spec.domain), answer: spec.answer, active: true });
  });
  const pods = new Map<string, ModelPod>();
  scenario.people.forEach((spec, index) => {
    if (spec.pod === null) return;
    const personId = `p${String(index).padStart(2, '0')}`;
    const domain = domainName(spec.domain);
    const podId = `pod-${domain}-${spec.pod}`;
    const pod = pods.get(podId);
    if (!pod) pods.set(podId, { podId, domain, mentorId: personId, menteeIds: new Set(), active: true });
    else pod.menteeIds.add(personId);
  });
  // A pod needs a mentor and at least one mentee.
  for (const [podId, pod] of pods) if (pod.menteeIds.size === 0) pods.delete(podId);
  return { people, pods, domainName };
};

export type OrganisationModel = ReturnType<typeof modelOf>;

/** Everyone an audience names in the model now (active people only). */
export const modelAudience = (model: OrganisationModel, audience: AudienceChoice): ModelPerson[] => {
  const active = [...model.people.values()].filter((person) => person.active);
  if (audience.kind === 'everyone') return active;
  if (audience.kind === 'domains') {
    const names = new Set(audience.domains.map(model.domainName));
    return active.filter((person) => names.has(person.domain));
  }
  const podList = [...model.pods.values()].filter((pod) => pod.active).sort((a, b) => a.podId.localeCompare(b.podId));
  if (podList.length === 0) return [];
  const chosen = new Set(audience.pods.map((index) => podList[index % podList.length] as ModelPod));
  const ids = new Set([...chosen].flatMap((pod) => [pod.mentorId, ...pod.menteeIds]));
  return active.filter((person) => ids.has(person.personId));
};

/** The service's audience for a choice: pod ids resolved the way the model resolves them. */
export const serviceAudience = (model: OrganisationModel, audience: AudienceChoice) => {
  if (audience.kind === 'everyone') return { kind: 'everyone' as const };
  if (audience.kind === 'domains') {
    return { kind: 'domains' as const, domains: [...new Set(audience.domains.map(model.domainName))] };
  }
  const podList = [...model.pods.values()].filter((pod) => pod.active).sort((a, b) => a.podId.localeCompare(b.podId));
  if (podList.length === 0) return null;
  return {
    kind: 'pods' as const,
    podIds: [...new Set(audience.pods.map((index) => (podList[index % podList.length] as ModelPod).podId))],
  };
};

/** A deterministic coin per person and survey: who answers when participation is partial. */
export const answers = (seed: number, personId: string, participation: number): boolean => {
  let hash = seed ^ 0x9e3779b9;
  for (const char of personId) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return ((hash >>> 0) % 10_000) / 10_000 < participation;
};
