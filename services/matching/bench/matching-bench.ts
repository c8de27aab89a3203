/**
 * Matching engine benchmark: `npx tsx services/matching/bench/matching-bench.ts` (npm run bench:matching).
 *
 * Each case runs in its own child process (so its peak RSS is its own) on one core: the engine is
 * single-threaded. A case generates a seeded synthetic organisation, collects the generator's garbage
 * (so the first timed run does not pay for it), then times `matchPods` (the first, cold run, in a
 * process that has never run the engine, and the best of the repeats) and reports the process's peak
 * RSS and heap, and whether optimality was proven (column generation converged and branch-and-bound
 * closed in every domain).
 *
 *   --case <name>   run one case in this process and print its JSON line (used by the parent)
 *   --only <prefix> run only the cases whose name starts with it (`--only scarce`); the scans run only
 *                   when named (`--only scan-load`, `--only scan-weights`, `--only scan-2k-40`)
 *   --quick         smaller repeat counts
 *
 * The hard-domain cases (`scarce-*`, `load-dominated-*`) run as the runner does: a 60 s search budget
 * and, unless the name says "alone", HiGHS for the reduced problem of a hard domain.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadHighsMipSolver } from '../adapters/highs-mip-solver';
import { matchPods } from '../domain/engine/match-pods';
import type { MatchingInput, MatchResult, MipSolver, ObjectiveWeights } from '../domain/engine/types';
import { type SyntheticOrg, syntheticDomain, syntheticOrg } from './synthetic-org';

interface BenchCase {
  name: string;
  describe: string;
  repeats: number;
  build: () => SyntheticOrg & Pick<MatchingInput, 'weights'>;
  /** Hard domains handed to HiGHS, as the runner does (loaded before the timed runs). */
  mip?: boolean;
  /** The runner's kind of hard time budget, so that no case is unbounded. */
  timeBudgetMs?: number;
}

/** A synthetic organisation whose domains are all one: `mentors` of `people` mentor. */
const oneDomain = (seed: number, people: number, mentors: number) =>
  syntheticDomain({ seed, mentors, mentees: people - mentors });

/** Weights other than the defaults, named for the report. */
interface NamedWeights {
  label: string;
  weights: Partial<ObjectiveWeights>;
}

/**
 * A hard domain as the runner runs it: one run, a 60 s search budget and, unless `alone`, HiGHS for
 * the reduced problem; with `balancedLoad`, a load cost that outweighs the pair scores; with `weights`,
 * other weights the settings API accepts.
 */
const hardDomain = (
  name: string,
  domain: {
    seed: number;
    people: number;
    mentors: number;
    balancedLoad?: number;
    weights?: NamedWeights;
    alone?: boolean;
  },
): BenchCase => {
  const { seed, people, mentors, balancedLoad, weights, alone } = domain;
  const share = Math.round((100 * mentors) / people);
  const kind = weights ? 'weights' : balancedLoad === undefined ? 'scarce' : 'load-dominated';
  const load = balancedLoad === undefined ? '' : `, balancedLoad ${balancedLoad.toLocaleString('en')}`;
  const named = weights ? `, ${weights.label}` : '';
  return {
    name,
    describe: `${kind}: one domain of ${people.toLocaleString('en')} people, ${share}% mentors, seed ${seed}${load}${named}, ${alone ? 'engine alone' : 'with HiGHS'}`,
    repeats: 1,
    build: () => ({
      ...oneDomain(seed, people, mentors),
      ...(balancedLoad === undefined ? {} : { weights: { balancedLoad } }),
      ...(weights ? { weights: weights.weights } : {}),
    }),
    mip: !alone,
    timeBudgetMs: 60_000,
  };
};

