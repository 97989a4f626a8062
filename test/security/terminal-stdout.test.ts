import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFixture, startSandbox } from '../../src/sandbox/index.js';
import { collectOrganization } from '../../src/collectors/aws/collect.js';
import { withDefaults } from '../../src/collectors/aws/options.js';
import { serialiseSnapshot } from '../../src/core/snapshot.js';
import type { Account } from '../../src/model/index.js';
import { cli, tempDir } from '../helpers/cli.js';
import { reportCsv } from '../helpers/reports.js';
import { CI_USERS_RULE } from '../helpers/user-rule.js';

// The human-readable stdout of explain, plan and rules quotes names from reports and rule
// files. A terminal or a CI runner must never obey them: ESC, BEL, NUL and C1 characters are
// shown visibly, and no line starts a GitHub workflow command.
const FIXTURE = fileURLToPath(new URL('../../examples/sandbox/recovery-org.json', import.meta.url));
const HOSTILE_USER = 'eve\x1b[31mred\x07\x00\u009b::add-mask::x';

function expectSafe(text: string): void {
  // eslint-disable-next-line no-control-regex
  expect(text).not.toMatch(/[\x00\x07\x1b\u009b]/);
  expect(text.split('\n').some((line) => /^[ \t]*::/.test(line))).toBe(false);
}

/** A saved credential report with a hostile user name (with keys, so that rules find it). */
function hostileReport(): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'report.csv'),
    reportCsv([{ user: HOSTILE_USER, password_enabled: 'true', mfa_active: 'false', password_last_used: '2026-10-01T00:00:00+00:00' }]),
  );
  return dir;
}

/** A rules folder whose one rule has a hostile title, and a case that fails. */
function hostileRules(folderName: string): { dir: string; rules: string } {
  const dir = tempDir();
  const rules = join(dir, folderName);
  mkdirSync(join(rules, 'tests'), { recursive: true });
  const title = 'title: "Hostile \\e[31m red \\a bell \\0 nul \\x9b c1\\n::add-mask::secret"';
  writeFileSync(join(rules, 'ci-users-need-path.yaml'), CI_USERS_RULE.replace(/^title: .*$/m, title));
  writeFileSync(
    join(rules, 'tests', 'ci-users-need-path.cases.yaml'),
    [
      'asOf: "2026-11-01T00:00:00Z"',
      'valid:',
      '  - name: "keyed user outside /ci/ \\e[2J"',
      '    rows: [{ user: bot, password_enabled: false, access_key_1_active: true, access_key_1_last_rotated: T-5d }]',
      'invalid:',
      '  - name: keyed user outside /ci/',
      '    rows: [{ user: bot, password_enabled: false, access_key_1_active: true, access_key_1_last_rotated: T-5d }]',
      '    findings: [{ principal: bot }]',
    ].join('\n'),
  );
  return { dir, rules };
}

describe('human-readable stdout is terminal-safe', () => {
  it('plan (Markdown to a terminal, to a pipe and to a file)', async () => {
    const dir = hostileReport();
    for (const tty of [true, false]) {
      const run = await cli(['plan', '--from', 'report.csv'], { cwd: dir, tty });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('\\x1b[31mred');
      expectSafe(run.stdout);
    }
    const written = await cli(['plan', '--from', 'report.csv', '-o', 'plans.md'], { cwd: dir });
    expect(written.code).toBe(0);
    const file = readFileSync(join(dir, 'plans.md'), 'utf8');
    expect(file).toContain('\\x1b[31mred');
    expectSafe(file);
  });

  it('explain', async () => {
    // The recovery sandbox organisation, with its user "analyst" renamed to the hostile name.
    const fixture = readFileSync(FIXTURE, 'utf8').replaceAll('analyst', JSON.stringify(HOSTILE_USER).slice(1, -1));
    const dir = tempDir();
    writeFileSync(join(dir, 'org.json'), fixture);
    const box = await startSandbox({ fixture: loadFixture(join(dir, 'org.json')) });
    try {
      const options = withDefaults({
        selection: { mode: 'org' },
        context: 'all',
        aws: { endpoints: { iam: box.endpoint, sts: box.endpoint, organizations: box.endpoint }, credentials: box.credentials },
      });
      const accounts: Account[] = [];
      for await (const event of collectOrganization(options)) if (event.type === 'scanned') accounts.push(event.account);
      writeFileSync(join(dir, 'snap.json'), serialiseSnapshot({ schemaVersion: 1, accounts }));
    } finally {
      await box.close();
    }
    const run = await cli(['explain', `arn:aws:iam::300000000003:user/${HOSTILE_USER}`, '--snapshot', 'snap.json'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\\x1b[31mred');
    expectSafe(run.stdout);
  });

  it('rules show and list', async () => {
    const { dir } = hostileRules('rules');
    const show = await cli(['rules', 'show', 'ci-users-need-path', '--rules', 'rules'], { cwd: dir });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Hostile \\x1b[31m red \\x07 bell \\x00 nul \\x9b c1');
    expectSafe(show.stdout);
    const list = await cli(['rules', 'list', '--rules', 'rules'], { cwd: dir });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('Hostile \\x1b[31m');
    expectSafe(list.stdout);
  });

  it('rules validate and rules test name a hostile folder visibly', async () => {
    const { dir } = hostileRules('::add-mask::x\x1b[31m');
    const validate = await cli(['rules', 'validate', '::add-mask::x\x1b[31m'], { cwd: dir });
    expect(validate.stdout).toContain('\\x1b[31m');
    expectSafe(validate.stdout);
    const test = await cli(['rules', 'test', '::add-mask::x\x1b[31m'], { cwd: dir });
    expect(test.stderr).toBe('');
    expect(test.code).toBe(1);
    expect(test.stdout).toContain('\\x3a:add-mask::x\\x1b[31m');
    expectSafe(test.stdout);
  });
});
