/**
 * The scenarios. offline and live run the `credwarden` binary as a user does (issue 10) and
 * measure the process; throttled and scale measure the collector (the scanner in a child
 * process); baseline (--verify only) compares the engine with hand-written rules.
 * Each returns its section of reports/bench/latest.json plus details for latest.md.
 */
import { fork } from 'node:child_process';
import { createReadStream, existsSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { SandboxHandle } from '../src/sandbox/options.js';
import { CHILD_FLAG, peakRssMb, runJob, type ChildJob } from './child.js';
import type { OfflineMeasurement } from './offline.js';
import { prepareOfflineReports, reportSetDir } from './offline.js';
import { startLiveSandbox, type ScanMeasurement, type ScanSpec } from './live.js';
import { BENCH_SEED } from './org.js';
import { runCredwarden, type BinaryRun } from './binary.js';
import type { BenchSizes } from './sizes.js';

/** Where and how scenarios run. */
export interface ScenarioEnv {
  /** Run measured sides in this process (smoke test: no build, no child) instead of a child process. */
  inProcess: boolean;
  /** Threads for the offline pipeline (0: the main thread only). */
  workers: number;
  /** Scratch folder: generated reports (kept for reuse) and findings output (deleted). */
  scratchDir: string;
  /** Deep-compare engine and baseline findings. */
  verify: boolean;
  /** Keep the offline findings file (scratchDir/offline-findings.json) for inspection. */
  keepOutput?: boolean;
  pack: string;
  /** `--jobs` of the offline and live scans (worker threads); undefined: the binary's default. */
  scanJobs?: number;
  /** Progress lines. */
  log(line: string): void;
}

/** `--jobs N` when the bench was given one, else nothing (the binary's default). */
function jobsArgv(env: ScenarioEnv): string[] {
  return env.scanJobs === undefined ? [] : ['--jobs', String(env.scanJobs)];
}

interface JobResult<T> {
  result: T;
  peakRssMb: number;
}

/** Runs a job in a fresh child process (or in-process), returning its result and peak RSS. */
function runMeasured<T>(job: ChildJob, env: ScenarioEnv): Promise<JobResult<T>> {
  if (env.inProcess) return runJob(job).then((result) => ({ result: result as T, peakRssMb: peakRssMb() }));
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./child.js', import.meta.url), [CHILD_FLAG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.once('message', (message: { ok: boolean; result?: T; peakRssMb?: number; error?: string }) => {
      settled = true;
      if (message.ok) resolve({ result: message.result as T, peakRssMb: message.peakRssMb ?? 0 });
      else reject(new Error(`benchmark child failed: ${message.error ?? 'unknown error'}`));
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`benchmark child exited with code ${code}`));
    });
    child.send(job);
  });
}

function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The offline scenario's targets (issue 18): what a user runs, on the 2-core machine. */
export const OFFLINE_TARGETS = {
  seconds: 30,
  peakRssMb: 1024,
  jsonBytesPerFinding: 1024,
  plansBytes: 5 * 1_048_576,
  peakRatio: 1.3,
} as const;

/** The offline section of latest.json: the `credwarden` binary on saved reports. */
export interface OfflineSection {
  principals: number;
  /** Findings in the JSON result (null when the run wrote none). */
  findings: number | null;
  /** Wall time of the `credwarden scan` process. */
  seconds: number;
  principalsPerSecond: number;
  /** Peak RSS of the `credwarden scan` process (null off Linux). */
  peakRssMb: number | null;
  exitCode: number;
  /** Sizes of the files written (null when absent). */
  jsonBytes: number | null;
  sarifBytes: number | null;
  markdownBytes: number | null;
  csvBytes: number | null;
  /** credwarden-plans.md (the campaigns; target 5 MiB at 1,000,500 principals). */
  plansBytes: number | null;
  /** credwarden-targets.csv: every target, one row each. */
  targetsBytes: number | null;
  jsonBytesPerFinding: number | null;
  /** 1-minute load average (`uptime`) just before and just after the process: other work skews the figures. */
  loadAverage1mBefore: number;
  loadAverage1mAfter: number;
  /** The scan's --jobs (null: the binary's default). */
  jobs: number | null;
}

/** The command line of the offline scenario: what issue 10 says a user runs. */
export function offlineArgv(reportsDir: string, outputDir: string, pack: string): string[] {
  return [
    'scan',
    '--from',
    reportsDir,
    '--pack',
    pack,
    '--format',
    'json',
    '--format',
    'sarif',
    '--format',
    'markdown',
    '--format',
    'csv',
    '--output-dir',
    outputDir,
    '--quiet',
  ];
}

