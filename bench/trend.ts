/**
 * The trend scenario (issue 20 item 11): `credwarden trend` over two results in which every
 * finding of the first is resolved in the second, through the binary. trend was quadratic in
 * resolved findings (40,000 took 2 s, 200,000 took 174 s); linear, the time grows with the
 * size of the results. The results are generated here, before the measured process starts.
 */
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { runCredwarden, type BinaryRun } from './binary.js';

/** The trend section of latest.json. */
export interface TrendSection {
  /** Findings resolved between the two results. */
  resolved: number;
  seconds: number;
  peakRssMb: number | null;
  exitCode: number;
}

const ACCOUNT = '222222222222';
const FRAMEWORKS = { 'cis-aws-3.0': [], 'cis-aws-5.0': [], 'aws-security-hub': [], 'aws-config': [] };

function finding(i: number): string {
  const name = `user-${i}`;
  return JSON.stringify({
    ruleId: 'access-key-unused',
    title: 'Access key unused',
    severity: 'high',
    accountId: ACCOUNT,
    principal: { type: 'user', name, arn: `arn:aws:iam::${ACCOUNT}:user/${name}` },
    credential: 'access_key_1',
    message: 'access key 1 unused for 120 days',
    evidence: {},
    frameworks: FRAMEWORKS,
    remediation: { procedure: 'deactivate-access-key' },
    status: 'open',
    fingerprint: `bench-trend-${i.toString(16).padStart(12, '0')}`,
  });
}

/** Writes a version 2 result with `count` findings, a finding at a time (it can be larger than one string). */
export function writeTrendResult(path: string, asOf: string, count: number): void {
  const fd = openSync(path, 'w');
  try {
    const head = {
      schemaVersion: 2,
      tool: { name: 'credwarden', version: '0.0.0-bench' },
      asOf,
      pack: 'recommended',
      rulesHash: 'bench',
      rules: [],
      accounts: [{ id: ACCOUNT, status: 'scanned' }],
      summary: {
        total: count,
        open: count,
        waived: 0,
        bySeverity: { critical: 0, high: count, medium: 0, low: 0, info: 0 },
        byRule: count > 0 ? { 'access-key-unused': count } : {},
        accounts: { scanned: 1, failed: 0, skipped: 0 },
      },
      plans: [],
    };
    writeSync(fd, `${JSON.stringify(head).slice(0, -1)},"findings":[`);
    for (let i = 0; i < count; i++) writeSync(fd, `${i > 0 ? ',' : ''}${finding(i)}`);
    writeSync(fd, ']}\n');
  } finally {
    closeSync(fd);
  }
}

/** Trend: two results, `resolved` findings in the first and none in the second, measured as a process. */
export async function trendScenario(
  sizes: { resolved: number },
  env: { scratchDir: string; log(line: string): void },
): Promise<{ section: TrendSection; details: BinaryRun }> {
  env.log(`trend: ${sizes.resolved} findings resolved between two results, through the credwarden binary`);
  const dir = join(env.scratchDir, `trend-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const before = join(dir, 'before.json');
    const after = join(dir, 'after.json');
    writeTrendResult(before, '2026-09-01T00:00:00Z', sizes.resolved);
    writeTrendResult(after, '2026-10-01T00:00:00Z', 0);
    const run = await runCredwarden(['trend', before, after, '--format', 'json', '--output', join(dir, 'trend.json')]);
    if (run.exitCode !== 0) env.log(`trend: credwarden exited ${run.exitCode}: ${run.stderrTail.split('\n').slice(-3).join(' / ')}`);
    return {
      section: {
        resolved: sizes.resolved,
        seconds: Math.round(run.seconds * 1000) / 1000,
        peakRssMb: run.peakRssMb,
        exitCode: run.exitCode,
      },
      details: run,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
