import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';
import { writeUserRule } from '../helpers/user-rule.js';

/** A passing table for the user rule of docs/rules.md (ci-users-need-path). */
const PASSING = `asOf: "2024-06-01T00:00:00Z"
valid:
  - name: a keyed user under /ci/
    rows: [{ user: deploy, arn: "arn:aws:iam::111122223333:user/ci/deploy", access_key_1_active: true, access_key_1_last_rotated: T-10d }]
  - name: a console user with keys
    rows: [{ user: alice, password_enabled: true, access_key_1_active: true, access_key_1_last_rotated: T-10d }]
invalid:
  - name: a keyed user at the root path
    rows: [{ user: deploy, access_key_1_active: true, access_key_1_last_rotated: T-10d }]
    findings: [{ principal: deploy }]
`;

/** The invalid case expects the wrong principal: builder is under /ci/, deploy is not. */
const FAILING = `asOf: "2024-06-01T00:00:00Z"
valid:
  - name: a keyed user under /ci/
    rows: [{ user: deploy, arn: "arn:aws:iam::111122223333:user/ci/deploy", access_key_1_active: true, access_key_1_last_rotated: T-10d }]
invalid:
  - name: a keyed user at the root path
    rows:
      - { user: deploy, access_key_1_active: true, access_key_1_last_rotated: T-10d }
      - { user: builder, arn: "arn:aws:iam::111122223333:user/ci/builder", access_key_1_active: true, access_key_1_last_rotated: T-10d }
    findings:
      - { principal: builder }
`;

/** A temporary folder holding my-rules/ci-users-need-path.yaml and, when given, its case table. */
function userRules(table?: string): string {
  const dir = tempDir();
  const rules = writeUserRule(dir, 'my-rules');
  if (table !== undefined) {
    mkdirSync(join(rules, 'tests'));
    writeFileSync(join(rules, 'tests', 'ci-users-need-path.cases.yaml'), table);
  }
  return dir;
}

