/**
 * `npm run bench`: runs the scenarios and writes reports/bench/latest.json (the figures) and
 * reports/bench/latest.md (figures, targets, details). offline and live run the `credwarden`
 * binary (dist/: run `npm run build` first) as a user does.
 *
 * Flags: --smoke (tiny sizes), --only startup,offline,live,throttled,scale,baseline, --verify (adds the
 * baseline scenario: engine vs hand-written rules), --workers N (threads of the baseline
 * scenario; default one per core), --offline-accounts N[,M…] (accounts of 2,000 users in the
 * offline scenario, each size run in turn, e.g. 50,500 for 100,050 and 1,000,500 principals: how
 * figures grow with size), --live-accounts N (accounts of the live scenario, e.g. 10000 for
 * issue 18's 10,000-account target; default 1,000), --jobs N (the offline and live scans' --jobs:
 * worker threads; default: the binary's), --out DIR (default reports/bench).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/collectors/files/package-root.js';
import { renderMarkdown, type BenchDetails } from './markdown.js';
import {
  baselineScenario,
  liveScenario,
  offlineScenario,
  scaleScenario,
  throttledScenario,
  type BaselineSection,
  type LiveSection,
  type OfflineSection,
  type ScaleSection,
  type ScenarioEnv,
  type ThrottledSection,
} from './scenarios.js';
import { FULL_SIZES, SMOKE_SIZES, type BenchSizes } from './sizes.js';
import { trendScenario, type TrendSection } from './trend.js';
import { startupScenario, type StartupSection } from './startup.js';

/** The machine the figures were measured on. */
export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  ramGb: number;
  node: string;
  platform: string;
  /** 1-minute load average when the run started: other work on the machine skews figures. */
  loadAverage1m: number;
}

/** reports/bench/latest.json. Sections are null when the scenario was not run (--only). */
export interface BenchReport {
  machine: MachineInfo;
  /** The largest offline run (see offlineRuns). */
  offline: OfflineSection | null;
  /** Every offline size run (--offline-accounts 50,500: 100,050 and 1,000,500 principals), smallest first. */
  offlineRuns: OfflineSection[] | null;
  /** Peak RSS of the largest offline run over the smallest's: memory is flat in findings when near 1 (target at most 1.3). */
  offlinePeakRatio: number | null;
  live: LiveSection | null;
  throttled: ThrottledSection | null;
  scale: ScaleSection | null;
  /** Only with --verify (or --only baseline). */
  baseline: BaselineSection | null;
  trend: TrendSection | null;
  /** Start-up of the binary: --version, --help, rules test on one rule (bench/startup.ts). */
  startup: StartupSection | null;
}

/** Options of {@link runBench}. */
export interface BenchOptions {
  sizes: BenchSizes;
  only?: readonly ScenarioName[];
  outDir: string;
  env: ScenarioEnv;
  /** Label of the sizes in the summary. */
  label: string;
  /** Offline sizes to run, in accounts of `sizes.offline.usersPerAccount` users (default: the sizes' one). */
  offlineAccounts?: readonly number[];
}

