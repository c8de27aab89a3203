import type { ExistingPairing, PastPairing } from '../domain/engine/types';
import type { Person } from '../domain/people/person';

/**
 * Seeded synthetic organisations for the matching benchmark, tests and demo data: domains with their
 * own skill vocabularies, a level pyramid, reporting lines (managers are more senior, mostly in the
 * same domain and region), project teams, people spread over EMEA / Americas / APAC time zones with
 * varied working hours and languages, mentors among the senior people, and a previous cycle's
 * pairings (some still locked, some expired) plus older past pairings. Same seed, same organisation.
 */

export interface SyntheticOrgOptions {
  seed: number;
  /** Total people (mentors, mentees and a few offboarded). */
  people: number;
  /** Domain names; defaults to a realistic engineering organisation's, cut to `domainCount`. */
  domains?: readonly string[];
  domainCount?: number;
  /** Share of people who are mentors. */
  mentorShare?: number;
  /** Share of mentees with a current pairing from the previous cycle. */
  pairedShare?: number;
  /** Share of those current pairings still inside their lock period. */
  lockedShare?: number;
  runDate?: Date;
}

export interface SyntheticOrg {
  people: Person[];
  existingPairings: ExistingPairing[];
  pastPairings: PastPairing[];
  runDate: Date;
}

/** Mulberry32: tiny, fast, good enough for synthetic data. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

interface Region {
  name: string;
  weight: number;
  zones: readonly string[];
  languages: readonly string[];
}

const regions: readonly Region[] = [
  {
    name: 'emea',
    weight: 0.45,
    zones: ['Europe/London', 'Europe/Berlin', 'Europe/Madrid', 'Europe/Warsaw', 'Europe/Dublin', 'Africa/Johannesburg'],
    languages: ['de', 'es', 'pl', 'fr'],
  },
  {
    name: 'americas',
    weight: 0.35,
    zones: [
      'America/New_York',
      'America/Chicago',
      'America/Denver',
      'America/Los_Angeles',
      'America/Sao_Paulo',
      'America/Toronto',
    ],
    languages: ['es', 'pt', 'fr'],
  },
  {
    name: 'apac',
    weight: 0.2,
    zones: ['Asia/Kolkata', 'Asia/Singapore', 'Asia/Tokyo', 'Australia/Sydney'],
    languages: ['hi', 'zh', 'ja'],
  },
];

const workingHours: ReadonlyArray<readonly [string, string, number]> = [
  ['09:00', '17:00', 0.55],
  ['08:00', '16:00', 0.15],
  ['10:00', '18:00', 0.15],
  ['09:30', '17:30', 0.08],
  ['07:00', '15:00', 0.04],
  ['11:00', '19:00', 0.03],
];

const defaultDomains = [
  'backend',
  'frontend',
  'data',
  'mobile',
  'platform',
  'security',
  'product',
  'design',
  'quality',
  'sre',
  'ml',
  'analytics',
  'finance',
  'people',
  'sales-engineering',
  'support',
];

const sharedSkills = [
  'leadership',
  'communication',
  'system-design',
  'public-speaking',
  'estimation',
  'negotiation',
  'writing',
  'stakeholder-management',
];

const domainSkills = (domain: string): string[] => [
  ...Array.from({ length: 18 }, (_, index) => `${domain}-skill-${index + 1}`),
  ...sharedSkills,
];

/** Level 1 (junior) .. 10 (principal): a pyramid. */
const levelWeights = [9, 14, 17, 16, 13, 10, 8, 6, 4, 3];

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const pickWeighted = <T>(random: () => number, items: readonly T[], weightOf: (item: T) => number): T => {
  const total = items.reduce((sum, item) => sum + weightOf(item), 0);
  let roll = random() * total;
  for (const item of items) {
    roll -= weightOf(item);
    if (roll <= 0) return item;
  }
  return items[items.length - 1] as T;
};

