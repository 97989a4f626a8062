/**
 * The offline scenario: saved credential reports → parse and normalise → evaluate the
 * recommended pack → JSON findings, one account at a time (a worker holds one report at
 * once; findings are written out as soon as their account is done).
 *
 * Two passes over the same reports:
 * 1. `pipeline`: the system end to end, timed and RSS-measured (no baseline running).
 * 2. `compare`: engine and hand-written baseline on the same parsed principals, interleaved
 *    account by account so that noise hits both alike; gives the engine/baseline ratio.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Account, Finding } from '../src/model/index.js';
import { parseCredentialReport } from '../src/core/report/parse.js';
import { evaluateAccount } from '../src/core/engine/evaluate.js';
import type { Ruleset } from '../src/core/rules/ruleset.js';
import { generateUsersCsv } from '../src/sandbox/generate.js';
import { baselineEvaluate, type BaselinePlan } from './baseline.js';
import { BENCH_GENERATED_AT, accountIdOf } from './org.js';

/** Sizes and places of an offline run. */
export interface OfflineOptions {
  accounts: number;
  usersPerAccount: number;
  seed: number;
  /** Folder holding (or receiving) the generated reports; reused across runs of the same size. */
  reportsDir: string;
  /** Where the JSON findings are streamed; deleted afterwards unless keepOutput. */
  outputFile: string;
  keepOutput?: boolean;
  /** Deep-compare engine and baseline findings in the compare pass (slow; the smoke test does it). */
  verify?: boolean;
}

/** The result of processing one account's report. */
export interface AccountWork {
  principals: number;
  findings: number;
  /** The account's findings as JSON array items separated by commas ('' when none). */
  json: string;
  parseMs: number;
  engineMs: number;
  baselineMs: number;
  mismatch: boolean;
}

/** What the offline scenario measured. */
export interface OfflineMeasurement {
  principals: number;
  findings: number;
  /** Pipeline pass, end to end (read, parse, evaluate, write JSON). */
  seconds: number;
  /** Compare pass: time (summed over threads) in parse + normalise, in the engine, and in the baseline. */
  parseSeconds: number;
  engineSeconds: number;
  baselineSeconds: number;
  /** Accounts where engine and baseline disagreed (counts and fingerprints; deep when verify). */
  mismatchedAccounts: number;
  /** Threads that processed reports (1 = in-process). */
  workers: number;
}

/** The folder of a report set, so different sizes or seeds never mix. */
export function reportSetDir(root: string, accounts: number, users: number, seed: number): string {
  return join(root, `offline-${accounts}x${users}-seed${seed}-named`);
}

/** `…YYYY-MM-DDTHHMMSSZ`: the report time in the file name, as `credwarden scan --from` reads it. */
const FILE_TIME = new Date(BENCH_GENERATED_AT)
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/^(\d{4})(\d{2})(\d{2})/, '$1-$2-$3')
  .replace(/\.\d+Z$/, 'Z');

/** Writes one CSV per account unless the set is already complete; returns the file paths in order. */
export function prepareOfflineReports(options: Pick<OfflineOptions, 'accounts' | 'usersPerAccount' | 'seed' | 'reportsDir'>): string[] {
  // Named with their report time, as a user saves them: the binary then needs no --as-of and warns about nothing.
  const files = Array.from({ length: options.accounts }, (_, i) => join(options.reportsDir, `${accountIdOf(i)}.${FILE_TIME}.csv`));
  const marker = join(options.reportsDir, 'COMPLETE');
  if (existsSync(marker)) return files;
  mkdirSync(options.reportsDir, { recursive: true });
  files.forEach((file, i) => {
    writeFileSync(
      file,
      generateUsersCsv({ accountId: accountIdOf(i), users: options.usersPerAccount, seed: options.seed, generatedAt: BENCH_GENERATED_AT }),
    );
  });
  writeFileSync(marker, `${options.accounts} accounts x ${options.usersPerAccount} users, seed ${options.seed}\n`);
  return files;
}

function sameFindings(engine: Finding[], baseline: Finding[], deep: boolean): boolean {
  if (engine.length !== baseline.length) return false;
  for (let i = 0; i < engine.length; i++) if (engine[i]?.fingerprint !== baseline[i]?.fingerprint) return false;
  return !deep || JSON.stringify(engine) === JSON.stringify(baseline);
}

