/**
 * Issue 20 item 12, the smaller defects: every one is an input a user (or an attacker) can
 * write, and each must end in a message with file, line and pointer, never an "unexpected
 * error", a wrong message, a quoted secret, or an output many times the size of its input.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicyDocument } from '../../src/core/policy/index.js';
import { cli, tempDir } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

const SECRET = 'AKIAIOSFODNN7EXAMPLEwJalrXUtnFEMIK7MDENG';
const REPORT = 'examples/org/222222222222-payments-prod.2026-11-01T120000Z.csv';
const AS_OF = ['--as-of', '2026-11-02T00:00:00Z'];

/** A folder `rules/` with the rule old-key (access-key-not-rotated under another id) and, if given, its case table. */
function rulesFolder(table?: string[], rule = readFileSync('rules/access-key-not-rotated.yaml', 'utf8')): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'rules', 'tests'), { recursive: true });
  writeFileSync(join(dir, 'rules', 'old-key.yaml'), rule.replace('id: access-key-not-rotated', 'id: old-key'));
  if (table) writeFileSync(join(dir, 'rules', 'tests', 'old-key.cases.yaml'), ['asOf: "2024-06-01T00:00:00Z"', ...table].join('\n'));
  return dir;
}

const ROW = '[{ user: bot, access_key_1_active: true, access_key_1_last_rotated: T-91d }]';

describe('rules test: impossible relative times', () => {
  it.each(['T-99999999999d', 'T+99999999999d', 'T-9999999999999999999999m'])(
    '%s is an error with file, line and pointer, not "Invalid time value"',
    async (time) => {
      const dir = rulesFolder([
        'valid:',
        '  - name: far away',
        `    rows: [{ user: bot, access_key_1_active: true, access_key_1_last_rotated: ${time} }]`,
        'invalid: []',
      ]);
      const { code, stdout, stderr } = await cli(['rules', 'test', 'rules'], { cwd: dir });
      const output = stdout + stderr;
      expect(code).toBe(2);
      expect(output).not.toContain('unexpected error');
      expect(output).not.toContain('Invalid time value');
      expect(output).toContain(
        `rules/tests/old-key.cases.yaml:4:79 at /valid/0/rows/0/access_key_1_last_rotated: error: column 'access_key_1_last_rotated': '${time}' is`,
      );
      expect(output).toMatch(/before the year 0001|after the year 9999/);
    },
  );
});

describe('parameters named after Object.prototype members, and numbers that are not finite', () => {
  it.each(['__proto__', 'constructor', 'toString'])('a case table parameter %s is an unknown parameter', async (name) => {
    const dir = rulesFolder(['valid:', '  - name: odd', `    params: { ${name}: 5 }`, `    rows: ${ROW}`, 'invalid: []']);
    const { code, stdout, stderr } = await cli(['rules', 'test', 'rules'], { cwd: dir });
    expect(code).toBe(2);
    expect(stdout + stderr).toContain(
      `rules/tests/old-key.cases.yaml:4:15 at /valid/0/params/${name}: error: rule 'old-key' has no parameter '${name}' (parameters: maxAgeDays)`,
    );
    expect(stdout + stderr).not.toContain('undefined');
  });

  it('a config parameter __proto__ is an unknown parameter, with file and line', async () => {
    const dir = tempDir();
    const config = join(dir, 'credwarden.config.yaml');
    writeFileSync(config, ['rules:', '  access-key-not-rotated:', '    parameters: { __proto__: 5 }'].join('\n'));
    const { code, stderr } = await cli(['scan', '--from', REPORT, ...AS_OF, '--config', config]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${config}:3:19`);
    expect(stderr).toContain("rule 'access-key-not-rotated' has no parameter '__proto__'");
    expect(stderr).not.toContain('must be a undefined');
  });

  it.each([
    ['1e400', "'1e400' is beyond the largest number a value can hold (YAML reads it as infinity)"],
    ['-1e400', "'-1e400' is beyond the largest number a value can hold (YAML reads it as minus infinity)"],
    ['.nan', "'.nan' is not a number (YAML reads it as NaN)"],
  ])('%s is refused where it is written, not reported as "got null"', async (value, message) => {
    const dir = rulesFolder(['valid:', '  - name: huge', `    params: { maxAgeDays: ${value} }`, `    rows: ${ROW}`, 'invalid: []']);
    const { code, stdout, stderr } = await cli(['rules', 'test', 'rules'], { cwd: dir });
    expect(code).toBe(2);
    expect(stdout + stderr).toContain(`rules/tests/old-key.cases.yaml:4:27: error: ${message}`);
    expect(stdout + stderr).not.toContain('got null');
  });

  it('an infinite number in a config file is refused with file and line too', async () => {
    const dir = tempDir();
    const config = join(dir, 'credwarden.config.yaml');
    writeFileSync(config, ['rules:', '  access-key-not-rotated:', '    parameters: { maxAgeDays: 1e400 }'].join('\n'));
    const { code, stderr } = await cli(['scan', '--from', REPORT, ...AS_OF, '--config', config]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${config}:3:31`);
    expect(stderr).toContain('beyond the largest number');
  });
});

