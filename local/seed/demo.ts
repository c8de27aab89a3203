/**
 * `--seed demo`: a sample organisation of 66 people, loaded through the API like an HR
 * roster import (the domains with `PUT /domains`, then `POST /people/imports`, text/csv, an admin
 * token from the local issuer, followed until the import is done). Deterministic (a fixed-seed
 * generator), so seeding twice submits the same file: the same import, nothing changes the second
 * time (not even a leave or a domain change made since).
 *
 * Shape: 4 domains (backend, frontend, data, design) of 16 people each: a head of domain
 * (level 9), two leads (level 8) reporting to the head, four senior people (levels 6-8, three
 * of them mentors with capacities 4-5) and nine others (levels 1-5) reporting to the leads;
 * projects cut across domains; each domain works from a few neighbouring timezones (a remote
 * team spread over a region or two, as teams that share working hours are), and the company
 * spans Europe, the Americas and Asia; plus the life coach and a programme admin.
 * A matching commit on it places every person of levels 1-5 that the hard rules allow, and
 * reports the life coach, the admin and the heads of domain apart: no mentor can exist for them
 * (test/e2e/pods.e2e.test.ts checks it).
 */

import { rosterColumns } from '../../services/matching/domain/people/roster-csv';
import { retry, sleep } from '../../shared/retry';

type RosterColumn = (typeof rosterColumns)[number];
type RosterRow = Record<RosterColumn, string>;

/** mulberry32: tiny, fast, and the same sequence on every machine. */
const generator = (seed: number) => {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    some: <T>(items: readonly T[], count: number): T[] => {
      const pool = [...items];
      const chosen: T[] = [];
      while (chosen.length < count && pool.length > 0)
        chosen.push(pool.splice(Math.floor(next() * pool.length), 1)[0] as T);
      return chosen;
    },
  };
};

const FIRST_NAMES = (
  'Ada,Grace,Alan,Katherine,Linus,Margaret,Dennis,Barbara,Ken,Frances,Edsger,Radia,Tim,Hedy,John,' +
  'Annie,Donald,Shafi,Niklaus,Sophie,Bjarne,Lynn,Guido,Adele,James,Jean,Yukihiro,Carol,Anders,Mary,' +
  'Rasmus,Evelyn,Brendan,Elena,Hiro,Priya,Mateo,Lucia,Kenji,Aiko,Ravi,Ananya,Thiago,Camila,Wei,Mei,' +
  'Omar,Leila,Lars,Ingrid,Pablo,Sofia,Arjun,Divya,Tomasz,Zofia,Kwame,Amara,Joao,Beatriz,Noah,Maya'
).split(',');
const LAST_NAMES = (
  'Lovelace,Hopper,Turing,Johnson,Torvalds,Hamilton,Ritchie,Liskov,Thompson,Allen,Dijkstra,Perlman,' +
  'Berners-Lee,Lamarr,McCarthy,Easley,Knuth,Goldwasser,Wirth,Wilson,Stroustrup,Conway,van Rossum,' +
  'Goldberg,Gosling,Sammet,Matsumoto,Shaw,Hejlsberg,Keller,Lerdorf,Berezin,Eich,Garcia,Tanaka,' +
  'Sharma,Silva,Rossi,Sato,Suzuki,Iyer,Rao,Costa,Fernandes,Zhang,Chen,Haddad,Nasser,Nilsson,Berg,' +
  'Moreno,Romero,Patel,Menon,Nowak,Kowalska,Mensah,Okafor,Pereira,Santos,Cohen,Levi'
).split(',');

/** Timezones across regions, each with the languages people there tend to add to English. */
const LOCATIONS = [
  { timezone: 'Europe/London', languages: [] },
  { timezone: 'Europe/Berlin', languages: ['de'] },
  { timezone: 'Europe/Madrid', languages: ['es'] },
  { timezone: 'Europe/Warsaw', languages: ['pl'] },
  { timezone: 'America/New_York', languages: [] },
  { timezone: 'America/Sao_Paulo', languages: ['pt'] },
  { timezone: 'America/Mexico_City', languages: ['es'] },
  { timezone: 'Asia/Kolkata', languages: ['hi'] },
  { timezone: 'Asia/Singapore', languages: ['zh'] },
  { timezone: 'Asia/Tokyo', languages: ['ja'] },
] as const;

/** Where each domain's people work from (indexes into LOCATIONS). */
const DOMAIN_REGIONS = {
  backend: [0, 1, 2, 3, 4],
  frontend: [4, 5, 6, 0],
  data: [7, 8, 9],
  design: [0, 1, 3, 7],
} as const;