const cases: BenchCase[] = [
  {
    name: 'domain-1k-4k',
    describe: 'one domain: 1,000 mentors x 4,000 mentees',
    repeats: 5,
    build: () => syntheticDomain({ seed: 1, mentors: 1_000, mentees: 4_000 }),
  },
  {
    name: 'org-10k',
    describe: 'organisation of 10,000 people',
    repeats: 3,
    build: () => syntheticOrg({ seed: 2, people: 10_000 }),
  },
  {
    name: 'org-50k',
    describe: 'organisation of 50,000 people',
    repeats: 2,
    build: () => syntheticOrg({ seed: 3, people: 50_000 }),
  },
  // Mentees scarce (mentors 30-40% of a domain, about two mentees per mentor): the minimum pod decides
  // which mentors open, and the flow's search alone did not finish these in 10 minutes.
  hardDomain('scarce-1k-alone', { seed: 5, people: 1_000, mentors: 350, alone: true }),
  hardDomain('scarce-1k', { seed: 5, people: 1_000, mentors: 350 }),
  hardDomain('scarce-2k', { seed: 11, people: 2_000, mentors: 600 }),
  hardDomain('scarce-2k-b', { seed: 12, people: 2_000, mentors: 700 }),
  // 40% mentors at 2,000 people: the root takes a third of the budget and HiGHS may not close the rest.
  hardDomain('scarce-2k-40', { seed: 41, people: 2_000, mentors: 800 }),
  // The load cost outweighs the pair scores (balancedLoad 1,000, the highest the settings accept).
  hardDomain('load-dominated-240', { seed: 31, people: 240, mentors: 79, balancedLoad: 1_000 }),
  // Three mentors under the minimum at the root: the flow's search takes it, then hands it over.
  hardDomain('load-dominated-240-few', { seed: 41, people: 240, mentors: 72, balancedLoad: 300 }),
  hardDomain('load-dominated-1k', { seed: 41, people: 1_000, mentors: 300, balancedLoad: 1_000 }),
  hardDomain('load-dominated-2k', { seed: 41, people: 2_000, mentors: 600, balancedLoad: 1_000 }),
  // Many mentors for few mentees at the same load: the root must find the best load profile.
  hardDomain('load-dominated-240-many-mentors', { seed: 41, people: 240, mentors: 84, balancedLoad: 1_000 }),
  hardDomain('load-dominated-300-many-mentors', { seed: 41, people: 300, mentors: 120, balancedLoad: 1_000 }),
  hardDomain('load-dominated-1k-many-mentors', { seed: 42, people: 1_000, mentors: 350, balancedLoad: 1_000 }),
  // The best assignment is one mentor swap from the local search's first optimum.
  hardDomain('load-dominated-1k-40', { seed: 42, people: 1_000, mentors: 400, balancedLoad: 300 }),
];

/** Pair weights all off: with `only`, one of them back at 1,000. */
const pairWeightsOff = { overlap: 0, language: 0, skills: 0, seniority: 0, repeatPast: 0, move: 0 };
const weightSettings: NamedWeights[] = [
  {
    label: 'all four pair weights at 1,000',
    weights: { overlap: 1_000, language: 1_000, skills: 1_000, seniority: 1_000 },
  },
  { label: 'balancedLoad 0', weights: { balancedLoad: 0 } },
  { label: 'skills the only pair weight', weights: { ...pairWeightsOff, skills: 1_000 } },
  { label: 'repeatPast and move at 1,000', weights: { repeatPast: 1_000, move: 1_000 } },
  { label: 'every weight 0', weights: { ...pairWeightsOff, balancedLoad: 0 } },
  { label: 'overlap and balancedLoad at 1,000', weights: { overlap: 1_000, balancedLoad: 1_000 } },
  { label: 'language the only pair weight', weights: { ...pairWeightsOff, language: 1_000 } },
  { label: 'seniority the only weight', weights: { ...pairWeightsOff, seniority: 1_000, balancedLoad: 0 } },
];
const percent = (share: number) => Math.round(share * 100);

/**
 * Scans over many hard domains, run only when named with `--only` (each domain up to 60 s): the figures
 * of services/matching/README.md's scans come from these.
 */