describe('credwarden rules test DIR', () => {
  it('exits 0 when every case of a user rule passes', async () => {
    const { code, stdout, stderr } = await cli(['rules', 'test', 'my-rules'], { cwd: userRules(PASSING) });
    expect(stderr).toBe('');
    expect(stdout).toContain('ok   ci-users-need-path: 3 cases passed');
    expect(stdout).toContain('1 rule, 3 cases: 3 passed, 0 failed');
    expect(code).toBe(0);
  });

  it('exits 1 on a failing case, naming file, line, the principals expected and unexpected, and the evidence', async () => {
    const { code, stdout } = await cli(['rules', 'test', 'my-rules'], { cwd: userRules(FAILING) });
    const table = 'my-rules/tests/ci-users-need-path.cases.yaml';
    expect(stdout).toContain('FAIL ci-users-need-path: 1 of 2 cases failed');
    expect(stdout).toContain(`  ${table}:6: invalid case 'a keyed user at the root path' failed`);
    expect(stdout).toContain(
      `    expected finding for builder, not reported (expected at ${table}:11)\n      evidence: password.enabled=false, principal.path="/ci/"`,
    );
    expect(stdout).toContain(
      '    unexpected finding for deploy\n      message:  deploy has keys but lives under /\n      evidence: password.enabled=false, principal.path="/"',
    );
    expect(stdout).toContain('1 rule, 2 cases: 1 passed, 1 failed');
    expect(code).toBe(1);
  });

  it('reports a valid case the rule fires on', async () => {
    const table = PASSING.replace('rows: [{ user: alice, password_enabled: true,', 'rows: [{ user: alice, password_enabled: false,');
    const { code, stdout } = await cli(['rules', 'test', 'my-rules'], { cwd: userRules(table) });
    expect(stdout).toContain("my-rules/tests/ci-users-need-path.cases.yaml:5: valid case 'a console user with keys' failed");
    expect(stdout).toContain('    unexpected finding for alice\n      message:  alice has keys but lives under /');
    expect(code).toBe(1);
  });

  it('says when an expected credential is not in use in the rows at all', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'rules', 'tests'), { recursive: true });
    writeFileSync(
      join(dir, 'rules', 'old-key.yaml'),
      readFileSync('rules/access-key-not-rotated.yaml', 'utf8').replace('id: access-key-not-rotated', 'id: old-key'),
    );
    writeFileSync(
      join(dir, 'rules', 'tests', 'old-key.cases.yaml'),
      [
        'asOf: "2024-06-01T00:00:00Z"',
        'valid: []',
        'invalid:',
        '  - name: second key',
        '    rows: [{ user: bot, access_key_1_active: true, access_key_1_last_rotated: T-91d }]',
        '    findings: [{ principal: bot, credential: access_key_2 }]',
      ].join('\n'),
    );
    const { code, stdout } = await cli(['rules', 'test', 'rules'], { cwd: dir });
    expect(stdout).toContain(
      '    expected finding for bot access_key_2, not reported (expected at rules/tests/old-key.cases.yaml:6)\n      note:     the rows give bot no access_key_2 in use',
    );
    expect(stdout).toMatch(
      /unexpected finding for bot access_key_1\n {6}message: {2}bot's access_key_1 is 91 days old \(limit 90[^\n]*\n {6}evidence: key\.active=true, key\.lastRotated="2024-03-02T00:00:00\.000Z", key\.ageDays=91, /,
    );
    expect(stdout).toContain(
      "rules/tests/old-key.cases.yaml:2:8 at /valid: warning: rule 'old-key' has no valid case: nothing shows that it stays quiet",
    );
    expect(code).toBe(1);
  });

  it('applies case parameters through the rule, as a pack would', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'rules', 'tests'), { recursive: true });
    writeFileSync(
      join(dir, 'rules', 'old-key.yaml'),
      readFileSync('rules/access-key-not-rotated.yaml', 'utf8').replace('id: access-key-not-rotated', 'id: old-key'),
    );
    const row = '[{ user: bot, access_key_1_active: true, access_key_1_last_rotated: T-45d }]';
    writeFileSync(
      join(dir, 'rules', 'tests', 'old-key.cases.yaml'),
      [
        'asOf: "2024-06-01T00:00:00Z"',
        'valid:',
        '  - name: default limit',
        `    rows: ${row}`,
        'invalid:',
        '  - name: 30 days',
        '    params: { maxAgeDays: 30 }',
        `    rows: ${row}`,
        '    findings: [{ principal: bot, credential: access_key_1 }]',
      ].join('\n'),
    );
    expect((await cli(['rules', 'test', 'rules'], { cwd: dir })).code).toBe(0);
  });
});

describe('rules without a case table', () => {
  it('are a warning, and the run passes', async () => {
    const { code, stdout } = await cli(['rules', 'test', 'my-rules'], { cwd: userRules() });
    expect(stdout).toContain(
      "my-rules/tests/ci-users-need-path.cases.yaml: warning: rule 'ci-users-need-path' has no case table (add my-rules/tests/ci-users-need-path.cases.yaml",
    );
    expect(stdout).toContain('1 rule, 0 cases: 0 passed, 0 failed; 1 warning');
    expect(code).toBe(0);
  });

  it('fail the run under --strict', async () => {
    const { code, stdout } = await cli(['rules', 'test', '--strict', 'my-rules'], { cwd: userRules() });
    expect(stdout).toContain("error: rule 'ci-users-need-path' has no case table");
    expect(stdout).toContain('; 1 error');
    expect(code).toBe(1);
  });
});