const DOMAINS = {
  backend: {
    skills: ['typescript', 'node', 'aws', 'dynamodb', 'event-driven', 'api-design', 'testing', 'go', 'sql'],
    goals: ['architecture', 'distributed-systems', 'performance', 'security', 'leadership', 'public-speaking'],
  },
  frontend: {
    skills: ['typescript', 'react', 'css', 'accessibility', 'testing', 'design-systems', 'performance', 'graphql'],
    goals: ['architecture', 'accessibility', 'design-systems', 'leadership', 'mentoring', 'web-performance'],
  },
  data: {
    skills: ['python', 'sql', 'spark', 'statistics', 'machine-learning', 'dbt', 'airflow', 'visualisation'],
    goals: ['machine-learning', 'data-modelling', 'mlops', 'leadership', 'storytelling', 'experimentation'],
  },
  design: {
    skills: ['figma', 'user-research', 'prototyping', 'accessibility', 'interaction-design', 'copywriting'],
    goals: ['design-leadership', 'service-design', 'research-ops', 'facilitation', 'accessibility', 'systems-thinking'],
  },
} as const;
type Domain = keyof typeof DOMAINS;

const PROJECTS = ['apollo', 'borealis', 'cobalt', 'delta', 'ember', 'fjord'] as const;
const HOURS = [
  ['08:00', '16:00'],
  ['09:00', '17:00'],
  ['09:00', '17:00'],
  ['10:00', '18:00'],
] as const;

const emailHandle = (first: string, last: string) => `${first}.${last}`.toLowerCase().replaceAll(' ', '');

/** RFC 4180: quote a cell holding a comma, a quote or a line break (quotes doubled). */
const csvCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** The demo roster, one row per person, in the import's CSV format. */
export const demoRoster = (): RosterRow[] => {
  const random = generator(20_261_124);
  const rows: RosterRow[] = [];
  let sequence = 0;
  const person = (
    domain: Domain | 'programme',
    level: number,
    overrides: Partial<RosterRow> & { roles: string; managerId: string },
  ): RosterRow => {
    sequence++;
    const first = FIRST_NAMES[(sequence - 1) % FIRST_NAMES.length] as string;
    const last = LAST_NAMES[(sequence * 7) % LAST_NAMES.length] as string;
    const location = domain === 'programme' ? random.pick(LOCATIONS) : LOCATIONS[random.pick(DOMAIN_REGIONS[domain])];
    const hours = random.pick(HOURS);
    const catalogue = domain === 'programme' ? DOMAINS.design : DOMAINS[domain];
    const languages = [
      'en',
      ...location.languages,
      ...(random.int(0, 4) === 0 ? [random.pick(['fr', 'es', 'de'])] : []),
    ];
    return {
      personId: `p-${String(sequence).padStart(3, '0')}`,
      name: `${first} ${last}`,
      email: `${emailHandle(first, last)}.${sequence}@example.com`,
      timezone: location.timezone,
      domain: domain === 'programme' ? 'people' : domain,
      level: String(level),
      projectIds: random.some(PROJECTS, level >= 8 ? 1 : random.int(1, 2)).join(';'),
      skills: random.some(catalogue.skills, random.int(2, 4)).join(';'),
      growthGoals: random.some(catalogue.goals, random.int(1, 2)).join(';'),
      languages: [...new Set(languages)].join(';'),
      mentorCapacity: '',
      workingHoursStart: hours[0],
      workingHoursEnd: hours[1],
      yearsOfExperience: String(Math.max(0, level * 2 + random.int(-1, 2))),
      acceptingMentees: '',
      rehire: '',
      ...overrides,
    };
  };

  rows.push(person('programme', 9, { roles: 'employee;life-coach', managerId: '' }));
  rows.push(person('programme', 6, { roles: 'employee;admin', managerId: 'p-001' }));

  for (const domain of Object.keys(DOMAINS) as Domain[]) {
    const head = person(domain, 9, { roles: 'employee', managerId: '' });
    const leads = [1, 2].map(() => person(domain, 8, { roles: 'employee', managerId: head.personId }));
    rows.push(head, ...leads);
    for (let index = 0; index < 4; index++) {
      const mentor = index < 3;
      rows.push(
        person(domain, random.int(6, 8), {
          roles: mentor ? 'employee;mentor' : 'employee',
          managerId: (leads[index % 2] as RosterRow).personId,
          mentorCapacity: mentor ? String(random.int(4, 5)) : '',
          acceptingMentees: mentor ? 'true' : '',
        }),
      );
    }
    for (let index = 0; index < 9; index++) {
      rows.push(
        person(domain, random.int(1, 5), { roles: 'employee', managerId: (leads[index % 2] as RosterRow).personId }),
      );
    }
  }
  return rows;
};

