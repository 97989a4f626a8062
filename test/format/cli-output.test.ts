import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

const exampleOrg = resolve('examples/org');

describe('--output: the format from the file extension, "wrote FILE"', () => {
  it.each([
    ['result.json', (text: string) => expect(readResultText(text).schemaVersion).toBeDefined()],
    ['result.JSON', (text: string) => expect(text).toMatch(/^\{"schemaVersion":3,\n/)],
    ['findings.csv', (text: string) => expect(text).toMatch(/^account,account_name,/)],
    ['report.md', (text: string) => expect(text).toMatch(/^# credwarden: IAM credential hygiene report/)],
    ['report.markdown', (text: string) => expect(text).toMatch(/^# credwarden/)],
    ['scan.sarif', (text: string) => expect(text).toContain('"version": "2.1.0"')],
    ['junit.xml', (text: string) => expect(text).toMatch(/^<\?xml/)],
    ['scan.txt', (text: string) => expect(text).toMatch(/^credwarden .* · pack recommended/)],
    ['report.html', (text: string) => expect(text).toMatch(/^<!DOCTYPE html>/i)],
  ])('%s', async (name, check) => {
    const dir = tempDir();
    const run = await cli(['scan', '--from', exampleOrg, '--output', join(dir, name)]);
    expect(run.code, run.stderr).toBe(0);
    check(readFileSync(join(dir, name), 'utf8'));
    expect(run.stderr).toContain(`credwarden: wrote ${join(dir, name)}`);
    expect(readdirSync(dir)).toEqual([name]);
  });

  it('an explicit --format wins over the extension; names are case-insensitive and md is markdown', async () => {
    const dir = tempDir();
    expect((await cli(['scan', '--from', exampleOrg, '--format', 'JSON', '--output', join(dir, 'a.txt')])).code).toBe(0);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toMatch(/^\{/);
    const md = await cli(['scan', '--from', exampleOrg, '--format', 'md']);
    expect(md.stdout).toMatch(/^# credwarden/);
    const bad = await cli(['scan', '--from', exampleOrg, '--format', 'pdf']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('markdown (md)');
  });

  it('--quiet writes no "wrote" line', async () => {
    const dir = tempDir();
    const run = await cli(['scan', '--from', exampleOrg, '-q', '--output', join(dir, 'r.json')]);
    expect(run.stderr).toBe('');
  });
});

describe('a report that cannot be written leaves nothing behind', () => {
  it('--output naming a folder: exit 2, the folder untouched, no temporary file', async () => {
    const dir = tempDir();
    const target = join(dir, 'out.json');
    mkdirSync(target);
    writeFileSync(join(target, 'keep.txt'), 'x');
    const run = await cli(['scan', '--from', exampleOrg, '--output', target]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${target}: error: cannot write: it is a folder`);
    expect(readdirSync(dir)).toEqual(['out.json']);
    expect(readdirSync(target)).toEqual(['keep.txt']);
  });

  it("--output-dir: one report failing removes this run's files and the earlier reports of the set", async () => {
    const dir = tempDir();
    // An earlier run's reports, then a folder where this run's Markdown report must go.
    writeFileSync(join(dir, 'credwarden.json'), '{"old":true}');
    writeFileSync(join(dir, 'credwarden.csv'), 'old');
    writeFileSync(join(dir, 'unrelated.txt'), 'mine');
    mkdirSync(join(dir, 'credwarden.md'));
    const run = await cli(['scan', '--from', exampleOrg, '--format', 'json,csv,markdown', '--output-dir', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no report was written');
    expect(run.stderr).toContain('removed the earlier');
    expect(readdirSync(dir).sort()).toEqual(['credwarden.md', 'unrelated.txt']);
  });

  it('--output-dir: a companion an earlier run wrote is removed when this run does not need it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'credwarden-plans.md'), 'plans of an earlier, bigger scan');
    const run = await cli(['scan', '--from', exampleOrg, '--format', 'markdown', '--output-dir', dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual(['credwarden.md']);
    expect(readFileSync(join(dir, 'credwarden.md'), 'utf8')).toContain('## Remediation plans\n\n> credwarden never executes');
  });
});

describe('a failed gate says which gate and how many findings crossed it', () => {
  it('--fail-on', async () => {
    const run = await cli(['scan', '--from', exampleOrg, '--fail-on', 'high', '--format', 'json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('credwarden: gate --fail-on high failed: 4 open findings at or above high\n');
  });

  it('failOn in the config file, also with --quiet', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'credwarden.config.yaml'), 'failOn: critical\n');
    const run = await cli(['scan', '--from', exampleOrg, '--config', join(dir, 'credwarden.config.yaml'), '-q']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('credwarden: gate failOn: critical (config file) failed: 2 open findings at or above critical\n');
  });

  it('--fail-on-new, and the job summary says it too', async () => {
    const dir = tempDir();
    const baseline = join(dir, 'previous.json');
    expect((await cli(['scan', '--from', exampleOrg, '--as-of', '2026-09-01T00:00:00Z', '--output', baseline])).code).toBe(0);
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const run = await cli(['scan', '--from', exampleOrg, '--baseline', baseline, '--fail-on-new', '--format', 'github'], {
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(run.code).toBe(1);
    const line = /gate --fail-on-new failed: (\d+) new open findings?\n/.exec(run.stderr);
    expect(line).not.toBeNull();
    expect(readFileSync(summary, 'utf8')).toContain(`❌ Gate --fail-on-new failed: ${line?.[1]} new open finding`);
  });

  it('a passing gate is silent on stderr and reported in the job summary', async () => {
    const dir = tempDir();
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const run = await cli(['scan', '--from', exampleOrg, '--fail-on', 'none', '--format', 'github'], {
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const withGate = await cli(
      ['scan', '--from', join(exampleOrg, '555555555555-security-audit.2026-11-01T120000Z.csv'), '--fail-on', 'low', '--format', 'github'],
      { env: { GITHUB_STEP_SUMMARY: summary } },
    );
    expect(withGate.code, withGate.stderr).toBe(0);
    expect(readFileSync(summary, 'utf8')).toContain('✅ Gate --fail-on low passed: no open finding at or above low');
  });
});

describe('--report-rows', () => {
  it('lists that many findings in full, then counts the rest and says where they are', async () => {
    const run = await cli(['scan', '--from', exampleOrg, '--format', 'markdown', '--report-rows', '3']);
    const rows = run.stdout.split('\n').filter((l) => /^\| `\d{12}` \S.* \| (open|waived)/.test(l));
    expect(rows).toHaveLength(3);
    expect(run.stdout).toContain('> 15 of 18 findings are counted but not listed here.');
    expect(run.stdout).toContain('--format csv');
    expect((await cli(['scan', '--from', exampleOrg, '--report-rows', 'lots'])).code).toBe(2);
  });
});

describe('streaming to stdout', () => {
  it('writes several formats as one set and says what it wrote', async () => {
    const dir = tempDir();
    const run = await cli(['scan', '--from', exampleOrg, '--format', 'json,md', '--output-dir', dir]);
    expect(run.stderr).toBe(`credwarden: wrote ${join(dir, 'credwarden.json')}\ncredwarden: wrote ${join(dir, 'credwarden.md')}\n`);
    expect(existsSync(join(dir, 'credwarden.md'))).toBe(true);
  });
});
