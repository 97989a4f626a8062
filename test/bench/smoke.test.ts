import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBench, type BenchReport } from '../../bench/main.js';
import { SMOKE_SIZES } from '../../bench/sizes.js';
import { countInFile } from '../../bench/scenarios.js';
import type { BenchDetails } from '../../bench/markdown.js';

/**
 * The seconds-long version of `npm run bench`: every default scenario at tiny sizes, so the
 * benchmark cannot rot. offline and live run the built binary (dist/), as the benchmark does.
 * Structure and sensible values only: no timing target is asserted, and the hand-written
 * baseline (--verify, which restates every rule message) is not run here.
 */
const dir = mkdtempSync(join(tmpdir(), 'credwarden-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let run: Promise<{ report: BenchReport; details: BenchDetails }> | undefined;
function smoke() {
  run ??= runBench({
    sizes: SMOKE_SIZES,
    outDir: join(dir, 'out'),
    label: 'smoke',
    env: { inProcess: true, workers: 0, scratchDir: join(dir, 'scratch'), verify: false, pack: 'recommended', log: () => undefined },
  });
  return run;
}

const positive = expect.any(Number);

describe('npm run bench, smoke sizes', () => {
  it('start-up: node alone, --version, --help and rules test, measured through the binary', { timeout: 120_000 }, async () => {
    const { report } = await smoke();
    const startup = report.startup!;
    expect(startup.commands.map((c) => c.name)).toEqual([
      'node -e 0',
      'credwarden --version',
      'credwarden --help',
      'credwarden rules test DIR (one rule)',
    ]);
    expect(startup.commands.map((c) => c.targetWallMs)).toEqual([null, 150, 150, 500]);
    for (const command of startup.commands) {
      expect(command.wallMs).toHaveLength(SMOKE_SIZES.startup.runs);
      expect(command.medianWallMs).toBeGreaterThan(0);
      expect(command.medianCpuMs).toBeGreaterThan(0);
    }
    expect(startup.loadAverageBefore).toHaveLength(3);
  });

  it('writes latest.json with a section per scenario, baseline only with --verify', { timeout: 120_000 }, async () => {
    await smoke();
    const json = JSON.parse(readFileSync(join(dir, 'out', 'latest.json'), 'utf8')) as BenchReport;
    expect(Object.keys(json).sort()).toEqual([
      'baseline',
      'live',
      'machine',
      'offline',
      'offlinePeakRatio',
      'offlineRuns',
      'scale',
      'startup',
      'throttled',
      'trend',
    ]);
    expect(json.baseline).toBeNull();
    expect(Object.keys(json.offline ?? {}).sort()).toEqual([
      'csvBytes',
      'exitCode',
      'findings',
      'jobs',
      'jsonBytes',
      'jsonBytesPerFinding',
      'loadAverage1mAfter',
      'loadAverage1mBefore',
      'markdownBytes',
      'peakRssMb',
      'plansBytes',
      'principals',
      'principalsPerSecond',
      'sarifBytes',
      'seconds',
      'targetsBytes',
    ]);
    expect(Object.keys(json.live ?? {}).sort()).toEqual([
      'accounts',
      'callsPerAccount',
      'concurrency',
      'cpuSeconds',
      'exitCode',
      'jobs',
      'latencyMs',
      'lowerBoundSeconds',
      'peakRssMb',
      'ratioToLowerBound',
      'sandboxCpuSeconds',
      'seconds',
    ]);
    expect(Object.keys(json.throttled ?? {}).sort()).toEqual(['accounts', 'achievedRps', 'allowedRps', 'failedAccounts']);
    expect(Object.keys(json.scale ?? {}).sort()).toEqual(['accounts', 'peakRssMb', 'seconds', 'usersPerAccount']);
    expect(json.machine).toMatchObject({ nproc: positive, cpuModel: expect.any(String), ramGb: positive, node: process.version });
  });

  it('runs the credwarden binary on the saved reports and measures the process', { timeout: 120_000 }, async () => {
    const { report, details } = await smoke();
    const { accounts, usersPerAccount } = SMOKE_SIZES.offline;
    const offline = report.offline!;
    expect(details.offline?.argv.slice(0, 2)).toEqual(['scan', '--from']);
    expect(details.offline?.argv.filter((a, i, all) => all[i - 1] === '--format')).toEqual(['json', 'sarif', 'markdown', 'csv']);
    expect(offline.exitCode, details.offline?.stderrTail).toBe(0);
    expect(offline.principals).toBe(accounts * (usersPerAccount + 1));
    expect(offline.findings).toBeGreaterThan(0);
    expect([offline.jsonBytes, offline.sarifBytes, offline.markdownBytes, offline.csvBytes].every((b) => b !== null && b > 0)).toBe(true);
    expect(offline.jsonBytesPerFinding).toBe(Math.round(offline.jsonBytes! / offline.findings!));
    expect(offline.seconds).toBeGreaterThan(0);
    if (process.platform === 'linux') expect(offline.peakRssMb).toBeGreaterThan(10);
  });

  it('counts findings in a JSON file read in chunks, across chunk boundaries', async () => {
    const file = join(dir, 'count.json');
    writeFileSync(file, `[${Array.from({ length: 300_000 }, (_, i) => `{"ruleId":"r${i}"}`).join(',')}]`);
    expect(await countInFile(file, '"ruleId"')).toBe(300_000);
  });

  it('scans every live account through the binary with AssumeRole + GetCredentialReport', { timeout: 120_000 }, async () => {
    const { report, details } = await smoke();
    const live = report.live!;
    expect(live).toMatchObject({
      accounts: SMOKE_SIZES.live.accounts,
      concurrency: SMOKE_SIZES.live.concurrency,
      latencyMs: SMOKE_SIZES.live.latencyMs,
      exitCode: 0,
    });
    expect(details.live?.run.argv).toEqual(expect.arrayContaining(['scan', '--org', '--endpoint-url']));
    // Members cost AssumeRole + GetCredentialReport; the management account, read with the caller's credentials, only the report.
    expect(details.live?.operations.AssumeRole).toBe(SMOKE_SIZES.live.accounts - 1);
    expect(details.live?.operations.GetCredentialReport).toBe(SMOKE_SIZES.live.accounts);
    const rounds = Math.ceil(SMOKE_SIZES.live.accounts / SMOKE_SIZES.live.concurrency);
    expect(live.lowerBoundSeconds).toBeCloseTo((rounds * 2 * SMOKE_SIZES.live.latencyMs) / 1000, 2);
    expect(live.ratioToLowerBound).toBeGreaterThan(0);
    // CPU time from /proc (Linux): the binary's, and the bench's own (the sandbox) meanwhile.
    if (process.platform === 'linux') expect(live.cpuSeconds).toBeGreaterThan(0);
    expect(live.sandboxCpuSeconds).toBeGreaterThan(0);
  });

  it('generates and polls for reports when none exists', { timeout: 120_000 }, async () => {
    const { details } = await smoke();
    const generated = details.live!.generated;
    expect(generated).toMatchObject({ accounts: SMOKE_SIZES.live.generatedAccounts });
    expect(generated.run.exitCode).toBe(0);
    // Successful calls: AssumeRole, GenerateCredentialReport and the poll that returns the report: more than the fresh path's 2.
    expect(generated.callsPerAccount).toBeGreaterThan(2.5);
  });

  it('survives the token buckets without failed accounts', { timeout: 120_000 }, async () => {
    const { report, details } = await smoke();
    expect(report.throttled).toMatchObject({
      accounts: SMOKE_SIZES.throttled.accounts,
      allowedRps: SMOKE_SIZES.throttled.assumeRoleRps,
      failedAccounts: 0,
    });
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

  it('runs trend through the binary over results whose findings are all resolved', { timeout: 120_000 }, async () => {
    const { report, details } = await smoke();
    expect(report.trend).toMatchObject({ resolved: SMOKE_SIZES.trend.resolved, exitCode: 0 });
    expect(details.trend?.argv[0]).toBe('trend');
  });

  it('writes a Markdown summary with a verdict for every scenario run', { timeout: 120_000 }, async () => {
    await smoke();
    const md = readFileSync(join(dir, 'out', 'latest.md'), 'utf8');
    for (const scenario of ['offline', 'live', 'throttled', 'scale', 'trend']) expect(md).toContain(`| ${scenario} |`);
    expect(md).not.toContain('| baseline');
    expect(md).toMatch(/Machine: \d+ cores/);
  });
});