describe('rule docs links and rule file locations', () => {
  it.each(['javascript:alert(document.domain)', 'http://example.com/runbook', 'file:///etc/passwd', 'data:text/html,hi'])(
    'docs: %s is refused by rules validate and scan (https only)',
    async (docs) => {
      const rule = readFileSync('rules/access-key-not-rotated.yaml', 'utf8').replace(/^docs: .*$/m, `docs: "${docs}"`);
      const dir = rulesFolder(undefined, rule);
      const validate = await cli(['rules', 'validate', 'rules'], { cwd: dir });
      expect(validate.code).toBe(2);
      expect(validate.stderr).toMatch(/rules\/old-key\.yaml:\d+:\d+ at \/docs: error: must match pattern "\^https:\/\/"/);
      const scan = await cli(['scan', '--from', join(process.cwd(), REPORT), ...AS_OF, '--rules', 'rules', '--format', 'sarif'], {
        cwd: dir,
      });
      expect(scan.code).toBe(2);
      expect(scan.stdout).not.toContain(docs);
    },
  );

  it('SARIF names a rule file outside the working folder without the machine’s folders', async () => {
    const dir = rulesFolder();
    const rulesDir = join(dir, 'rules');
    const { code, stdout } = await cli(['scan', '--from', REPORT, ...AS_OF, '--rules', rulesDir, '--format', 'sarif', '-q']);
    expect(code).toBe(0);
    expect(stdout).not.toContain(dir);
    const log = JSON.parse(stdout) as {
      runs: { tool: { driver: { rules: { id: string; properties: { source?: string } }[] } } }[];
    };
    const mine = log.runs[0]?.tool.driver.rules.find((r) => r.id === 'old-key');
    expect(mine?.properties.source).toBe('old-key.yaml');
  });
});