const AS_OF = new Date(BENCH_GENERATED_AT).toISOString();

/**
 * Processes one report. Without a baseline plan: the pipeline (parse, evaluate, JSON).
 * With one: the compare pass (parse, then engine and baseline in alternating order; no JSON).
 */
export function processReport(file: string, index: number, ruleset: Ruleset, plan: BaselinePlan | undefined, verify = false): AccountWork {
  const t0 = performance.now();
  const parsed = parseCredentialReport(readFileSync(file, 'utf8'), file);
  const t1 = performance.now();
  const account: Account = {
    id: parsed.accountId,
    partition: parsed.partition,
    reportGeneratedTime: AS_OF,
    source: file,
    principals: parsed.principals,
  };
  const work: AccountWork = {
    principals: parsed.principals.length,
    findings: 0,
    json: '',
    parseMs: t1 - t0,
    engineMs: 0,
    baselineMs: 0,
    mismatch: false,
  };
  if (!plan) {
    const findings = evaluateAccount(account, ruleset);
    work.findings = findings.length;
    // One stringify per account (about a third cheaper than one per finding), minus its brackets.
    work.json = findings.length > 0 ? JSON.stringify(findings).slice(1, -1) : '';
    work.engineMs = performance.now() - t1;
    return work;
  }
  // Alternate which side runs first so neither always gets the warmer caches.
  const engineFirst = index % 2 === 0;
  const timed = (run: () => Finding[]): [Finding[], number] => {
    const start = performance.now();
    const findings = run();
    return [findings, performance.now() - start];
  };
  const runEngine = () => timed(() => evaluateAccount(account, ruleset));
  const runBaseline = () => timed(() => baselineEvaluate(account, plan, BENCH_GENERATED_AT));
  const [[a, aMs], [b, bMs]] = engineFirst ? [runEngine(), runBaseline()] : [runBaseline(), runEngine()];
  const [engine, engineMs, baseline, baselineMs] = engineFirst ? [a, aMs, b, bMs] : [b, bMs, a, aMs];
  work.findings = engine.length;
  work.engineMs = engineMs;
  work.baselineMs = baselineMs;
  work.mismatch = !sameFindings(engine, baseline, verify);
  return work;
}

/** Runs `process` over the files on some threads; results are handed over in file order. */
export type AccountRunner = (files: string[], compare: boolean, onResult: (work: AccountWork) => Promise<void> | void) => Promise<void>;

/** The in-process runner: one account after the other on this thread. */
export function inProcessRunner(ruleset: Ruleset, plan: BaselinePlan, verify: boolean): AccountRunner {
  return async (files, compare, onResult) => {
    for (const [i, file] of files.entries()) await onResult(processReport(file, i, ruleset, compare ? plan : undefined, verify));
  };
}

function write(stream: WriteStream, text: string): Promise<void> | undefined {
  // Respect back-pressure so findings never pile up in memory when the disk is slower.
  if (stream.write(text)) return undefined;
  return new Promise((resolve) => stream.once('drain', resolve));
}

/** Runs both passes of the offline scenario. */
export async function runOffline(options: OfflineOptions, runner: AccountRunner, workers: number): Promise<OfflineMeasurement> {
  const files = prepareOfflineReports(options);
  const totals = { principals: 0, findings: 0, parse: 0, engine: 0, baseline: 0, mismatched: 0 };

  const out = createWriteStream(options.outputFile);
  const started = performance.now();
  await write(out, '[');
  let first = true;
  await runner(files, false, async (work) => {
    totals.principals += work.principals;
    totals.findings += work.findings;
    if (work.json === '') return;
    await write(out, (first ? '\n' : ',\n') + work.json);
    first = false;
  });
  await write(out, '\n]\n');
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const seconds = (performance.now() - started) / 1000;
  if (!options.keepOutput) rmSync(options.outputFile, { force: true });

  await runner(files, true, (work) => {
    totals.parse += work.parseMs;
    totals.engine += work.engineMs;
    totals.baseline += work.baselineMs;
    if (work.mismatch) totals.mismatched++;
  });
  return {
    principals: totals.principals,
    findings: totals.findings,
    seconds,
    parseSeconds: totals.parse / 1000,
    engineSeconds: totals.engine / 1000,
    baselineSeconds: totals.baseline / 1000,
    mismatchedAccounts: totals.mismatched,
    workers,
  };
}