function loadAverage1m(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

function sizeOf(path: string): number | null {
  return existsSync(path) ? statSync(path).size : null;
}

/** Occurrences of `needle` in a file, read in chunks (results can be larger than one string). */
export async function countInFile(path: string, needle: string): Promise<number> {
  let count = 0;
  let carry = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 22 })) {
    const text = carry + (chunk as string);
    for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) count++;
    // Keep a tail shorter than the needle: a match split across chunks is counted once, never twice.
    carry = text.slice(Math.max(0, text.length - needle.length + 1));
  }
  return count;
}

/** Offline: `credwarden scan --from DIR` with JSON, SARIF, Markdown and CSV on 1M principals, measured as a process. */
export async function offlineScenario(
  sizes: BenchSizes['offline'],
  env: ScenarioEnv,
): Promise<{ section: OfflineSection; details: BinaryRun }> {
  const { accounts, usersPerAccount } = sizes;
  env.log(
    `offline: ${accounts} accounts x ${usersPerAccount} users through the credwarden binary (reports are generated once, then reused)`,
  );
  const reportsDir = reportSetDir(env.scratchDir, accounts, usersPerAccount, BENCH_SEED);
  // Generated here, before the measured process starts.
  prepareOfflineReports({ accounts, usersPerAccount, seed: BENCH_SEED, reportsDir });
  const outputDir = join(env.scratchDir, `offline-out-${process.pid}`);
  rmSync(outputDir, { recursive: true, force: true });
  try {
    const loadBefore = loadAverage1m();
    const run = await runCredwarden([...offlineArgv(reportsDir, outputDir, env.pack), ...jobsArgv(env)]);
    const loadAfter = loadAverage1m();
    if (run.exitCode > 1) env.log(`offline: credwarden exited ${run.exitCode}: ${run.stderrTail.split('\n').slice(-3).join(' / ')}`);
    const json = join(outputDir, 'credwarden.json');
    // Every finding has exactly one ruleId; plans and rules name none.
    const findings = existsSync(json) ? await countInFile(json, '"ruleId"') : null;
    const jsonBytes = sizeOf(json);
    const principals = accounts * (usersPerAccount + 1);
    return {
      section: {
        principals,
        findings,
        seconds: round(run.seconds),
        principalsPerSecond: Math.round(principals / run.seconds),
        peakRssMb: run.peakRssMb,
        exitCode: run.exitCode,
        jsonBytes,
        sarifBytes: sizeOf(join(outputDir, 'credwarden.sarif')),
        markdownBytes: sizeOf(join(outputDir, 'credwarden.md')),
        csvBytes: sizeOf(join(outputDir, 'credwarden.csv')),
        plansBytes: sizeOf(join(outputDir, 'credwarden-plans.md')),
        targetsBytes: sizeOf(join(outputDir, 'credwarden-targets.csv')),
        jsonBytesPerFinding: jsonBytes !== null && findings ? Math.round(jsonBytes / findings) : null,
        loadAverage1mBefore: loadBefore,
        loadAverage1mAfter: loadAfter,
        jobs: env.scanJobs ?? null,
      },
      details: run,
    };
  } finally {
    if (!env.keepOutput) rmSync(outputDir, { recursive: true, force: true });
  }
}

/** The baseline section (only with --verify): the engine against the hand-written rules. */
export interface BaselineSection {
  principals: number;
  engineSeconds: number;
  baselineSeconds: number;
  ratioToBaseline: number;
  mismatchedAccounts: number;
}

/**
 * --verify: the engine and `bench/baseline.ts` (the same rules written by hand) on the same
 * parsed principals, interleaved account by account; also checks they give the same findings.
 * Opt-in, because the baseline restates every rule message.
 */
export async function baselineScenario(
  sizes: BenchSizes['offline'],
  env: ScenarioEnv,
): Promise<{ section: BaselineSection; details: OfflineMeasurement }> {
  const { accounts, usersPerAccount } = sizes;
  env.log(`baseline (--verify): engine vs hand-written rules on ${accounts} x ${usersPerAccount}`);
  const options = {
    accounts,
    usersPerAccount,
    seed: BENCH_SEED,
    reportsDir: reportSetDir(env.scratchDir, accounts, usersPerAccount, BENCH_SEED),
    outputFile: join(env.scratchDir, env.keepOutput ? 'offline-findings.json' : `offline-findings-${process.pid}.json`),
    verify: true,
    keepOutput: env.keepOutput === true,
  };
  prepareOfflineReports(options);
  const { result } = await runMeasured<OfflineMeasurement>({ kind: 'offline', pack: env.pack, options, workers: env.workers }, env);
  return {
    section: {
      principals: result.principals,
      engineSeconds: round(result.engineSeconds),
      baselineSeconds: round(result.baselineSeconds),
      ratioToBaseline: round(result.engineSeconds / result.baselineSeconds),
      mismatchedAccounts: result.mismatchedAccounts,
    },
    details: result,
  };
}

