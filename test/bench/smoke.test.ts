import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBench, SCENARIOS, type BenchReport } from '../../bench/main.js';
import { SMOKE_SIZES } from '../../bench/sizes.js';
import type { BenchDetails } from '../../bench/markdown.js';

/**
 * The seconds-long version of `npm run bench`: every scenario at tiny sizes, in-process (no
 * build, no child), so the benchmark cannot rot. Shapes and sensible values only; timing
 * targets are never asserted here.
 */
const dir = mkdtempSync(join(tmpdir(), 'credwarden-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let run: Promise<{ report: BenchReport; details: BenchDetails }> | undefined;
function smoke() {
  run ??= runBench({
    sizes: SMOKE_SIZES,
    outDir: join(dir, 'out'),
    label: 'smoke',
    env: { inProcess: true, workers: 0, scratchDir: join(dir, 'scratch'), verify: true, keepOutput: true, pack: 'recommended', log: () => undefined },
  });
  return run;
}

const positive = expect.any(Number);

describe('npm run bench, smoke sizes', () => {
  it('writes latest.json with exactly the fields of issue 7', { timeout: 120_000 }, async () => {
    await smoke();
    const json = JSON.parse(readFileSync(join(dir, 'out', 'latest.json'), 'utf8')) as BenchReport;
    expect(Object.keys(json).sort()).toEqual(['live', 'machine', 'offline', 'scale', 'throttled']);
    expect(Object.keys(json.offline ?? {}).sort()).toEqual(['baselineSeconds', 'peakRssMb', 'principals', 'principalsPerSecond', 'ratioToBaseline', 'seconds']);
    expect(Object.keys(json.live ?? {}).sort()).toEqual(['accounts', 'callsPerAccount', 'concurrency', 'latencyMs', 'lowerBoundSeconds', 'ratioToLowerBound', 'seconds']);
    expect(Object.keys(json.throttled ?? {}).sort()).toEqual(['accounts', 'achievedRps', 'allowedRps', 'failedAccounts']);
    expect(Object.keys(json.scale ?? {}).sort()).toEqual(['accounts', 'peakRssMb', 'seconds', 'usersPerAccount']);
    expect(json.machine).toMatchObject({ nproc: positive, cpuModel: expect.any(String), ramGb: positive, node: process.version });
  });

  it('processes every principal offline, and the hand-written baseline agrees with the engine', { timeout: 120_000 }, async () => {
    const { report, details } = await smoke();
    const { accounts, usersPerAccount } = SMOKE_SIZES.offline;
    expect(report.offline?.principals).toBe(accounts * (usersPerAccount + 1));
    expect(details.offline?.findings).toBeGreaterThan(0);
    expect(details.offline?.mismatchedAccounts).toBe(0);
    expect(report.offline?.seconds).toBeGreaterThan(0);
    expect(details.offline?.baselineSeconds).toBeGreaterThan(0);
    expect(report.offline?.ratioToBaseline).toBeGreaterThan(0);
    expect(report.offline?.peakRssMb).toBeGreaterThan(10);
  });

  it('streams the offline findings out as one valid JSON array', { timeout: 120_000 }, async () => {
    const { details } = await smoke();
    const findings = JSON.parse(readFileSync(join(dir, 'scratch', 'offline-findings.json'), 'utf8')) as { ruleId: string; fingerprint: string }[];
    expect(findings).toHaveLength(details.offline?.findings ?? -1);
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(findings.length);
    expect(findings.every((f) => typeof f.ruleId === 'string')).toBe(true);
  });

  it('scans every live account with AssumeRole + GetCredentialReport and a positive lower bound', { timeout: 120_000 }, async () => {
    const { report, details } = await smoke();
    const live = report.live;
    expect(live).toMatchObject({ accounts: SMOKE_SIZES.live.accounts, concurrency: SMOKE_SIZES.live.concurrency, latencyMs: SMOKE_SIZES.live.latencyMs });
    expect(details.live?.failed).toBe(0);
    // Members cost 2 calls; the management account, read with the caller's credentials, 1.
    expect(details.live?.callHistogram).toEqual({ 1: 1, 2: SMOKE_SIZES.live.accounts - 1 });
    const rounds = Math.ceil(SMOKE_SIZES.live.accounts / SMOKE_SIZES.live.concurrency);
    expect(live?.lowerBoundSeconds).toBeCloseTo((rounds * 2 * SMOKE_SIZES.live.latencyMs) / 1000, 2);
    expect(live?.seconds).toBeGreaterThan(0);
    expect(live?.ratioToLowerBound).toBeGreaterThanOrEqual(0.9);
  });

  it('generates and polls for reports when none exists', { timeout: 120_000 }, async () => {
    const { details } = await smoke();
    const generated = details.live?.generated;
    expect(generated).toMatchObject({ accounts: SMOKE_SIZES.live.generatedAccounts, scanned: SMOKE_SIZES.live.generatedAccounts, failed: 0 });
    // AssumeRole, GetCredentialReport (absent), GenerateCredentialReport and polls: more than the fresh path's 2.
    expect(generated?.callsPerAccount).toBeGreaterThan(3);
  });

  it('survives the token buckets without failed accounts', { timeout: 120_000 }, async () => {
    const { report, details } = await smoke();
    expect(report.throttled).toMatchObject({ accounts: SMOKE_SIZES.throttled.accounts, allowedRps: SMOKE_SIZES.throttled.assumeRoleRps, failedAccounts: 0 });
    expect(report.throttled?.achievedRps).toBeGreaterThan(0);
    expect(details.throttled?.assumeRoleOk).toBe(SMOKE_SIZES.throttled.accounts - 1);
  });

  it('completes the scale scenario and samples RSS as accounts finish', { timeout: 120_000 }, async () => {
    const { report, details } = await smoke();
    expect(report.scale).toMatchObject({ accounts: SMOKE_SIZES.scale.accounts, usersPerAccount: SMOKE_SIZES.scale.usersPerAccount });
    expect(details.scale?.scanned).toBe(SMOKE_SIZES.scale.accounts);
    expect(details.scale?.rssSamples.length).toBeGreaterThanOrEqual(10);
    expect(report.scale?.peakRssMb).toBeGreaterThan(10);
  });

  it('writes a Markdown summary with a verdict for every scenario', { timeout: 120_000 }, async () => {
    await smoke();
    const md = readFileSync(join(dir, 'out', 'latest.md'), 'utf8');
    for (const scenario of SCENARIOS) expect(md).toContain(`| ${scenario} |`);
    expect(md).toMatch(/Machine: \d+ cores/);
  });
});