const scans: BenchCase[] = [
  // 36 load-dominated domains with many mentors.
  ...[41, 42, 43].flatMap((seed) =>
    [240, 380, 1_000].flatMap((people) =>
      [0.35, 0.4].flatMap((share) =>
        [300, 1_000].map((balancedLoad) =>
          hardDomain(`scan-load-${seed}-${people}-${percent(share)}-${balancedLoad}`, {
            seed,
            people,
            mentors: Math.round(people * share),
            balancedLoad,
          }),
        ),
      ),
    ),
  ),
  // 32 domains of 1,000 people with other weights the settings API accepts.
  ...[41, 42].flatMap((seed) =>
    [0.35, 0.4].flatMap((share) =>
      weightSettings.map((weights, index) =>
        hardDomain(`scan-weights-${seed}-${percent(share)}-${index + 1}`, {
          seed,
          people: 1_000,
          mentors: Math.round(1_000 * share),
          weights,
        }),
      ),
    ),
  ),
  // 6 domains of 2,000 people with 40% mentors.
  ...[
    { seed: 41, balancedLoad: 300 },
    { seed: 41, balancedLoad: 1_000 },
    { seed: 42, balancedLoad: 300 },
    { seed: 42, balancedLoad: 1_000 },
    { seed: 41 },
    { seed: 43 },
  ].map(({ seed, balancedLoad }) =>
    hardDomain(`scan-2k-40-${seed}-${balancedLoad ?? 'default'}`, {
      seed,
      people: 2_000,
      mentors: 800,
      ...(balancedLoad === undefined ? {} : { balancedLoad }),
    }),
  ),
];

interface CaseReport {
  name: string;
  describe: string;
  people: number;
  domains: number;
  mentors: number;
  menteesToPlace: number;
  locked: number;
  matched: number;
  unmatched: number;
  pods: number;
  allowedPairs: number;
  initialArcs: number;
  pricedArcs: number;
  pricingRounds: number;
  rootViolations: number;
  branchNodes: number;
  proven: boolean;
  /** Proven bound on the distance to the optimum, in points (0 when proven). */
  gapPoints: number;
  generateMs: number;
  coldMs: number;
  bestMs: number;
  runs: number;
  rssAfterGenerateMb: number;
  peakRssMb: number;
  peakHeapMb: number;
}

const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

const runCase = (benchCase: BenchCase, repeats: number, mipSolver: MipSolver | null): CaseReport => {
  let peakHeap = 0;
  const sampleHeap = () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const generateStart = performance.now();
  const org = benchCase.build();
  const generateMs = performance.now() - generateStart;
  sampleHeap();
  (globalThis as { gc?: () => void }).gc?.();
  const rssAfterGenerate = process.memoryUsage().rss;

  const times: number[] = [];
  let result: MatchResult | undefined;
  for (let run = 0; run < repeats; run++) {
    const start = performance.now();
    result = matchPods({
      ...org,
      solver: { mipSolver, ...(benchCase.timeBudgetMs ? { timeBudgetMs: benchCase.timeBudgetMs } : {}) },
    });
    times.push(performance.now() - start);
    sampleHeap(); // the result is still alive here, so this is close to the run's peak
  }
  if (!result) throw new Error('no run');
  const domains = result.optimality.domains;
  const sum = (pick: (stats: (typeof domains)[number]) => number) =>
    domains.reduce((total, stats) => total + pick(stats), 0);
  return {
    name: benchCase.name,
    describe: benchCase.describe,
    people: org.people.length,
    domains: domains.length,
    mentors: sum((stats) => stats.mentors),
    menteesToPlace: sum((stats) => stats.mentees),
    locked: sum((stats) => stats.lockedMentees),
    matched: result.objective.matched,
    unmatched: result.unmatched.length,
    pods: result.pods.length,
    allowedPairs: sum((stats) => stats.allowedPairs),
    initialArcs: sum((stats) => stats.initialArcs),
    pricedArcs: sum((stats) => stats.pricedArcs),
    pricingRounds: sum((stats) => stats.pricingRounds),
    rootViolations: sum((stats) => stats.rootViolations),
    branchNodes: sum((stats) => stats.branchNodes),
    proven: result.optimality.proven,
    gapPoints: result.optimality.gap / 100,
    generateMs: Math.round(generateMs),
    coldMs: Math.round(times[0] ?? 0),
    bestMs: Math.round(Math.min(...times)),
    runs: times.length,
    rssAfterGenerateMb: mb(rssAfterGenerate),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    peakHeapMb: mb(peakHeap),
  };
};