describe('bad input exits 2 with every problem at once', () => {
  it('reports schema, cell, parameter, principal and orphan-table problems with file, line and pointer', async () => {
    const dir = userRules(`asOf: "2024-06-01T00:00:00Z"
valid:
  - name: fine
    rows: [{ user: deploy }]
invalid:
  - name: bad values
    params: { maxAge: 3 }
    rows: [{ user: deploy, access_key_1_active: true, access_key_1_last_rotated: T-10days }]
    principalFacts: { nobody: { x: 1 } }
    findings: [{ principal: nobody }]
  - name: bad names
    rows: [{ user: deploy }]
    principalFacts: { deplyo: { x: 1 } }
    findings: [{ principal: deploy, credential: access_key_1 }]
`);
    writeFileSync(join(dir, 'my-rules', 'tests', 'ci-user-need-path.cases.yaml'), 'asOf: "2024-06-01T00:00:00Z"\nvalid: []\ninvalid: []\n');
    const { code, stdout, stderr } = await cli(['rules', 'test', 'my-rules'], { cwd: dir });
    const table = 'my-rules/tests/ci-users-need-path.cases.yaml';
    expect(stdout).toBe('');
    expect(stderr).toContain(
      "my-rules/tests/ci-user-need-path.cases.yaml: error: case table of an unknown rule 'ci-user-need-path' (did you mean 'ci-users-need-path'?)",
    );
    expect(stderr).toContain(
      `${table}:7:15 at /invalid/0/params/maxAge: error: rule 'ci-users-need-path' has no parameter 'maxAge' (this rule takes no parameters)`,
    );
    expect(stderr).toContain(
      `${table}:8:82 at /invalid/0/rows/0/access_key_1_last_rotated: error: column 'access_key_1_last_rotated': expected an ISO 8601 time`,
    );
    expect(stderr).toContain(
      `${table}:13:23 at /invalid/1/principalFacts/deplyo: error: no row of this case is for user 'deplyo' (did you mean 'deploy'?)`,
    );
    expect(stderr).toContain(
      `${table}:14:49 at /invalid/1/findings/0/credential: error: findings of a 'principal' rule name no credential, never access_key_1 (leave credential out)`,
    );
    // The first case's row could not be read: its user names are not checked against it.
    expect(stderr).not.toContain('/invalid/0/principalFacts');
    expect(stderr).not.toContain('/invalid/0/findings');
    expect(stderr).not.toMatch(/\n\s+at .*\.(ts|js):\d+/);
    expect(code).toBe(2);
  });

  it('rejects a finding on a principal type the rule does not apply to, and a second row for a user', async () => {
    const { code, stderr } = await cli(['rules', 'test', 'my-rules'], {
      cwd: userRules(`asOf: "2024-06-01T00:00:00Z"
valid: []
invalid:
  - name: root
    rows: [{ user: <root_account> }, { user: bob }, { user: bob }]
    findings: [{ principal: <root_account> }]
`),
    });
    expect(stderr).toContain(
      "at /invalid/0/findings/0/principal: error: rule 'ci-users-need-path' applies to user principals, so it never reports '<root_account>' (root)",
    );
    expect(stderr).toContain("at /invalid/0/rows/2/user: error: a second row for user 'bob'");
    expect(code).toBe(2);
  });

  it('rejects a misspelt column, a table without the required lists, and YAML syntax errors', async () => {
    const typo = await cli(['rules', 'test', 'my-rules'], {
      cwd: userRules(PASSING.replace('{ user: alice, password_enabled', '{ user: alice, pasword_enabled')),
    });
    expect(typo.stderr).toContain(
      "my-rules/tests/ci-users-need-path.cases.yaml:6:27 at /valid/1/rows/0/pasword_enabled: error: unknown property 'pasword_enabled' (did you mean 'password_enabled'?)",
    );
    expect(typo.code).toBe(2);
    const missing = await cli(['rules', 'test', 'my-rules'], { cwd: userRules('asOf: "2024-06-01T00:00:00Z"\nvalid: []\n') });
    expect(missing.stderr).toContain("error: missing required property 'invalid'");
    expect(missing.code).toBe(2);
    const syntax = await cli(['rules', 'test', 'my-rules'], { cwd: userRules('asOf: [\n') });
    expect(syntax.stderr).toMatch(/ci-users-need-path\.cases\.yaml:\d+:\d+: error: YAML syntax/);
    expect(syntax.code).toBe(2);
  });

  it('rejects an invalid rule and a missing folder', async () => {
    const dir = userRules(PASSING);
    writeFileSync(
      join(dir, 'my-rules', 'ci-users-need-path.yaml'),
      readFileSync(join(dir, 'my-rules', 'ci-users-need-path.yaml'), 'utf8').replace('principal.path', 'principal.pth'),
    );
    const invalid = await cli(['rules', 'test', 'my-rules'], { cwd: dir });
    expect(invalid.stderr).toContain("unknown field 'principal.pth' (did you mean 'principal.path'?)");
    expect(invalid.code).toBe(2);
    const absent = await cli(['rules', 'test', 'no-such-folder'], { cwd: dir });
    expect(absent.stderr).toContain('rules folder not found');
    expect(absent.code).toBe(2);
  });
});

