/** `credwarden trend`: figures over a series of real scans of a changing organisation. */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/index.js';
import { buildTrend, type Trend } from '../../src/core/trend/index.js';
import { cli, tempDir } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

const PAYMENTS = '222222222222-payments-prod.2026-11-01T120000Z.csv';
const AUDIT = '555555555555-security-audit.2026-11-01T120000Z.csv';

async function scan(from: string, asOf: string, out: string, extra: string[] = []): Promise<ScanResult> {
  const run = await cli(['scan', '--from', from, '--as-of', asOf, '--format', 'json', '--output', out, '--quiet', ...extra]);
  expect(run.code, run.stderr).toBeLessThan(2);
  return readResultText(readFileSync(out, 'utf8'));
}

/**
 * Three monthly scans: in the second, carol's user was deleted (her findings are resolved);
 * in the third, the security-audit account is no longer scanned.
 */
async function series(): Promise<{ dir: string; results: ScanResult[] }> {
  const dir = tempDir();
  const org = join(dir, 'org');
  cpSync('examples/org', org, { recursive: true });
  const history = join(dir, 'history');
  const first = await scan(org, '2026-09-01T12:00:00Z', join(history, '2026-09.json'));
  const csv = join(org, PAYMENTS);
  writeFileSync(
    csv,
    readFileSync(csv, 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('carol,'))
      .join('\n'),
  );
  const second = await scan(org, '2026-10-01T12:00:00Z', join(history, '2026-10.json'));
  rmSync(join(org, AUDIT));
  const third = await scan(org, '2026-11-01T12:00:00Z', join(history, '2026-11.json'));
  return { dir, results: [first, second, third] };
}

const fingerprints = (r: ScanResult) => new Set(r.findings.map((f) => f.fingerprint));

