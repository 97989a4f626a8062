import { existsSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import resultSchema from '../../schemas/result.schema.json' with { type: 'json' };
import type { ScanResult } from '../../src/model/index.js';
import { cli, tempDir } from '../helpers/cli.js';
import { realReportsDir } from '../helpers/reports.js';
import { writeUserRule } from '../helpers/user-rule.js';
import { readResultText } from '../helpers/result.js';

const exampleOrg = resolve('examples/org');

describe('credwarden scan --from', () => {
  it('prints findings grouped by account and principal, with a summary line', async () => {
    const { code, stdout } = await cli(['scan', '--from', exampleOrg]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^222222222222 {2}payments-prod/m);
    expect(stdout).toMatch(/^ {2}deploy-bot {2}arn:aws:iam::222222222222:user\/ci\/deploy-bot$/m);
    expect(stdout).toMatch(/CRITICAL {2}root-access-key-exists +access_key_1/);
    expect(stdout).toMatch(
      /^Summary: 18 open findings \(2 critical, 2 high, 12 medium, 2 low\) · rules: 10 failed, 0 passed, 12 not evaluated · 4 accounts scanned$/m,
    );
    expect(stdout).not.toContain('\u001b[');
  });

  it('colours only on a TTY and respects NO_COLOR', async () => {
    expect((await cli(['scan', '--from', exampleOrg], { tty: true })).stdout).toContain('\u001b[1;31m');
    expect((await cli(['scan', '--from', exampleOrg], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
  });

  it('writes a schema-valid JSON result with --format json --output', async () => {
    const dir = tempDir();
    const { code, stdout } = await cli(['scan', '--from', exampleOrg, '--format', 'json', '--output', join(dir, 'result.json')]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const result = readResultText(readFileSync(join(dir, 'result.json'), 'utf8'));
    const validate = new Ajv({ strict: false }).compile(resultSchema);
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
    expect(result.tool.name).toBe('credwarden');
    expect(result.pack).toBe('recommended');
    expect(result.summary.bySeverity).toEqual({ critical: 2, high: 2, medium: 12, low: 2, info: 0 });
    expect(result.accounts.map((a) => [a.id, a.name, a.status, a.reportGeneratedTime])).toContainEqual([
      '222222222222',
      'payments-prod',
      'scanned',
      '2026-11-01T12:00:00Z',
    ]);
    const rootKey = result.findings.find((f) => f.ruleId === 'root-access-key-exists');
    expect(rootKey).toMatchObject({
      severity: 'critical',
      accountId: '222222222222',
      accountName: 'payments-prod',
      principal: { type: 'root', name: '<root_account>', arn: 'arn:aws:iam::222222222222:root' },
      credential: 'access_key_1',
      frameworks: {
        'cis-aws-3.0': ['1.4'],
        'cis-aws-5.0': ['1.3'],
        'aws-security-hub': ['IAM.4'],
        'aws-config': ['iam-root-access-key-check'],
      },
      remediation: { procedure: 'delete-root-access-key' },
      status: 'open',
      evidence: { 'key.active': true, 'key.ageDays': 1500 },
    });
    expect(rootKey?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives the same fingerprints on a later scan, whatever the ages', async () => {
    const first = readResultText((await cli(['scan', '--from', exampleOrg, '--format', 'json'])).stdout);
    const later = readResultText((await cli(['scan', '--from', exampleOrg, '--format', 'json', '--as-of', '2026-11-03T00:00:00Z'])).stdout);
    const prints = (r: ScanResult) => new Set(r.findings.filter((f) => f.ruleId !== 'root-used-recently').map((f) => f.fingerprint));
    expect(prints(later)).toEqual(prints(first));
    expect(new Set(first.findings.map((f) => f.fingerprint)).size).toBe(first.findings.length);
  });

  it('gates with --fail-on', async () => {
    expect((await cli(['scan', '--from', exampleOrg, '--fail-on', 'critical'])).code).toBe(1);
    const clean = join(exampleOrg, '555555555555-security-audit.2026-11-01T120000Z.csv');
    expect((await cli(['scan', '--from', clean, '--fail-on', 'low'])).code).toBe(0);
    expect((await cli(['scan', '--from', exampleOrg, '--fail-on', 'none'])).code).toBe(0);
  });

  it('evaluates at --as-of instead of the report time', async () => {
    const file = join(realReportsDir, 'uppercase-booleans.2020-04-02T162057Z.csv');
    const atReport = readResultText((await cli(['scan', '--from', file, '--format', 'json'])).stdout);
    const later = readResultText((await cli(['scan', '--from', file, '--format', 'json', '--as-of', '2020-04-03'])).stdout);
    expect(atReport.findings.map((f) => `${f.ruleId}/${f.credential}`)).toEqual([
      'access-key-not-rotated/access_key_1',
      'unused-credentials/access_key_1',
    ]);
    expect(later.asOf).toBe('2020-04-03T00:00:00Z');
    // Before the report was generated, ages are negative: evaluated, with a clear warning.
    const early = await cli(['scan', '--from', file, '--format', 'json', '--as-of', '2019-10-01T00:00:00Z']);
    expect(early.code).toBe(0);
    expect(readResultText(early.stdout).findings).toEqual([]);
    expect(early.stderr).toContain('--as-of 2019-10-01T00:00:00Z is before this report of account');
    expect(early.stderr).toContain('the findings describe neither time');
    expect(early.stderr).not.toContain('cannot find anything');
  });

  it('says the truth about an --as-of before the reports: older credentials still fire', async () => {
    const early = await cli(['scan', '--from', exampleOrg, '--format', 'json', '--as-of', '2026-08-01T12:00:00Z']);
    const findings = readResultText(early.stdout).findings;
    expect(findings.length).toBeGreaterThan(0);
    expect(early.stderr).toContain('older credentials still age and can fire');
  });

  it('saves a snapshot that `evaluate` turns into the same findings', async () => {
    const dir = tempDir();
    const snapshot = join(dir, 'snapshot.json');
    const scan = await cli(['scan', '--from', exampleOrg, '--format', 'json', '--save-snapshot', snapshot]);
    const again = await cli(['evaluate', snapshot, '--format', 'json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(scan.stdout));
  });

  it('uses credwarden.config.yaml from the working folder', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'credwarden.config.yaml'),
      'pack: cis-aws-3.0\nfailOn: high\nrules:\n  access-key-not-rotated:\n    severity: high\n    parameters: { maxAgeDays: 365 }\n',
    );
    const { code, stdout } = await cli(['scan', '--from', exampleOrg, '--format', 'json'], { cwd: dir });
    const result = readResultText(stdout);
    expect(code).toBe(1);
    expect(result.pack).toBe('cis-aws-3.0');
    const notRotated = result.findings.filter((f) => f.ruleId === 'access-key-not-rotated');
    expect(notRotated.map((f) => f.principal.name)).toEqual(['old-contractor']);
    expect(notRotated[0]?.severity).toBe('high');
    expect(result.findings.some((f) => f.ruleId === 'inactive-access-key')).toBe(false);
  });

  it('adds user rules from --rules', async () => {
    const rules = writeUserRule(tempDir(), 'rules');
    const { stdout } = await cli(['scan', '--from', exampleOrg, '--rules', rules, '--format', 'json']);
    const result = readResultText(stdout);
    expect(result.findings.filter((f) => f.ruleId === 'ci-users-need-path').map((f) => f.principal.name)).toEqual([
      'terraform-ci',
      'etl-runner',
    ]);
  });
});

describe('bad input gives a one-paragraph error and exit code 2, writing nothing', () => {
  it('a malformed CSV names file and line', async () => {
    const dir = tempDir();
    const header = readFileSync(join(exampleOrg, '555555555555-security-audit.2026-11-01T120000Z.csv'), 'utf8').split('\n')[0];
    writeFileSync(join(dir, 'bad.csv'), `${header}\nalice,arn:aws:iam::111122223333:user/alice,2020-01-01T00:00:00+00:00\n`);
    const { code, stderr } = await cli(['scan', '--from', join(dir, 'bad.csv'), '--format', 'json', '--output', join(dir, 'out.json')]);
    expect(code).toBe(2);
    expect(stderr).toContain('bad.csv:2: error: row has 3 fields, the header has 22');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
  });

  it('an unknown config key, with a suggestion', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'credwarden.config.yaml'), 'pack: recommended\nrule:\n  x: {}\n');
    const { code, stderr } = await cli(['scan', '--from', exampleOrg], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/credwarden\.config\.yaml:2:1 at \/rule: error: unknown property 'rule' \(did you mean 'rules'\?\)/);
  });

  it('an unknown rule or parameter in the config', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'c.yaml'),
      'rules:\n  acess-key-not-rotated: {}\n  unused-credentials:\n    parameters: { maxUnusedDay: 30 }\n  two-active-access-keys:\n    parameters: { graceDays: "7" }\n',
    );
    const { code, stderr } = await cli(['scan', '--from', exampleOrg, '--config', join(dir, 'c.yaml')]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      "c.yaml:2:3 at /rules/acess-key-not-rotated: error: unknown rule 'acess-key-not-rotated' (did you mean 'access-key-not-rotated'?)",
    );
    expect(stderr).toContain("rule 'unused-credentials' has no parameter 'maxUnusedDay' (did you mean 'maxUnusedDays'?)");
    expect(stderr).toMatch(
      /c\.yaml:6:\d+ at \/rules\/two-active-access-keys\/parameters\/graceDays: error: parameter 'graceDays' .* must be a integer/,
    );
  });

  it('a bad flag', async () => {
    const { code, stderr } = await cli(['scan', '--from', exampleOrg, '--fail-on', 'severe']);
    expect(code).toBe(2);
    expect(stderr).toContain("argument 'severe' is invalid");
    const typo = await cli(['scan', '--form', exampleOrg]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--from');
    expect((await cli(['scan', '--from', exampleOrg, '--as-of', 'yesterday'])).code).toBe(2);
    expect((await cli(['scan', '--from', exampleOrg, '--format', 'xml'])).stderr).toContain("unknown format 'xml'");
  });

  it('an unknown pack', async () => {
    const { code, stderr } = await cli(['scan', '--from', exampleOrg, '--pack', 'recomended']);
    expect(code).toBe(2);
    expect(stderr).toContain("did you mean 'recommended'?");
  });

  it('a missing --from path', async () => {
    const { code, stderr } = await cli(['scan', '--from', 'no/such/dir']);
    expect(code).toBe(2);
    expect(stderr).toContain('no such file or folder');
  });

  it('an invalid snapshot names the pointer', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 's.json'),
      JSON.stringify({ schemaVersion: 1, accounts: [{ id: '12', reportGeneratedTime: 'x', principals: [] }] }, null, 2),
    );
    const { code, stderr } = await cli(['evaluate', join(dir, 's.json')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/s\.json:5:\d+ at \/accounts\/0\/id: error: must match pattern/);
    expect(readdirSync(dir)).toEqual(['s.json']);
  });
});

