/**
 * The live scenarios (live, throttled, scale): the real collector and SDK clients scan a
 * synthetic organisation served by the local sandbox, and every account's findings are
 * evaluated and streamed to a JSON Lines file as soon as the account is done.
 *
 * The sandbox side (`startLiveSandbox`) and the scanner side (`scanLive`) are separate so
 * the runner can put the scanner in a child process: its peak RSS is then the scanner's
 * alone, and the sandbox does not compete for the scanner's event loop.
 */
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { collectOrganization, type AccountEvent } from '../src/collectors/aws/collect.js';
import { withDefaults } from '../src/collectors/aws/options.js';
import { evaluateAccount } from '../src/core/engine/evaluate.js';
import type { Ruleset } from '../src/core/rules/ruleset.js';
import { generateOrganization } from '../src/sandbox/generate.js';
import { startSandbox } from '../src/sandbox/server.js';
import type { SandboxFaults, SandboxHandle } from '../src/sandbox/options.js';
import type { SandboxCredentials } from '../src/sandbox/identity.js';
import { BENCH_SEED } from './org.js';

/** How the sandbox behaves in one live scenario. */
export interface LiveSandboxSpec {
  accounts: number;
  usersPerAccount: number;
  latencyMs: number;
  faults?: SandboxFaults;
  /** No account has a report yet: each must be generated (and polled for). */
  absentReports?: boolean;
}

/** Starts the sandbox with a generated organisation whose reports are all fresh. */
export function startLiveSandbox(spec: LiveSandboxSpec): Promise<SandboxHandle> {
  const fixture = generateOrganization({ accounts: spec.accounts, usersPerAccount: spec.usersPerAccount, seed: BENCH_SEED });
  // No central root-credential management: the recommended pack then needs no account-context
  // call, so a fresh report costs exactly AssumeRole + GetCredentialReport.
  fixture.features = [];
  if (spec.absentReports) for (const account of fixture.accounts) account.report = { ...account.report, state: 'absent' };
  return startSandbox({ fixture, latencyMs: spec.latencyMs, ...(spec.faults ? { faults: spec.faults } : {}), recordCalls: false });
}

/** What the scanner needs to reach the sandbox and how hard to push it. */
export interface ScanSpec {
  endpoint: string;
  credentials: SandboxCredentials;
  concurrency: number;
  /** JSON Lines file receiving the findings; deleted afterwards. */
  outputFile: string;
  /** Take an RSS sample every this many accounts (0: only at the end). */
  rssEvery?: number;
}

/** What one live scan measured (scanner side). */
export interface ScanMeasurement {
  accounts: number;
  scanned: number;
  failed: number;
  findings: number;
  /** From the collection's start to the last account's findings written: the scan's wall time. */
  totalSeconds: number;
  /**
   * Until the account selection was complete (the collector's onPlan). The collector may already
   * be scanning accounts while it lists them, so this overlaps the scanning.
   */
  planSeconds: number;
  /** CPU time (user + system) the scanner process used during the scan. */
  cpuSeconds: number;
  /** Mean AWS calls per scanned account, and the count of scanned accounts by call count. */
  callsPerAccount: number;
  callHistogram: Record<string, number>;
  /** Reasons of failed accounts (first few). */
  failures: string[];
  /** RSS (MiB) after every `rssEvery` accounts: [accounts done, rss]. */
  rssSamples: [number, number][];
  /** V8 heap in use (MiB) at the same points, after a full GC when --expose-gc is on. */
  heapSamples: [number, number][];
}

function write(stream: WriteStream, text: string): Promise<void> | undefined {
  if (stream.write(text)) return undefined;
  return new Promise((resolve) => stream.once('drain', resolve));
}

function mib(bytes: number): number {
  return Math.round((bytes / 1_048_576) * 10) / 10;
}

/** Scans the sandbox's organisation with the real collector; findings stream to a file. */
export async function scanLive(spec: ScanSpec, ruleset: Ruleset): Promise<ScanMeasurement> {
  const options = withDefaults({
    selection: { mode: 'org' },
    concurrency: spec.concurrency,
    context: 'auto',
    contextNeeds: { rootMfa: false, passwordPolicy: false, summary: false },
    aws: {
      region: 'us-east-1',
      credentials: spec.credentials,
      endpoints: { iam: spec.endpoint, sts: spec.endpoint, organizations: spec.endpoint },
    },
  });
  const out = createWriteStream(spec.outputFile);
  const m: ScanMeasurement = {
    accounts: 0,
    scanned: 0,
    failed: 0,
    findings: 0,
    totalSeconds: 0,
    planSeconds: 0,
    cpuSeconds: 0,
    callsPerAccount: 0,
    callHistogram: {},
    failures: [],
    rssSamples: [],
    heapSamples: [],
  };
  let totalCalls = 0;
  // With --expose-gc, collect first so the samples show what is retained, not garbage not yet collected.
  const gc = (globalThis as { gc?: () => void }).gc;
  const sample = (done: number) => {
    gc?.();
    const usage = process.memoryUsage();
    m.rssSamples.push([done, mib(usage.rss)]);
    m.heapSamples.push([done, mib(usage.heapUsed)]);
  };
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  let planned = started;
  const onEvent = async (event: AccountEvent) => {
    if (event.type === 'skipped') return;
    const done = m.scanned + m.failed + 1;
    if (event.type !== 'scanned') {
      m.failed++;
      if (m.failures.length < 5) m.failures.push(`${event.outcome.id}: ${event.outcome.reason ?? ''}`);
    } else {
      m.scanned++;
      const calls = Object.values(event.calls).reduce((sum, n) => sum + n, 0);
      totalCalls += calls;
      m.callHistogram[calls] = (m.callHistogram[calls] ?? 0) + 1;
      const findings = evaluateAccount(event.account, ruleset);
      m.findings += findings.length;
      if (findings.length > 0) await write(out, `${findings.map((finding) => JSON.stringify(finding)).join('\n')}\n`);
    }
    if (spec.rssEvery && done % spec.rssEvery === 0) sample(done);
  };
  for await (const event of collectOrganization(options, {
    onPlan: (plan) => {
      planned = performance.now();
      m.accounts = plan.total;
    },
  })) {
    await onEvent(event);
  }
  const ended = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  m.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  rmSync(spec.outputFile, { force: true });
  m.planSeconds = (planned - started) / 1000;
  m.totalSeconds = (ended - started) / 1000;
  m.callsPerAccount = m.scanned > 0 ? totalCalls / m.scanned : 0;
  return m;
}