describe('trend', () => {
  it('shows open findings by severity, new and resolved by fingerprint, per scan', async () => {
    const { dir, results } = await series();
    const run = await cli(['trend', join(dir, 'history'), '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const trend = JSON.parse(run.stdout) as Trend;
    expect(trend.points.map((p) => p.asOf)).toEqual(['2026-09-01T12:00:00Z', '2026-10-01T12:00:00Z', '2026-11-01T12:00:00Z']);
    trend.points.forEach((point, i) => {
      const result = results[i] as ScanResult;
      expect(point.open).toEqual(result.summary.bySeverity);
      expect(point.openTotal).toBe(result.summary.open);
    });
    const [a, b] = results.map(fingerprints) as [Set<string>, Set<string>];
    const resolved = [...a].filter((f) => !b.has(f));
    expect(resolved.length).toBeGreaterThan(0);
    expect(trend.points[1]).toMatchObject({ new: [...b].filter((f) => !a.has(f)).length, resolved: resolved.length });
    expect(trend.points[0]?.new).toBe(a.size);
  });

  it('measures time to remediate per rule and lists the oldest open findings and the accounts no longer scanned', async () => {
    const { dir, results } = await series();
    const trend = JSON.parse((await cli(['trend', join(dir, 'history'), '--format', 'json'])).stdout) as Trend;
    // carol's console-user-without-mfa: first seen 2026-09-01, gone on 2026-10-01: 30 days.
    const mfa = trend.rules.find((r) => r.ruleId === 'console-user-without-mfa');
    expect(mfa).toMatchObject({ resolved: 1, medianDays: 30, worstDays: 30 });
    expect(mfa?.stillOpen).toBe(
      (results[2] as ScanResult).findings.filter((f) => f.ruleId === 'console-user-without-mfa' && f.status === 'open').length,
    );
    expect(trend.oldestOpen[0]).toMatchObject({ ageDays: 61, firstSeen: '2026-09-01T12:00:00Z' });
    expect(trend.oldestOpen.length).toBeLessThanOrEqual(10);
    expect(trend.lostAccounts).toEqual([
      { accountId: '555555555555', name: 'security-audit', lastScanned: '2026-10-01T12:00:00Z', now: 'absent' },
    ]);
  });

  it('does not count the findings of an account that was not scanned as resolved', async () => {
    const { results } = await series();
    const [first, second] = results as [ScanResult, ScanResult];
    // The payments account failed in the second scan: its findings are unknown, not resolved.
    const failed: ScanResult = {
      ...second,
      findings: second.findings.filter((f) => f.accountId !== '222222222222'),
      accounts: second.accounts.map((a) => (a.id === '222222222222' ? { id: a.id, status: 'failed' as const, reason: 'AccessDenied' } : a)),
    };
    const payments = first.findings.filter((f) => f.accountId === '222222222222').length;
    expect(payments).toBeGreaterThan(0);
    const trend = buildTrend([
      { label: 'a', result: first },
      { label: 'b', result: failed },
      { label: 'c', result: results[2] as ScanResult },
    ]);
    expect(trend.points[1]?.resolved).toBe(0);
    // When it is scanned again, only what is really gone counts (carol's findings), once.
    const gone = [...fingerprints(first)].filter(
      (f) =>
        !fingerprints(results[2] as ScanResult).has(f) && first.findings.find((x) => x.fingerprint === f)?.accountId === '222222222222',
    );
    expect(trend.points[2]?.resolved).toBe(gone.length);
  });

  it('takes results in any order, of both schema versions, and unmerged shards of one scan', async () => {
    const dir = tempDir();
    const v1 = 'test/fixtures/results/example-org.v1.json';
    const shard1 = await scan('examples/org', '2026-12-01T12:00:00Z', join(dir, 's1.json'), ['--shard', '1/2']);
    const shard2 = await scan('examples/org', '2026-12-01T12:00:00Z', join(dir, 's2.json'), ['--shard', '2/2']);
    const whole = await scan('examples/org', '2026-12-01T12:00:00Z', join(dir, 'whole.json'));
    const run = await cli(['trend', join(dir, 's2.json'), v1, join(dir, 's1.json'), '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const trend = JSON.parse(run.stdout) as Trend;
    expect(trend.points).toHaveLength(2);
    expect(trend.points[1]?.openTotal).toBe(whole.summary.open);
    expect(trend.points[1]?.openTotal).toBe(shard1.summary.open + shard2.summary.open);
    expect(trend.points[1]?.label).toContain('+');
    // A missing shard is refused, not shown as a drop in findings.
    const missing = await cli(['trend', v1, join(dir, 's1.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shard/i);
  });

  it('skips JSON files in a folder that are not results, and refuses an invalid result', async () => {
    const { dir } = await series();
    writeFileSync(join(dir, 'history', 'findings.asff.json'), '[]');
    const run = await cli(['trend', join(dir, 'history')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('skipped');
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ schemaVersion: 2, tool: { name: 'credwarden' } }));
    const broken = await cli(['trend', join(dir, 'history'), join(dir, 'broken.json')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('broken.json');
  });

  it('writes Markdown for a job summary and a self-contained HTML page with charts', async () => {
    const { dir } = await series();
    const md = await cli(['trend', join(dir, 'history'), '--format', 'markdown']);
    expect(md.stdout).toMatch(/^## credwarden trend \(3 scans\)/);
    expect(md.stdout).toContain('| 2026-10-01 |');
    expect(md.stdout).toContain('### Time to remediate');
    const html = await cli(['trend', join(dir, 'history'), '--format', 'html']);
    expect(html.stdout).toContain('http-equiv="Content-Security-Policy"');
    expect(html.stdout).toMatch(/<svg[^>]+role="img"/);
    expect(html.stdout.match(/<table/g)?.length).toBeGreaterThanOrEqual(2);
    // Nothing to fetch: the only URL is the SVG namespace.
    expect(html.stdout.replace(/http:\/\/www\.w3\.org\/2000\/svg/g, '')).not.toMatch(/https?:\/\//);
  });
});