async function withSandbox<T>(start: Promise<SandboxHandle>, use: (sandbox: SandboxHandle) => Promise<T>): Promise<T> {
  const sandbox = await start;
  try {
    return await use(sandbox);
  } finally {
    await sandbox.close();
  }
}

function scanSpec(sandbox: SandboxHandle, concurrency: number, env: ScenarioEnv, rssEvery = 0): ScanSpec {
  return {
    endpoint: sandbox.endpoint,
    credentials: sandbox.credentials,
    concurrency,
    outputFile: join(env.scratchDir, `live-findings-${process.pid}.jsonl`),
    rssEvery,
  };
}

/** The live section of latest.json: `credwarden scan --org` against the sandbox, measured as a process. */
export interface LiveSection {
  accounts: number;
  concurrency: number;
  latencyMs: number;
  seconds: number;
  lowerBoundSeconds: number;
  ratioToLowerBound: number;
  callsPerAccount: number;
  peakRssMb: number | null;
  /** CPU time of the credwarden process (user + system, every thread); null off Linux. */
  cpuSeconds: number | null;
  /** CPU time of the bench's own process meanwhile: the sandbox answering, and the RSS poll. */
  sandboxCpuSeconds: number;
  exitCode: number;
  /** The scan's --jobs (null: the binary's default). */
  jobs: number | null;
}

/** Sequential calls of one account with a fresh report: AssumeRole, then GetCredentialReport. */
const FRESH_REPORT_CALLS = 2;
/** The per-account calls of a scan with the credential-report pack. */
const ACCOUNT_OPERATIONS = ['AssumeRole', 'GetCredentialReport', 'GenerateCredentialReport'];
/** The pack of the live scenario: the two-call scan, so the latency floor is known. */
export const LIVE_PACK = 'credential-report';

/** What the live scenario measured beyond latest.json. */
export interface LiveDetails {
  run: BinaryRun;
  operations: Record<string, number>;
  generated: { accounts: number; run: BinaryRun; callsPerAccount: number };
}