describe('rules validate checks rule ids as scan does', () => {
  const clashes: [string, (rules: string) => void, RegExp][] = [
    [
      'a rule with a built-in rule id',
      (rules) => writeFileSync(join(rules, 'access-key-not-rotated.yaml'), readFileSync('rules/access-key-not-rotated.yaml', 'utf8')),
      /rules\/access-key-not-rotated\.yaml:1 at \/id: error: rule id 'access-key-not-rotated' is already defined in rules\/access-key-not-rotated\.yaml/,
    ],
    [
      'two files with one id (x.yaml and x.yml)',
      (rules) => writeFileSync(join(rules, 'old-key.yml'), readFileSync(join(rules, 'old-key.yaml'), 'utf8')),
      /rules\/old-key\.yml:1 at \/id: error: rule id 'old-key' is already defined in .*rules\/old-key\.yaml/,
    ],
  ];

  it.each(clashes)('%s: scan and rules validate both refuse it (exit 2)', async (_name, clash, message) => {
    const dir = rulesFolder();
    clash(join(dir, 'rules'));
    const scan = await cli(['scan', '--from', join(process.cwd(), REPORT), ...AS_OF, '--rules', 'rules'], { cwd: dir });
    const validate = await cli(['rules', 'validate', 'rules'], { cwd: dir });
    for (const run of [scan, validate]) {
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  it('the built-in rules folder itself still validates', async () => {
    expect((await cli(['rules', 'validate', 'rules'])).code).toBe(0);
  });
});

describe('parser messages never quote input bytes', () => {
  const [header, root, user] = readFileSync(REPORT, 'utf8').split('\n') as [string, string, string];

  it.each([
    ['a quote in the middle of a field', `bob,${SECRET}"x,2020`, 'a quote in the middle of a field that does not start with one'],
    ['text after a closing quote', `bob,"${SECRET}"x,2020`, 'a closing quote is followed by something other than a comma'],
    ['a quote never closed', `"bob,${SECRET}`, 'a quote is opened and never closed'],
  ])('a credential report with %s: line and field, not the value', async (_name, row, message) => {
    const file = join(tempDir(), '222222222222-bad.2026-11-01T120000Z.csv');
    writeFileSync(file, [header, root, user, row].join('\n'));
    const { code, stderr } = await cli(['scan', '--from', file, ...AS_OF]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:4: error: not valid CSV`);
    expect(stderr).toContain(message);
    for (const part of [SECRET.slice(0, 8), SECRET.slice(20, 28)]) expect(stderr).not.toContain(part);
  });

  it.each([`{"Statement": [${SECRET}]}`, `[${SECRET}`, `{"Statement": []} ${SECRET}`, `{"Statement": "${SECRET}`])(
    'a policy document that is not JSON (%#): the place, not the text',
    (text) => {
      let message = '';
      try {
        parsePolicyDocument(text);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^policy document is not valid JSON/);
      for (const part of [SECRET.slice(0, 6), SECRET.slice(12, 18), '"[', '{"S']) expect(message).not.toContain(part);
    },
  );
});

describe('oversize fields are refused or cut at parse, not multiplied into every finding', () => {
  const [header, root, user] = readFileSync(REPORT, 'utf8').split('\n') as [string, string, string];
  const rename = (name: string) =>
    user.replace(/^deploy-bot,arn:aws:iam::222222222222:user\/ci\/deploy-bot/, `${name},arn:aws:iam::222222222222:user/ci/${name}`);

  it.each([
    [12, 'access_key_1_last_used_service', 'a service name'],
    [11, 'access_key_1_last_used_region', 'a Region code'],
  ])('a %s-th cell (%s) of 100 000 characters: exit 2 naming file, line and column', async (index, column, what) => {
    const cells = user.split(',');
    cells[index] = 's'.repeat(100_000);
    const file = join(tempDir(), '222222222222-big.2026-11-01T120000Z.csv');
    writeFileSync(file, [header, root, cells.join(',')].join('\n'));
    const { code, stderr } = await cli(['scan', '--from', file, ...AS_OF]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:3:${index + 1} at /${column}: error: column '${column}': expected ${what} (AWS writes at most 64`);
    expect(stderr.length).toBeLessThan(2000);
  });

  it('names longer than IAM allows are cut to 128 characters (ARNs 768) with their length and hash, and stay apart', async () => {
    const names = ['a', 'b'].map((c) => `${c}${'x'.repeat(999)}`);
    const file = join(tempDir(), '222222222222-long.2026-11-01T120000Z.csv');
    writeFileSync(file, [header, root, ...names.map(rename)].join('\n'));
    const { code, stdout } = await cli(['scan', '--from', file, ...AS_OF, '--format', 'json', '-q']);
    expect(code).toBe(0);
    const result = readResultText(stdout);
    const principals = new Map(result.findings.map((f) => [f.principal.name, f.principal]));
    const long = [...principals.values()].filter((p) => p.name.includes('1000 characters'));
    expect(long).toHaveLength(2);
    for (const p of long) {
      expect(p.name.length).toBeLessThanOrEqual(128);
      expect(p.arn.length).toBeLessThanOrEqual(768);
      expect(p.name).toMatch(/…\[1000 characters, sha256 [0-9a-f]{16}\]$/);
    }
    // No finding, plan or command repeats the name whole.
    expect(stdout).not.toContain('x'.repeat(800));
  });
});

describe('ASFF Resources[].Id (at most 512 characters)', () => {
  it('a long ARN is cut to 512 characters, marked, and two ARNs with one long prefix stay two resources', async () => {
    const [header, root, user] = readFileSync(REPORT, 'utf8').split('\n') as [string, string, string];
    // Past MAX_KEPT.arn (768): both ARNs are already cut once at parse, with their own hashes.
    const names = ['a', 'b'].map((c) => `${'p'.repeat(900)}${c}`);
    const rows = names.map((n) =>
      user.replace(/^deploy-bot,arn:aws:iam::222222222222:user\/ci\/deploy-bot/, `${n},arn:aws:iam::222222222222:user/ci/${n}`),
    );
    const file = join(tempDir(), '222222222222-ids.2026-11-01T120000Z.csv');
    writeFileSync(file, [header, root, ...rows].join('\n'));
    const { code, stdout } = await cli(['scan', '--from', file, ...AS_OF, '--format', 'asff', '-q']);
    expect(code).toBe(0);
    const findings = JSON.parse(stdout) as { Resources: { Id: string }[] }[];
    const ids = new Set(findings.flatMap((f) => f.Resources.map((r) => r.Id)).filter((id) => id.includes('pppp')));
    expect(ids.size).toBe(2);
    for (const id of ids) {
      expect([...id].length).toBeLessThanOrEqual(512);
      expect(id).toMatch(/…\[sha256 [0-9a-f]{16}\]$/);
    }
  });
});