describe('JUnit output', () => {
  it('has one suite per rule and one test case per table case, with file and line', async () => {
    const { code, stdout } = await cli(['rules', 'test', 'my-rules', '--format', 'junit'], { cwd: userRules(FAILING) });
    const table = 'my-rules/tests/ci-users-need-path.cases.yaml';
    expect(stdout).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="credwarden rules test" tests="2" failures="1" errors="0" skipped="0">/,
    );
    expect(stdout).toContain(`<testsuite name="ci-users-need-path" file="${table}" tests="2" failures="1" errors="0" skipped="0">`);
    expect(stdout).toContain(`<testcase classname="ci-users-need-path" name="valid: a keyed user under /ci/" file="${table}" line="3"/>`);
    expect(stdout).toContain(
      `<testcase classname="ci-users-need-path" name="invalid: a keyed user at the root path" file="${table}" line="6">\n      <failure message="${table}:6: expected, not reported: finding for builder; unexpected: finding for deploy" type="rule-case">`,
    );
    expect(stdout).toContain('evidence: password.enabled=false, principal.path=&quot;/&quot;</failure>');
    expect(code).toBe(1);
  });

  it('writes the report to --output and the text report to stdout', async () => {
    const dir = userRules();
    const { code, stdout } = await cli(['rules', 'test', 'my-rules', '--format', 'junit', '--output', 'out/rules.xml'], { cwd: dir });
    expect(stdout).toContain('1 rule, 0 cases: 0 passed, 0 failed; 1 warning');
    const xml = readFileSync(join(dir, 'out', 'rules.xml'), 'utf8');
    expect(xml).toContain('<testsuites name="credwarden rules test" tests="1" failures="0" errors="0" skipped="1">');
    expect(xml).toContain(
      '<skipped message="my-rules/tests/ci-users-need-path.cases.yaml: warning: rule &apos;ci-users-need-path&apos; has no case table',
    );
    expect(code).toBe(0);
  });
});

describe('hostile case tables', () => {
  it('shows control characters in names and messages escaped, never raw', async () => {
    const dir = userRules(`asOf: "2024-06-01T00:00:00Z"
valid: []
invalid:
  - name: "evil \\e[2J\\u202e name"
    rows:
      - { user: "de\\u0007ploy", access_key_1_active: true, access_key_1_last_rotated: T-10d }
      - { user: builder, arn: "arn:aws:iam::111122223333:user/ci/builder", access_key_1_active: true, access_key_1_last_rotated: T-10d }
    findings: [{ principal: builder }]
`);
    const { code, stdout } = await cli(['rules', 'test', 'my-rules'], { cwd: dir });
    expect(stdout).toContain("invalid case 'evil \\x1b[2J\\u202e name' failed");
    expect(stdout).toContain('unexpected finding for de\\x07ploy');
    // eslint-disable-next-line no-control-regex -- asserting that no raw control character gets through
    expect(stdout).not.toMatch(/[\u0007\u001b\u202e]/);
    expect(code).toBe(1);
  });
});

describe('scans ignore the tests/ folder of a rules folder', () => {
  it('loads the rule and not its case table', async () => {
    const { code, stdout } = await cli(['rules', 'list', '--rules', 'my-rules', '--format', 'json'], { cwd: userRules(PASSING) });
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { id: string }[]).map((r) => r.id)).toContain('ci-users-need-path');
  });
});

describe('docs/rules.md', () => {
  it("shows the real report of its worked example's case table", async () => {
    const docs = readFileSync('docs/rules.md', 'utf8');
    const table = /```yaml\n(# my-rules\/tests\/ci-users-need-path\.cases\.yaml\n[\s\S]*?)```/.exec(docs)?.[1];
    const shown = /```(?:text)?\n\$ npx credwarden rules test my-rules\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(table).toBeDefined();
    const { code, stdout } = await cli(['rules', 'test', 'my-rules'], { cwd: userRules(table) });
    expect(stdout).toBe(shown);
    expect(code).toBe(1);
  });
});