const table = (reports: CaseReport[]): string => {
  const header =
    '| case | people | mentors | mentees to place (+locked) | matched | pods | allowed pairs | arcs: initial + priced | pricing rounds | root violations / B&B nodes | optimal proven (gap) | matchPods cold | best of runs | peak RSS | peak heap |';
  const rule = `|${header
    .split('|')
    .slice(1, -1)
    .map(() => '---')
    .join('|')}|`;
  const rows = reports.map(
    (r) =>
      `| ${r.describe} | ${r.people.toLocaleString('en')} | ${r.mentors.toLocaleString('en')} | ${r.menteesToPlace.toLocaleString('en')} (+${r.locked.toLocaleString('en')}) | ${r.matched.toLocaleString('en')} | ${r.pods.toLocaleString('en')} | ${r.allowedPairs.toLocaleString('en')} | ${r.initialArcs.toLocaleString('en')} + ${r.pricedArcs.toLocaleString('en')} | ${r.pricingRounds} | ${r.rootViolations} / ${r.branchNodes} | ${r.proven ? 'yes' : `NO (${r.gapPoints.toLocaleString('en')} points)`} | ${r.coldMs.toLocaleString('en')} ms | ${r.bestMs.toLocaleString('en')} ms (${r.runs}) | ${r.peakRssMb} MB | ${r.peakHeapMb} MB |`,
  );
  return [header, rule, ...rows].join('\n');
};

const main = async (): Promise<void> => {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const caseIndex = args.indexOf('--case');
  if (caseIndex >= 0) {
    const benchCase = [...cases, ...scans].find((candidate) => candidate.name === args[caseIndex + 1]);
    if (!benchCase) throw new Error(`unknown case ${args[caseIndex + 1]}`);
    const mipSolver = benchCase.mip ? await loadHighsMipSolver() : null;
    process.stdout.write(`${JSON.stringify(runCase(benchCase, quick ? 1 : benchCase.repeats, mipSolver))}\n`);
    return;
  }
  const self = fileURLToPath(import.meta.url);
  const reports: CaseReport[] = [];
  const onlyIndex = args.indexOf('--only');
  const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '') : null;
  const selected =
    only === null
      ? cases
      : [...cases, ...(only.startsWith('scan') ? scans : [])].filter((c) => c.name.startsWith(only));
  if (selected.length === 0) throw new Error(`no case's name starts with ${only}`);
  for (const benchCase of selected) {
    process.stderr.write(`running ${benchCase.describe}...\n`);
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, '--expose-gc', self, '--case', benchCase.name, ...(quick ? ['--quick'] : [])],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    if (child.status !== 0) throw new Error(`case ${benchCase.name} failed:\n${child.stderr}`);
    const line = child.stdout.trim().split('\n').at(-1) ?? '{}';
    reports.push(JSON.parse(line) as CaseReport);
  }
  process.stdout.write(
    `Matching engine benchmark (node ${process.version}, one core; times exclude generating the organisation)\n\n${table(reports)}\n`,
  );
};

// `--http`: a whole run end to end through the local platform (http-run-bench.ts).
if (process.argv.includes('--http')) await import('./http-run-bench');
else await main();