describe('credwarden rules', () => {
  it('lists the rules of a pack with their parameters', async () => {
    const { code, stdout } = await cli(['rules', 'list', '--pack', 'cis-aws-3.0']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/two-active-access-keys +Two active access keys left in place {2}\[graceDays=0\]/);
    expect(stdout).not.toContain('inactive-access-key');
  });

  it('shows one rule', async () => {
    const { stdout } = await cli(['rules', 'show', 'access-key-not-rotated']);
    expect(stdout).toContain('cis-aws-3.0 1.14, cis-aws-5.0 1.13, aws-security-hub IAM.3, aws-config access-keys-rotated');
    expect(stdout).toContain('file:         rules/access-key-not-rotated.yaml');
  });

  it('validates the built-in rules', async () => {
    const { code, stdout } = await cli(['rules', 'validate']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+ rule file\(s\) valid/);
  });

  it('documents exit codes in --help', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Exit codes:');
    expect(stdout).toMatch(/ {2}3 {2}incomplete scan/);
  });
});

describe('scan --help', () => {
  it('documents the exit codes too', async () => {
    const { code, stdout } = await cli(['scan', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Exit codes:\n {2}0 {2}no open finding.*\n {2}1 .*\n {2}2 .*\n {2}3 {2}incomplete scan/);
  });
});
