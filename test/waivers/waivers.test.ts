import { describe, expect, it } from 'vitest';
import { InputError, type Diagnostic } from '../../src/model/index.js';
import { applyWaivers, expiryTime, parseWaivers, principalMatches } from '../../src/core/waivers/index.js';
import { reachesSeverity } from '../../src/core/engine/result.js';
import { exampleResult } from '../format/helpers.js';
import { describeGate, evaluateGate } from '../../src/core/gate.js';
import { talliesOf } from '../../src/core/pipeline/index.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir } from '../helpers/cli.js';

const NOW = '2026-11-02T00:00:00Z';

function load(text: string, options: { maxExpiryDays?: number; knownRules?: string[] } = {}) {
  return parseWaivers(text, 'waivers.yaml', { now: NOW, ...options });
}

function errorsOf(text: string, options: { maxExpiryDays?: number; knownRules?: string[] } = {}): Diagnostic[] {
  try {
    load(text, options);
  } catch (error) {
    if (error instanceof InputError) return [...error.diagnostics];
    throw error;
  }
  throw new Error('expected an InputError');
}

const ROOT_KEY = `
waivers:
  - rule: root-access-key-exists
    account: '222222222222'
    principal: 'arn:aws:iam::222222222222:root'
    reason: Legacy batch job; migration ticket SEC-101
    approvedBy: ciso@example.com
    expires: 2026-12-31
`;

describe('waivers in force', () => {
  it('mark the matching finding waived with reason and expiry, and take it out of the gate', async () => {
    const result = await exampleResult();
    const waived = applyWaivers(result, load(ROOT_KEY), NOW);
    const finding = waived.findings.find((f) => f.ruleId === 'root-access-key-exists');
    expect(finding?.status).toBe('waived');
    expect(finding?.waiver).toEqual({
      id: 'root-access-key-exists|222222222222|arn:aws:iam::222222222222:root|*',
      reason: 'Legacy batch job; migration ticket SEC-101',
      approvedBy: 'ciso@example.com',
      expires: '2026-12-31',
    });
    expect(waived.findings).toHaveLength(result.findings.length);
    expect(waived.summary.waived).toBe(1);
    expect(waived.summary.open).toBe(result.summary.open - 1);
    expect(waived.summary.bySeverity.critical).toBe(result.summary.bySeverity.critical - 1);
    expect(waived.waivers?.[0]).toMatchObject({ state: 'active', matched: 1, source: 'waivers.yaml:3' });
  });

  it('match principals by glob on name or ARN, and by credential', async () => {
    const result = await exampleResult();
    const waivers = load(`
waivers:
  - rule: '*'
    account: '*'
    principal: 'arn:aws:iam::*:user/ci/*'
    credential: access_key_1
    reason: CI keys are rotated by the vault job
    expires: 2027-01-15
`);
    const waived = applyWaivers(result, waivers, NOW).findings.filter((f) => f.status === 'waived');
    expect(waived.length).toBeGreaterThan(0);
    for (const f of waived) {
      expect(f.principal.arn).toMatch(/:user\/ci\/[^/]+$/);
      expect(f.credential).toBe('access_key_1');
    }
  });

  it('treat + and @ in names literally, not as glob syntax', () => {
    const principal = { type: 'user' as const, name: 'svc+build@x', arn: 'arn:aws:iam::111111111111:user/svc+build@x' };
    expect(principalMatches('svc+build@x', principal)).toBe(true);
    expect(principalMatches('svc+*', principal)).toBe(true);
    expect(principalMatches('svc-*', principal)).toBe(false);
  });
});