/** k distinct items, biased toward the front of the list (popular skills come first). */
const pickSome = (random: () => number, items: readonly string[], count: number): string[] => {
  const chosen = new Set<string>();
  while (chosen.size < Math.min(count, items.length)) {
    chosen.add(items[Math.floor(random() ** 1.6 * items.length)] as string);
  }
  return [...chosen];
};

const isoDate = (millis: number): string => new Date(millis).toISOString();
const dayMillis = 24 * 60 * 60 * 1000;

export const syntheticOrg = (options: SyntheticOrgOptions): SyntheticOrg => {
  const random = seededRandom(options.seed);
  const runDate = options.runDate ?? new Date('2026-11-24T09:00:00Z');
  const domainNames =
    options.domains ?? defaultDomains.slice(0, options.domainCount ?? Math.max(1, Math.round(options.people / 4000)));
  const mentorShare = options.mentorShare ?? 0.2;
  const pairedShare = options.pairedShare ?? 0.35;
  const lockedShare = options.lockedShare ?? 0.5;
  const stamp = '2026-01-05T08:00:00.000Z';

  // Domain sizes vary (Zipf-like) so some are large and some small.
  const domainWeight = new Map(domainNames.map((name, index) => [name, 1 / (1 + index * 0.35)]));
  const people: Person[] = [];
  const regionOf = new Map<string, Region>();
  for (let n = 0; n < options.people; n++) {
    const domain = pickWeighted(random, domainNames, (name) => domainWeight.get(name) ?? 1);
    const region = pickWeighted(random, regions, (candidate) => candidate.weight);
    const level = 1 + levelWeights.indexOf(pickWeighted(random, levelWeights, (weight) => weight));
    const [start, end] = pickWeighted(random, workingHours, (hours) => hours[2]);
    const skills = domainSkills(domain);
    const languages = random() < 0.9 ? ['en'] : [];
    if (random() < 0.45 || languages.length === 0) languages.push(pick(random, region.languages));
    const personId = `p${String(n + 1).padStart(6, '0')}`;
    regionOf.set(personId, region);
    people.push({
      personId,
      name: `Person ${n + 1}`,
      email: `${personId}@example.com`,
      timezone: pick(random, region.zones),
      workingHours: { start, end },
      domain,
      level,
      yearsOfExperience: Math.min(70, Math.round(level * 2.2 + random() * 4)),
      projectIds: [],
      managerId: null,
      skills: pickSome(random, skills, 3 + Math.floor(random() * (level >= 5 ? 8 : 4))),
      growthGoals: pickSome(random, skills, 1 + Math.floor(random() * 4)),
      languages,
      roles: ['employee'],
      mentorCapacity: 5,
      acceptingMentees: true,
      status: random() < 0.02 ? 'offboarded' : 'active',
      version: 1,
      createdAt: stamp,
      updatedAt: stamp,
    });
  }

  // Mentors: senior people, most likely from level 5 up, until the share is reached.
  const seniorFirst = [...people].sort((a, b) => b.level + random() * 3 - (a.level + random() * 3));
  const mentorTarget = Math.round(people.length * mentorShare);
  for (const person of seniorFirst.slice(0, mentorTarget)) {
    person.roles = ['employee', 'mentor'];
    person.mentorCapacity = pickWeighted(random, [3, 4, 5], (capacity) =>
      capacity === 5 ? 5 : capacity === 4 ? 3 : 2,
    );
    person.acceptingMentees = random() > 0.05;
  }

  // Reporting lines: a manager one or two levels up, same domain and mostly the same region.
  const byDomainLevel = new Map<string, Person[]>();
  const byDomainLevelRegion = new Map<string, Person[]>();
  const push = (map: Map<string, Person[]>, key: string, person: Person) => {
    const list = map.get(key) ?? [];
    list.push(person);
    map.set(key, list);
  };
  for (const person of people) {
    push(byDomainLevel, `${person.domain}|${person.level}`, person);
    push(byDomainLevelRegion, `${person.domain}|${person.level}|${regionOf.get(person.personId)?.name}`, person);
  }
  for (const person of people) {
    if (person.level >= 10) continue;
    const region = regionOf.get(person.personId)?.name;
    for (let up = 1 + Math.floor(random() * 2); person.level + up <= 10; up++) {
      const pool = byDomainLevel.get(`${person.domain}|${person.level + up}`) ?? [];
      if (pool.length === 0) continue;
      const sameRegion = byDomainLevelRegion.get(`${person.domain}|${person.level + up}|${region}`) ?? [];
      const manager = pick(random, sameRegion.length > 0 && random() < 0.85 ? sameRegion : pool);
      person.managerId = manager.personId;
      break;
    }
  }

  // Projects: teams of about eight within a domain and region, some people on a cross-domain project too.
  const teams = new Map<string, Person[]>();
  for (const person of people) {
    const key = `${person.domain}|${regionOf.get(person.personId)?.name}`;
    const list = teams.get(key) ?? [];
    list.push(person);
    teams.set(key, list);
  }
  let projectCount = 0;
  const crossProjects = Array.from(
    { length: Math.max(1, Math.round(people.length / 200)) },
    () => `x${++projectCount}`,
  );
  for (const members of teams.values()) {
    const projects = Array.from({ length: Math.max(1, Math.round(members.length / 8)) }, () => `prj${++projectCount}`);
    for (const person of members) {
      person.projectIds.push(pick(random, projects));
      if (random() < 0.15) person.projectIds.push(pick(random, crossProjects));
    }
  }

  // The previous cycle: current pairings (some still locked) and older past pairings.
  // Mentors senior to a level-l person of a domain: mentorsAbove.get(`${domain}|${l}`).
  const mentorsAbove = new Map<string, Person[]>();
  for (const domain of domainNames) {
    const mentors = people.filter((person) => person.domain === domain && person.roles.includes('mentor'));
    for (let level = 1; level <= 10; level++) {
      mentorsAbove.set(
        `${domain}|${level}`,
        mentors.filter((mentor) => mentor.level > level),
      );
    }
  }
  const podSize = new Map<string, number>();
  const existingPairings: ExistingPairing[] = [];
  const pastPairings: PastPairing[] = [];
  for (const person of people) {
    if (person.roles.includes('mentor')) continue;
    const pool = mentorsAbove.get(`${person.domain}|${person.level}`) ?? [];
    if (pool.length === 0) continue;
    if (random() < pairedShare) {
      const mentor = pick(random, pool);
      if ((podSize.get(mentor.personId) ?? 0) < mentor.mentorCapacity) {
        podSize.set(mentor.personId, (podSize.get(mentor.personId) ?? 0) + 1);
        const locked = random() < lockedShare;
        const offsetDays = locked ? 1 + Math.floor(random() * 85) : -1 - Math.floor(random() * 60);
        existingPairings.push({
          mentorId: mentor.personId,
          menteeId: person.personId,
          lockedUntil: isoDate(runDate.getTime() + offsetDays * dayMillis),
        });
      }
    }
    if (random() < 0.3) {
      for (let k = 1 + Math.floor(random() * 2); k > 0; k--) {
        pastPairings.push({ mentorId: pick(random, pool).personId, menteeId: person.personId });
      }
    }
  }
  return { people, existingPairings, pastPairings, runDate };
};

/** One domain with exactly `mentors` mentors and `mentees` mentees (all active), for the domain benchmark. */
export const syntheticDomain = (options: {
  seed: number;
  mentors: number;
  mentees: number;
  pairedShare?: number;
  lockedShare?: number;
  runDate?: Date;
}): SyntheticOrg => {
  const total = options.mentors + options.mentees;
  const org = syntheticOrg({
    seed: options.seed,
    people: total,
    domains: ['backend'],
    mentorShare: options.mentors / total,
    pairedShare: options.pairedShare,
    lockedShare: options.lockedShare,
    runDate: options.runDate,
  });
  for (const person of org.people) person.status = 'active';
  return org;
};
