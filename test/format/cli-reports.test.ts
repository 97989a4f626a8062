import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { writeUserRule } from '../helpers/user-rule.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

const WAIVERS = `waivers:
  - rule: root-access-key-exists
    account: '222222222222'
    principal: 'arn:aws:iam::222222222222:root'
    reason: Legacy batch job; migration ticket SEC-101
    approvedBy: ciso@example.com
    expires: 2026-12-31
  - rule: root-mfa-disabled
    account: '222222222222'
    principal: '<root_account>'
    reason: MFA device on order
    expires: 2026-11-01
  - rule: console-user-without-mfa
    account: '*'
    principal: departed-*
    reason: leavers are deleted weekly
    expires: 2027-01-31
`;

describe('scan --format (repeatable) and --output-dir', () => {
  it('writes every format to the folder in one run', async () => {
    const dir = tempDir();
    const run = await cli([
      'scan',
      '--from',
      'examples/org',
      '--format',
      'json',
      '--format',
      'csv,markdown',
      '--format',
      'sarif',
      '--format',
      'junit',
      '--output-dir',
      dir,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      'credwarden-controls.csv',
      'credwarden.csv',
      'credwarden.json',
      'credwarden.md',
      'credwarden.sarif',
      'credwarden.xml',
    ]);
    expect(readResultText(readFileSync(join(dir, 'credwarden.json'), 'utf8')).findings.length).toBeGreaterThan(0);
    expect(run.stdout).toBe('');
  });

  it('defaults to reports/ for several formats, and prints GitHub annotations to stdout', async () => {
    const cwd = tempDir();
    const summary = join(cwd, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const from = join(process.cwd(), 'examples/org');
    const run = await cli(['scan', '--from', from, '--format', 'github', '--format', 'markdown'], {
      cwd,
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(cwd, 'reports', 'credwarden.md'))).toBe(true);
    expect(run.stdout).toMatch(/^::error title=CRITICAL root-access-key-exists%3A /m);
    const text = readFileSync(summary, 'utf8');
    expect(text).toMatch(/^# earlier step\n## credwarden: ⚠️ 18 open findings/);
  });

  it('refuses --output with --output-dir', async () => {
    const run = await cli(['scan', '--from', 'examples/org', '--output', 'x.json', '--output-dir', 'y']);
    expect(run.code).toBe(2);
  });
});

describe('SARIF locations of user rules', () => {
  it('are relative to the working folder (the repository in CI)', async () => {
    const cwd = tempDir();
    writeUserRule(cwd, 'policies');
    const run = await cli(['scan', '--from', join(process.cwd(), 'examples/org'), '--rules', 'policies', '--format', 'sarif'], { cwd });
    const log = JSON.parse(run.stdout) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const uris = new Set(
      log.runs[0]?.results
        .filter((r) => r.ruleId === 'ci-users-need-path')
        .map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri),
    );
    expect([...uris]).toEqual(['policies/ci-users-need-path.yaml']);
  });
});

describe('scan --waivers', () => {
  it('waives, reports expired and stale waivers, and keeps waived findings out of the gate', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'waivers.yaml'), WAIVERS);
    const run = await cli(
      ['scan', '--from', 'examples/org', '--waivers', join(dir, 'waivers.yaml'), '--format', 'json', '--fail-on', 'critical'],
      { now: new Date('2026-11-02T00:00:00Z') },
    );
    const result = readResultText(run.stdout);
    expect(result.waivers?.map((w) => w.state)).toEqual(['active', 'expired', 'stale']);
    expect(result.findings.find((f) => f.ruleId === 'root-access-key-exists')?.status).toBe('waived');
    // The expired waiver no longer hides the root MFA finding, so the gate still fails.
    expect(result.findings.find((f) => f.ruleId === 'root-mfa-disabled')?.status).toBe('open');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${join(dir, 'waivers.yaml')}:8: warning: waiver expired on 2026-11-01`);
    expect(run.stderr).toContain('matches no finding (stale)');
  });

  it('judges expiry and the horizon at --as-of when given, else now', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'waivers.yaml'), WAIVERS);
    const args = ['scan', '--from', 'examples/org', '--waivers', join(dir, 'waivers.yaml'), '--format', 'json', '--quiet'];
    const states = async (extra: string[], now: string) => {
      const run = await cli([...args, ...extra], { now: new Date(now) });
      expect(run.code, run.stderr).toBe(0);
      return readResultText(run.stdout).waivers?.map((w) => w.state);
    };
    expect(await states(['--as-of', '2026-10-01T00:00:00Z'], '2030-01-01T00:00:00Z')).toEqual(['active', 'active', 'stale']);
    expect(await states([], '2027-01-01T00:00:00Z')).toEqual(['expired', 'expired', 'stale']);
    const horizon = await cli([...args, '--waiver-max-days', '30'], { now: new Date('2026-11-02T00:00:00Z') });
    expect(horizon.code).toBe(2);
    expect(horizon.stderr).toContain('more than 30 days after');
  });

  it('exits 2 with file, line and pointer for an invalid waivers file, writing nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'waivers.yaml'), WAIVERS.replace('    reason: MFA device on order\n', ''));
    const run = await cli([
      'scan',
      '--from',
      'examples/org',
      '--waivers',
      join(dir, 'waivers.yaml'),
      '--format',
      'json',
      '--output',
      join(dir, 'out.json'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(dir, 'waivers.yaml')}:8:5 at /waivers/1: error: missing required property 'reason'`);
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
  });
});

describe('scan --baseline / --fail-on-new and credwarden diff', () => {
  it('gates only on new findings', async () => {
    const dir = tempDir();
    const baseline = join(dir, 'previous.json');
    // An older scan (as of two months earlier) has fewer findings.
    expect(
      (await cli(['scan', '--from', 'examples/org', '--as-of', '2026-09-01T00:00:00Z', '--format', 'json', '--output', baseline])).code,
    ).toBe(0);
    const same = await cli(['scan', '--from', 'examples/org', '--as-of', '2026-09-01T00:00:00Z', '--baseline', baseline, '--fail-on-new']);
    expect(same.code, same.stderr).toBe(0);
    const later = await cli(['scan', '--from', 'examples/org', '--baseline', baseline, '--fail-on-new', '--format', 'json']);
    const result = readResultText(later.stdout);
    expect(result.summary.new).toBeGreaterThan(0);
    expect(later.code).toBe(1);
    const diff = await cli(['diff', baseline, join(dir, 'none.json')]);
    expect(diff.code).toBe(2);
    const current = join(dir, 'current.json');
    writeFileSync(current, later.stdout);
    const text = await cli(['diff', baseline, current]);
    expect(text.stdout).toMatch(new RegExp(`^credwarden diff: ${result.summary.new} new, `));
    const md = await cli(['diff', baseline, current, '--format', 'markdown']);
    expect(md.stdout).toContain('### New findings');
  });

  it('needs --baseline for --fail-on-new', async () => {
    const run = await cli(['scan', '--from', 'examples/org', '--fail-on-new']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--fail-on-new needs --baseline');
  });
});