/** The scenario names, in run order. */
export const SCENARIOS = ['startup', 'offline', 'live', 'throttled', 'scale', 'baseline', 'trend'] as const;
/** Scenarios run by default; baseline only with --verify. Start-up first, before the others load the machine. */
const DEFAULT_SCENARIOS: readonly ScenarioName[] = ['startup', 'offline', 'live', 'throttled', 'scale', 'trend'];
/** One scenario. */
export type ScenarioName = (typeof SCENARIOS)[number];

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux: fall back to os.cpus()
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** Describes this machine. */
export function machineInfo(): MachineInfo {
  return {
    nproc: availableParallelism(),
    cpuModel: cpuModel(),
    ramGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** Runs the selected scenarios and writes latest.json and latest.md into `outDir`. */
export async function runBench(options: BenchOptions): Promise<{ report: BenchReport; details: BenchDetails }> {
  const only = new Set(options.only ?? [...DEFAULT_SCENARIOS, ...(options.env.verify ? (['baseline'] as const) : [])]);
  const report: BenchReport = {
    machine: machineInfo(),
    offline: null,
    offlineRuns: null,
    offlinePeakRatio: null,
    live: null,
    throttled: null,
    scale: null,
    baseline: null,
    trend: null,
    startup: null,
  };
  const details: BenchDetails = { label: options.label, sizes: options.sizes, workers: options.env.workers };
  mkdirSync(options.outDir, { recursive: true });
  mkdirSync(options.env.scratchDir, { recursive: true });
  if (only.has('startup')) report.startup = startupScenario(options.sizes.startup.runs, options.env.log);
  if (only.has('offline')) {
    const runs: OfflineSection[] = [];
    for (const accounts of [...(options.offlineAccounts ?? [options.sizes.offline.accounts])].sort((a, b) => a - b)) {
      const { section, details: d } = await offlineScenario({ ...options.sizes.offline, accounts }, options.env);
      runs.push(section);
      report.offline = section;
      details.offline = d;
    }
    report.offlineRuns = runs;
    const [first, last] = [runs[0], runs.at(-1)];
    if (runs.length > 1 && first?.peakRssMb && last?.peakRssMb)
      report.offlinePeakRatio = Math.round((last.peakRssMb / first.peakRssMb) * 100) / 100;
  }
  if (only.has('live')) {
    const { section, details: d } = await liveScenario(options.sizes.live, options.env);
    report.live = section;
    details.live = d;
  }
  if (only.has('throttled')) {
    const { section, details: d } = await throttledScenario(options.sizes.throttled, options.env);
    report.throttled = section;
    details.throttled = d;
  }
  if (only.has('scale')) {
    const { section, details: d } = await scaleScenario(options.sizes.scale, options.env);
    report.scale = section;
    details.scale = d;
  }
  if (only.has('baseline')) {
    const { section, details: d } = await baselineScenario(options.sizes.offline, options.env);
    report.baseline = section;
    details.baseline = d;
  }
  if (only.has('trend')) {
    const { section, details: d } = await trendScenario(options.sizes.trend, options.env);
    report.trend = section;
    details.trend = d;
  }
  writeFileSync(join(options.outDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(options.outDir, 'latest.md'), renderMarkdown(report, details));
  return { report, details };
}

function parseOnly(value: string | undefined): ScenarioName[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
  return names as ScenarioName[];
}

/** Command-line entry point. */
export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      smoke: { type: 'boolean', default: false },
      only: { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string' },
      verify: { type: 'boolean', default: false },
      'offline-accounts': { type: 'string' },
      'live-accounts': { type: 'string' },
      jobs: { type: 'string' },
    },
  });
  const root = packageRoot();
  const env: ScenarioEnv = {
    inProcess: false,
    workers: values.workers !== undefined ? Number(values.workers) : availableParallelism(),
    scratchDir: join(tmpdir(), 'credwarden-bench'),
    verify: values.verify === true,
    pack: 'recommended',
    ...(values.jobs !== undefined ? { scanJobs: Number(values.jobs) } : {}),
    log: (line) => process.stderr.write(`bench: ${line}\n`),
  };
  const outDir = resolve(values.out ?? join(root, 'reports', 'bench'));
  const only = parseOnly(values.only);
  const base = values.smoke ? SMOKE_SIZES : FULL_SIZES;
  const offlineAccounts = values['offline-accounts']?.split(',').map((v) => Number(v.trim()));
  if (offlineAccounts !== undefined && !offlineAccounts.every((n) => Number.isInteger(n) && n > 0))
    throw new Error(`--offline-accounts takes positive whole numbers (e.g. 50,500), not '${values['offline-accounts']}'`);
  const liveAccounts = values['live-accounts'] === undefined ? undefined : Number(values['live-accounts']);
  if (liveAccounts !== undefined && !(Number.isInteger(liveAccounts) && liveAccounts > 0))
    throw new Error(`--live-accounts takes a positive whole number (e.g. 10000), not '${values['live-accounts']}'`);
  const label = `${values.smoke ? 'smoke' : 'full'}${offlineAccounts === undefined ? '' : `, offline ${offlineAccounts.join(' and ')} accounts`}${liveAccounts === undefined ? '' : `, live ${liveAccounts} accounts`}`;
  const { report } = await runBench({
    sizes: liveAccounts === undefined ? base : { ...base, live: { ...base.live, accounts: liveAccounts } },
    ...(offlineAccounts ? { offlineAccounts } : {}),
    ...(only ? { only } : {}),
    outDir,
    env,
    label,
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`bench: wrote ${join(outDir, 'latest.json')} and latest.md\n`);
  return 0;
}
