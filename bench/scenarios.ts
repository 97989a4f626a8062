/**
 * The four scenarios of issue 7. Each returns the section of reports/bench/latest.json
 * (exactly the fields of the issue) plus details for the Markdown summary.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { SandboxHandle } from '../src/sandbox/options.js';
import { CHILD_FLAG, peakRssMb, runJob, type ChildJob } from './child.js';
import type { OfflineMeasurement } from './offline.js';
import { prepareOfflineReports, reportSetDir } from './offline.js';
import { startLiveSandbox, type ScanMeasurement, type ScanSpec } from './live.js';
import { BENCH_SEED } from './org.js';
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
  /** Progress lines. */
  log(line: string): void;
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

/** The offline section of latest.json. */
export interface OfflineSection {
  principals: number;
  seconds: number;
  principalsPerSecond: number;
  peakRssMb: number;
  baselineSeconds: number;
  ratioToBaseline: number;
}

/** Offline: 1M principals through parse → normalise → evaluate → JSON; engine vs hand-written baseline. */
export async function offlineScenario(sizes: BenchSizes['offline'], env: ScenarioEnv): Promise<{ section: OfflineSection; details: OfflineMeasurement }> {
  const { accounts, usersPerAccount } = sizes;
  env.log(`offline: ${accounts} accounts x ${usersPerAccount} users (reports are generated once, then reused)`);
  const options = {
    accounts,
    usersPerAccount,
    seed: BENCH_SEED,
    reportsDir: reportSetDir(env.scratchDir, accounts, usersPerAccount, BENCH_SEED),
    outputFile: join(env.scratchDir, env.keepOutput ? 'offline-findings.json' : `offline-findings-${process.pid}.json`),
    verify: env.verify,
    keepOutput: env.keepOutput === true,
  };
  // Generated here, in the runner, so generation never counts toward the measured child's time or RSS.
  prepareOfflineReports(options);
  const { result, peakRssMb } = await runMeasured<OfflineMeasurement>({ kind: 'offline', pack: env.pack, options, workers: env.workers }, env);
  return {
    section: {
      principals: result.principals,
      seconds: round(result.seconds),
      principalsPerSecond: Math.round(result.principals / result.seconds),
      peakRssMb,
      baselineSeconds: round(result.baselineSeconds),
      ratioToBaseline: round(result.engineSeconds / result.baselineSeconds),
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

/** The live section of latest.json. */
export interface LiveSection {
  accounts: number;
  concurrency: number;
  latencyMs: number;
  seconds: number;
  lowerBoundSeconds: number;
  ratioToLowerBound: number;
  callsPerAccount: number;
}

/** Sequential calls of one account with a fresh report: AssumeRole, then GetCredentialReport. */
const FRESH_REPORT_CALLS = 2;

/** Live: 1,000 accounts, 50 ms on every call, generation needing 2 polls; wall time vs the latency floor. */
export async function liveScenario(
  sizes: BenchSizes['live'],
  env: ScenarioEnv,
): Promise<{ section: LiveSection; details: ScanMeasurement & { peakRssMb: number; generated: ScanMeasurement } }> {
  env.log(`live: ${sizes.accounts} accounts, ${sizes.latencyMs} ms per call, concurrency ${sizes.concurrency}`);
  const sandbox = startLiveSandbox({ accounts: sizes.accounts, usersPerAccount: sizes.usersPerAccount, latencyMs: sizes.latencyMs, faults: { reportPolls: sizes.reportPolls } });
  const { result, peakRssMb } = await withSandbox(sandbox, (s) => runMeasured<ScanMeasurement>({ kind: 'scan', pack: env.pack, spec: scanSpec(s, sizes.concurrency, env) }, env));
  // The same organisation without any report: every account generates one and polls for it (Markdown only).
  const generatedAccounts = Math.min(sizes.accounts, sizes.generatedAccounts);
  env.log(`live: ${generatedAccounts} accounts without a report (generation needs ${sizes.reportPolls} polls)`);
  const absent = startLiveSandbox({ accounts: generatedAccounts, usersPerAccount: sizes.usersPerAccount, latencyMs: sizes.latencyMs, faults: { reportPolls: sizes.reportPolls }, absentReports: true });
  const generated = await withSandbox(absent, (s) => runMeasured<ScanMeasurement>({ kind: 'scan', pack: env.pack, spec: scanSpec(s, sizes.concurrency, env) }, env));
  // One account's critical path is its sequential calls, each costing the injected latency.
  const lowerBound = Math.ceil(result.accounts / sizes.concurrency) * ((FRESH_REPORT_CALLS * sizes.latencyMs) / 1000);
  return {
    section: {
      accounts: result.accounts,
      concurrency: sizes.concurrency,
      latencyMs: sizes.latencyMs,
      seconds: round(result.totalSeconds),
      lowerBoundSeconds: round(lowerBound),
      ratioToLowerBound: round(result.totalSeconds / lowerBound),
      callsPerAccount: round(result.callsPerAccount),
    },
    details: { ...result, peakRssMb, generated: generated.result },
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
  env.log(`throttled: ${sizes.accounts} accounts, AssumeRole limited to ${sizes.assumeRoleRps}/s, IAM to ${sizes.iamRpsPerAccount}/s per account`);
  const faults = {
    buckets: [
      { service: 'sts' as const, operations: ['AssumeRole'], ratePerSecond: sizes.assumeRoleRps },
      { service: 'iam' as const, perAccount: true, ratePerSecond: sizes.iamRpsPerAccount },
    ],
  };
  const sandbox = startLiveSandbox({ accounts: sizes.accounts, usersPerAccount: sizes.usersPerAccount, latencyMs: sizes.latencyMs, faults });
  return withSandbox(sandbox, async (s) => {
    const { result } = await runMeasured<ScanMeasurement>({ kind: 'scan', pack: env.pack, spec: scanSpec(s, sizes.concurrency, env) }, env);
    const stats = s.stats();
    const assumeRoleOk = stats.okByOperation.AssumeRole ?? 0;
    // Rate over the whole scan, listing included: the throughput a user sees.
    const achieved = assumeRoleOk / result.totalSeconds;
    return {
      section: { accounts: result.accounts, allowedRps: sizes.assumeRoleRps, achievedRps: round(achieved, 1), failedAccounts: result.failed },
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
export async function scaleScenario(sizes: BenchSizes['scale'], env: ScenarioEnv): Promise<{ section: ScaleSection; details: ScanMeasurement & { peakRssMb: number } }> {
  env.log(`scale: ${sizes.accounts} accounts x ${sizes.usersPerAccount} users, ${sizes.latencyMs} ms per call, concurrency ${sizes.concurrency}`);
  const sandbox = startLiveSandbox({ accounts: sizes.accounts, usersPerAccount: sizes.usersPerAccount, latencyMs: sizes.latencyMs });
  const every = Math.max(1, Math.floor(sizes.accounts / 10));
  const { result, peakRssMb } = await withSandbox(sandbox, (s) => runMeasured<ScanMeasurement>({ kind: 'scan', pack: env.pack, spec: scanSpec(s, sizes.concurrency, env, every) }, env));
  return {
    section: { accounts: result.accounts, usersPerAccount: sizes.usersPerAccount, seconds: round(result.totalSeconds), peakRssMb },
    details: { ...result, peakRssMb },
  };
}