/** Runs the binary against a sandbox; returns the run and the successful calls by operation. */
async function scanSandbox(
  sandbox: SandboxHandle,
  concurrency: number,
  env: ScenarioEnv,
): Promise<{ run: BinaryRun; operations: Record<string, number>; sandboxCpuSeconds: number }> {
  const outputDir = join(env.scratchDir, `live-out-${process.pid}`);
  rmSync(outputDir, { recursive: true, force: true });
  try {
    const argv = [
      'scan',
      '--org',
      '--endpoint-url',
      sandbox.endpoint,
      '--pack',
      LIVE_PACK,
      '--concurrency',
      String(concurrency),
      // The formats issue 18's live targets name: what a scheduled scan writes.
      '--format',
      'json',
      '--format',
      'sarif',
      '--format',
      'markdown',
      '--output-dir',
      outputDir,
      '--quiet',
      ...jobsArgv(env),
    ];
    const sandboxCpu = process.cpuUsage();
    const run = await runCredwarden(argv, {
      env: {
        AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
        AWS_REGION: 'us-east-1',
      },
    });
    if (run.exitCode > 1) env.log(`live: credwarden exited ${run.exitCode}: ${run.stderrTail.split('\n').slice(-3).join(' / ')}`);
    const cpu = process.cpuUsage(sandboxCpu);
    return { run, operations: sandbox.stats().okByOperation, sandboxCpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
}

function accountCalls(operations: Record<string, number>, accounts: number): number {
  return ACCOUNT_OPERATIONS.reduce((sum, op) => sum + (operations[op] ?? 0), 0) / accounts;
}

/** Live: `credwarden scan --org` on 1,000 sandbox accounts with 50 ms on every call; wall time vs the latency floor. */
export async function liveScenario(sizes: BenchSizes['live'], env: ScenarioEnv): Promise<{ section: LiveSection; details: LiveDetails }> {
  env.log(
    `live: ${sizes.accounts} accounts, ${sizes.latencyMs} ms per call, concurrency ${sizes.concurrency}, through the credwarden binary`,
  );
  const spec = {
    accounts: sizes.accounts,
    usersPerAccount: sizes.usersPerAccount,
    latencyMs: sizes.latencyMs,
    faults: { reportPolls: sizes.reportPolls },
  };
  const { run, operations, sandboxCpuSeconds } = await withSandbox(startLiveSandbox(spec), (s) => scanSandbox(s, sizes.concurrency, env));
  // The same organisation without any report: every account generates one and polls for it.
  const generatedAccounts = Math.min(sizes.accounts, sizes.generatedAccounts);
  env.log(`live: ${generatedAccounts} accounts without a report (generation needs ${sizes.reportPolls} polls)`);
  const generated = await withSandbox(startLiveSandbox({ ...spec, accounts: generatedAccounts, absentReports: true }), (s) =>
    scanSandbox(s, sizes.concurrency, env),
  );
  // One account's critical path is its sequential calls, each costing the injected latency.
  const lowerBound = Math.ceil(sizes.accounts / sizes.concurrency) * ((FRESH_REPORT_CALLS * sizes.latencyMs) / 1000);
  return {
    section: {
      accounts: sizes.accounts,
      concurrency: sizes.concurrency,
      latencyMs: sizes.latencyMs,
      seconds: round(run.seconds),
      lowerBoundSeconds: round(lowerBound),
      ratioToLowerBound: round(run.seconds / lowerBound),
      callsPerAccount: round(accountCalls(operations, sizes.accounts)),
      peakRssMb: run.peakRssMb,
      cpuSeconds: run.cpuSeconds,
      sandboxCpuSeconds: round(sandboxCpuSeconds),
      exitCode: run.exitCode,
      jobs: env.scanJobs ?? null,
    },
    details: {
      run,
      operations,
      generated: {
        accounts: generatedAccounts,
        run: generated.run,
        callsPerAccount: round(accountCalls(generated.operations, generatedAccounts)),
      },
    },
  };
}

/** The throttled section of latest.json. */
export interface ThrottledSection {
  accounts: number;
  allowedRps: number;
  achievedRps: number;
  failedAccounts: number;
}

/** Throttled: a token bucket on AssumeRole and a per-account IAM limit. */
export async function throttledScenario(
  sizes: BenchSizes['throttled'],
  env: ScenarioEnv,
): Promise<{ section: ThrottledSection; details: ScanMeasurement & { throttled: number; assumeRoleOk: number } }> {
  env.log(
    `throttled: ${sizes.accounts} accounts, AssumeRole limited to ${sizes.assumeRoleRps}/s, IAM to ${sizes.iamRpsPerAccount}/s per account`,
  );
  const faults = {
    buckets: [
      { service: 'sts' as const, operations: ['AssumeRole'], ratePerSecond: sizes.assumeRoleRps },
      { service: 'iam' as const, perAccount: true, ratePerSecond: sizes.iamRpsPerAccount },
    ],
  };
  const sandbox = startLiveSandbox({
    accounts: sizes.accounts,
    usersPerAccount: sizes.usersPerAccount,
    latencyMs: sizes.latencyMs,
    faults,
  });
  return withSandbox(sandbox, async (s) => {
    const { result } = await runMeasured<ScanMeasurement>({ kind: 'scan', pack: env.pack, spec: scanSpec(s, sizes.concurrency, env) }, env);
    const stats = s.stats();
    const assumeRoleOk = stats.okByOperation.AssumeRole ?? 0;
    // Rate over the whole scan, listing included: the throughput a user sees.
    const achieved = assumeRoleOk / result.totalSeconds;
    return {
      section: {
        accounts: result.accounts,
        allowedRps: sizes.assumeRoleRps,
        achievedRps: round(achieved, 1),
        failedAccounts: result.failed,
      },
      details: { ...result, throttled: stats.throttled, assumeRoleOk },
    };
  });
}

/** The scale section of latest.json. */
export interface ScaleSection {
  accounts: number;
  usersPerAccount: number;
  seconds: number;
  peakRssMb: number;
}

/** Scale: 10,000 accounts × 100 users at low latency; RSS sampled as accounts complete. */
export async function scaleScenario(
  sizes: BenchSizes['scale'],
  env: ScenarioEnv,
): Promise<{ section: ScaleSection; details: ScanMeasurement & { peakRssMb: number } }> {
  env.log(
    `scale: ${sizes.accounts} accounts x ${sizes.usersPerAccount} users, ${sizes.latencyMs} ms per call, concurrency ${sizes.concurrency}`,
  );
  const sandbox = startLiveSandbox({ accounts: sizes.accounts, usersPerAccount: sizes.usersPerAccount, latencyMs: sizes.latencyMs });
  const every = Math.max(1, Math.floor(sizes.accounts / 10));
  const { result, peakRssMb } = await withSandbox(sandbox, (s) =>
    runMeasured<ScanMeasurement>({ kind: 'scan', pack: env.pack, spec: scanSpec(s, sizes.concurrency, env, every) }, env),
  );
  return {
    section: { accounts: result.accounts, usersPerAccount: sizes.usersPerAccount, seconds: round(result.totalSeconds), peakRssMb },
    details: { ...result, peakRssMb },
  };
}