describe('expired waivers', () => {
  it('stop applying and are reported as expired', async () => {
    const result = await exampleResult();
    const waivers = load(ROOT_KEY.replace('2026-12-31', '2026-11-01'));
    const applied = applyWaivers(result, waivers, NOW);
    expect(applied.findings.find((f) => f.ruleId === 'root-access-key-exists')?.status).toBe('open');
    expect(reachesSeverity(applied.findings, 'critical')).toBe(true);
    expect(applied.waivers?.[0]).toMatchObject({ state: 'expired', matched: 1 });
  });

  it('hold through the whole expiry day (UTC) and end at the next midnight', () => {
    expect(expiryTime('2026-11-01')).toBe(Date.parse('2026-11-02T00:00:00Z'));
    expect(expiryTime('2026-02-30')).toBeNaN();
    // With a time too: Date.parse would roll these over to March and May.
    expect(expiryTime('2027-02-30T10:00:00Z')).toBeNaN();
    expect(expiryTime('2027-04-31 10:00Z')).toBeNaN();
    expect(expiryTime('2026-11-01T10:00:00+02:00')).toBe(Date.parse('2026-11-01T08:00:00Z'));
  });

  it('are judged at the evaluation time passed in, not the clock', async () => {
    const result = await exampleResult();
    const waivers = parseWaivers(ROOT_KEY, 'waivers.yaml', { now: '2026-12-01T00:00:00Z' });
    expect(applyWaivers(result, waivers, '2026-12-31T23:59:59Z').waivers?.[0]?.state).toBe('active');
    expect(applyWaivers(result, waivers, '2027-01-01T00:00:00Z').waivers?.[0]?.state).toBe('expired');
  });
});

describe('stale waivers', () => {
  it('are reported when they match no finding', async () => {
    const result = await exampleResult();
    const waivers = load(`
waivers:
  - rule: console-user-without-mfa
    account: '111111111111'
    principal: departed-user
    reason: user left in 2025
    expires: 2027-01-01
`);
    const applied = applyWaivers(result, waivers, NOW);
    expect(applied.waivers?.[0]).toMatchObject({ state: 'stale', matched: 0 });
    expect(applied.summary).toEqual(result.summary);
  });
});

describe('invalid waiver files', () => {
  it('report every problem with file, line and JSON pointer', () => {
    const errors = errorsOf(`waivers:
  - rule: root-access-key-exists
    account: 2222
    principal: 'arn:aws:iam::222222222222:root'
    expires: 2026-12-31
  - rule: unused-credentials
    account: '*'
    principal: bob
    reason: ok
    expires: 2026-12-31
    approver: me
`);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'waivers.yaml', line: 2, pointer: '/waivers/0', message: "missing required property 'reason'" }),
        expect.objectContaining({
          file: 'waivers.yaml',
          line: 3,
          pointer: '/waivers/0/account',
          suggestion: expect.stringContaining('quote'),
        }),
        expect.objectContaining({
          file: 'waivers.yaml',
          line: 11,
          pointer: '/waivers/1/approver',
          message: "unknown property 'approver'",
          suggestion: expect.stringContaining('approvedBy'),
        }),
      ]),
    );
  });

  it('reject an expiry beyond the maximum horizon, which is configurable', () => {
    const text = ROOT_KEY.replace('2026-12-31', '2028-06-30');
    expect(errorsOf(text)).toEqual([
      expect.objectContaining({ line: 8, pointer: '/waivers/0/expires', message: expect.stringContaining('more than 365 days') }),
    ]);
    expect(errorsOf(`maxExpiryDays: 30\n${ROOT_KEY}`)).toEqual([
      expect.objectContaining({ message: expect.stringContaining('more than 30 days') }),
    ]);
    expect(load(text, { maxExpiryDays: 800 })).toHaveLength(1);
  });

  it('reject an unknown rule with a suggestion, a bad date, duplicates and YAML syntax errors', () => {
    expect(
      errorsOf(ROOT_KEY.replace('root-access-key-exists', 'root-acess-key-exists'), { knownRules: ['root-access-key-exists'] }),
    ).toEqual([expect.objectContaining({ pointer: '/waivers/0/rule', suggestion: expect.stringContaining('root-access-key-exists') })]);
    expect(errorsOf(ROOT_KEY.replace('2026-12-31', '2026-02-30'))).toEqual([
      expect.objectContaining({ pointer: '/waivers/0/expires', message: expect.stringContaining('not a valid date') }),
    ]);
    const twice = `${ROOT_KEY}${ROOT_KEY.replace('waivers:\n', '')}`;
    expect(errorsOf(twice)).toEqual([expect.objectContaining({ pointer: '/waivers/1', message: expect.stringContaining('duplicate') })]);
    expect(errorsOf('waivers: [\n')[0]).toMatchObject({
      file: 'waivers.yaml',
      line: expect.any(Number),
      message: expect.stringContaining('YAML syntax'),
    });
  });
});