export const demoRosterCsv = (rows: readonly RosterRow[] = demoRoster()): string => {
  const lines = [
    rosterColumns.join(','),
    ...rows.map((row) => rosterColumns.map((column) => csvCell(row[column])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
};

export interface ImportSummary {
  importId: string;
  /** The same file was imported before: its import is answered, nothing is applied again. */
  resubmitted: boolean;
  created: number;
  updated: number;
  rehired: number;
  unchanged: number;
  rejected: number;
  /** The rejected rows (the first ones). */
  rows: { line: number; personId?: string; outcome: string; errors?: string[] }[];
}

export interface SeedOptions {
  /** Attempts in all for each request (default 6): a 5xx answer or no answer is tried again. */
  attempts?: number;
  /** Wait before the first retry, doubled before each next one (default 1 s: 1, 2, 4, 8, 16 s). */
  firstBackoffMs?: number;
  /** No answer within this long counts as a failed attempt (default 90 s: above a function's 29 s). */
  attemptTimeoutMs?: number;
  /** How long the import may take once submitted (default 120 s). */
  timeoutMs?: number;
  /** Told about each retry (start.ts prints it). */
  onRetry?: (message: string) => void;
}

interface ImportJobView {
  importId: string;
  status: string;
  counts: Omit<ImportSummary, 'importId' | 'resubmitted' | 'rows'>;
  rejectedSample: ImportSummary['rows'];
}

/** A request of the seed that did not succeed; `retryable` when it was a 5xx or no answer. */
class SeedRequestFailed extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * One request of the seed. A busy machine can make an attempt fail (a function timing out, a
 * 5xx): every request of the seed is idempotent, so it is simply tried again with backoff; a 4xx
 * is the API's real answer (a rejected token, a malformed roster) and is not retried.
 */
const requestWithRetries = async (
  label: string,
  url: string,
  init: RequestInit,
  options: SeedOptions,
): Promise<{ response: Response; text: string }> => {
  const attempts = options.attempts ?? 6;
  let attempt = 1;
  let failure = '';
  try {
    return await retry(
      async (tryNumber) => {
        attempt = tryNumber;
        let response: Response;
        try {
          response = await fetch(url, { ...init, signal: AbortSignal.timeout(options.attemptTimeoutMs ?? 90_000) });
        } catch (error) {
          failure = `${label} did not answer: ${(error as Error).message}`;
          throw new SeedRequestFailed(failure, true);
        }
        const text = await response.text();
        if (response.ok) return { response, text };
        failure = `${label} answered ${response.status}: ${text}`;
        throw new SeedRequestFailed(failure, response.status >= 500);
      },
      {
        attempts,
        retryable: (error) => error instanceof SeedRequestFailed && error.retryable,
        backoff: { baseMs: options.firstBackoffMs ?? 1_000, maxMs: Number.POSITIVE_INFINITY },
        // Told before each pause, so start.ts can say what it waits for.
        sleep: (ms) => {
          options.onRetry?.(`${failure}; trying again in ${ms / 1000} s (attempt ${attempt + 1} of ${attempts})`);
          return sleep(ms);
        },
      },
    );
  } catch (error) {
    if (!(error instanceof SeedRequestFailed)) throw error;
    throw new Error(
      error.retryable
        ? `Seeding failed after ${attempts} attempts: ${error.message}`
        : `Seeding failed: ${error.message}`,
    );
  }
};

/** The demo's functional domains, as an admin sets them up (`PUT /domains`). */
export const demoDomains = [
  { id: 'backend', name: 'Backend engineering' },
  { id: 'frontend', name: 'Frontend engineering' },
  { id: 'data', name: 'Data' },
  { id: 'design', name: 'Design' },
  { id: 'people', name: 'People and programme' },
];

/** Adds the demo's domains to the programme's list (keeping any others), if any is missing. */
const ensureDemoDomains = async (apiUrl: string, adminToken: string, options: SeedOptions): Promise<void> => {
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const current = await requestWithRetries('GET /domains', `${apiUrl}/domains`, { headers }, options);
  const list = JSON.parse(current.text) as { domains: { id: string; name: string }[] };
  const missing = demoDomains.filter((domain) => !list.domains.some((known) => known.id === domain.id));
  if (missing.length === 0) return;
  await requestWithRetries(
    'PUT /domains',
    `${apiUrl}/domains`,
    {
      method: 'PUT',
      headers: { ...headers, 'if-match': current.response.headers.get('etag') ?? '*' },
      body: JSON.stringify({ domains: [...list.domains, ...missing] }),
    },
    options,
  );
};

/**
 * Loads the demo roster through the HTTP API, as an HR tool would (its domains first): submits
 * the file (POST /people/imports) and follows the import until it is done. The same file again is
 * the same import: `resubmitted`, and nothing is applied again.
 */
export const seedDemo = async (
  apiUrl: string,
  adminToken: string,
  options: SeedOptions = {},
): Promise<ImportSummary> => {
  await ensureDemoDomains(apiUrl, adminToken, options);
  const authorization = `Bearer ${adminToken}`;
  const submitted = await requestWithRetries(
    'POST /people/imports',
    `${apiUrl}/people/imports`,
    { method: 'POST', headers: { authorization, 'content-type': 'text/csv' }, body: demoRosterCsv() },
    options,
  );
  const resubmitted = submitted.response.status === 200;
  const location = submitted.response.headers.get('location') ?? '';
  let job = JSON.parse(submitted.text) as ImportJobView;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while (job.status !== 'completed') {
    if (Date.now() > deadline)
      throw new Error(`Seeding: import ${job.importId} is still ${job.status}; see ${location}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const read = await requestWithRetries(
      `GET ${location}`,
      `${apiUrl}${location}`,
      { headers: { authorization } },
      options,
    );
    job = JSON.parse(read.text) as ImportJobView;
  }
  return { importId: job.importId, resubmitted, ...job.counts, rows: job.rejectedSample };
};