describe('waivers that match everything (issue 20 item 9)', () => {
  const catchAll = (principal: string, extra = '') => `
waivers:
  - rule: '*'
    account: '*'
    principal: '${principal}'
    reason: everything${extra}
    expires: 2026-12-31
`;

  it.each(['*', '**', '?*', '{*,}', '**/*'])('refuse principal %s with every rule and account, naming file and line', (principal) => {
    const [error, ...rest] = errorsOf(catchAll(principal));
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ file: 'waivers.yaml', line: 5, pointer: '/waivers/0/principal' });
    expect(error?.message).toContain('matches every finding');
    expect(error?.suggestion).toContain('catchAll: true');
  });

  it('accept one marked catchAll: true, and name it in the gate message whether the gate passes or fails', async () => {
    const result = await exampleResult();
    const waived = applyWaivers(result, load(`${catchAll('**')}    catchAll: true\n`), NOW);
    expect(waived.summary.open).toBe(0);
    const gate = evaluateGate(talliesOf(waived).gate, { failOn: 'critical' }, waived.waivers);
    expect(gate.failed).toBe(false);
    expect(describeGate(gate)).toBe(
      `gate --fail-on critical passed: no open finding at or above critical; a broad waiver is in force: waivers.yaml:3 (rule *, account *, principal **: ${result.findings.length} findings waived)`,
    );
  });

  it('name broad waivers (every rule, or every principal) but not narrow ones', async () => {
    const result = await exampleResult();
    const waivers = load(`
waivers:
  - rule: '*'
    account: '222222222222'
    principal: 'arn:aws:iam::222222222222:root'
    reason: every rule of one principal
    expires: 2026-12-31
  - rule: access-key-not-rotated
    account: '*'
    principal: '*'
    reason: one rule, every principal
    expires: 2026-12-31
  - rule: password-not-used
    account: '*'
    principal: 'arn:aws:iam::*:user/build/*'
    reason: narrow
    expires: 2026-12-31
`);
    const waived = applyWaivers(result, waivers, NOW);
    const gate = evaluateGate(talliesOf(waived).gate, { failOn: 'info' }, waived.waivers);
    expect(gate.broadWaivers).toHaveLength(
      waived.waivers?.filter((w) => w.state === 'active' && w.rule !== 'password-not-used').length ?? -1,
    );
    expect(gate.broadWaivers.join('\n')).toContain('waivers.yaml:3 (rule *, account 222222222222');
    expect(gate.broadWaivers.join('\n')).not.toContain('user/build');
    expect(describeGate(gate)).toContain('broad waiver');
  });
});

describe('the CLI with a catch-all waiver (issue 20 item 9)', () => {
  const file = (extra: string) => {
    const path = join(tempDir(), 'waivers.yaml');
    writeFileSync(
      path,
      `waivers:\n  - rule: '*'\n    account: '*'\n    principal: '**'\n    reason: silence\n    expires: 2026-12-31\n${extra}`,
    );
    return path;
  };
  const scan = (waivers: string) =>
    cli([
      'scan',
      '--from',
      'examples/org',
      '--as-of',
      '2026-11-02T00:00:00Z',
      '--waivers',
      waivers,
      '--fail-on',
      'critical',
      '--format',
      'json',
      '-q',
    ]);

  it('exits 2 naming the file and line, instead of passing the gate', async () => {
    const run = await scan(file(''));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/waivers\.yaml:4:\d+.*matches every finding/);
  });

  it('marked catchAll: true, passes the gate and names the waiver on stderr, even with --quiet', async () => {
    const run = await scan(file('    catchAll: true\n'));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /gate --fail-on critical passed: .*a broad waiver is in force: .*waivers\.yaml:2 \(rule \*, account \*, principal \*\*: \d+ findings waived\)/,
    );
  });
});
