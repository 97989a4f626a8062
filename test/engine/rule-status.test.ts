import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Principal, RuleSummary, ScanResult, Snapshot } from '../../src/model/index.js';
import { ruleStatus, undecidedReason } from '../../src/core/engine/coverage.js';
import { cli, tempDir } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

const AS_OF = ['--as-of', '2026-11-02T00:00:00Z'];

async function json(argv: string[], cwd?: string): Promise<ScanResult> {
  const run = await cli([...argv, '--format', 'json', '--quiet', ...AS_OF], cwd ? { cwd } : {});
  expect(run.stderr).toBe('');
  return readResultText(run.stdout);
}

function rule(result: ScanResult, id: string): RuleSummary {
  const found = result.rules.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

describe('ruleStatus', () => {
  const coverage = (evaluatedAccounts: number, notEvaluated: number) => ({
    evaluatedAccounts,
    notEvaluated: Array.from({ length: notEvaluated }, (_, i) => ({ accountId: String(i), reason: 'r' })),
  });
  it.each([
    [1, 3, 0, 'failed'],
    [1, 0, 3, 'failed'],
    [0, 0, 3, 'not-evaluated'],
    [0, 0, 0, 'not-evaluated'],
    [0, 2, 1, 'partial'],
    [0, 3, 0, 'passed'],
  ] as const)('%i open, %i evaluated, %i not evaluated: %s', (open, evaluated, notEvaluated, status) => {
    expect(ruleStatus(open, coverage(evaluated, notEvaluated))).toBe(status);
  });
  it.each([
    [{ open: 1, waived: 2, deviations: [{}] }, 3, 0, 'failed'],
    [{ open: 0, waived: 2, deviations: [{}] }, 3, 0, 'accepted'],
    [{ open: 0, waived: 1 }, 0, 3, 'accepted'],
    [{ open: 0, waived: 0, deviations: [{}] }, 3, 0, 'deviates'],
    [{ open: 0, waived: 0, deviations: [{}] }, 2, 1, 'deviates'],
    [{ open: 0, waived: 0, deviations: [{}] }, 0, 3, 'not-evaluated'],
  ] as const)('%o, %i evaluated, %i not evaluated: %s (never passed)', (verdict, evaluated, notEvaluated, status) => {
    expect(ruleStatus(verdict, coverage(evaluated, notEvaluated))).toBe(status);
  });
});

describe('undecidedReason (the fact-availability contract)', () => {
  const hardwareMfa = {
    requiredFacts: ['rootMfa'],
    needsLiveScan: "the credential report does not say whether root's MFA is a hardware device",
  };
  it('decides a rule that reads no facts anywhere', () => {
    expect(undecidedReason({ requiredFacts: [] }, {})).toBeUndefined();
  });
  it('on a saved report, says what only a live scan can tell, from the rule', () => {
    expect(undecidedReason(hardwareMfa, { source: 'x.csv' })).toBe(
      "needs a live scan: the credential report does not say whether root's MFA is a hardware device",
    );
    expect(undecidedReason({ requiredFacts: ['a', 'b'] }, {})).toBe('needs a live scan: the credential report has no a, b facts');
  });
  it('decides where every required root was collected and none is unavailable', () => {
    expect(undecidedReason(hardwareMfa, { source: 'aws', factsCollected: ['rootMfa', 'recovery'] })).toBeUndefined();
    expect(
      undecidedReason(hardwareMfa, {
        source: 'aws',
        factsCollected: ['rootMfa'],
        factsUnavailable: { rootMfa: 'ListVirtualMFADevices: AccessDenied' },
      }),
    ).toBe('ListVirtualMFADevices: AccessDenied');
    expect(undecidedReason(hardwareMfa, { source: 'aws', factsCollected: ['recovery'] })).toBe('not collected in this scan: rootMfa facts');
    expect(undecidedReason(hardwareMfa, { source: 'aws' })).toBe('not collected in this scan: rootMfa facts');
  });
  it('decides a rule about the account only where the report lists the root user (moto lists none)', () => {
    const policy = { requiredFacts: ['passwordPolicy'], appliesTo: new Set(['root'] as const) };
    const collected = { source: 'aws', factsCollected: ['passwordPolicy'] };
    const root = { type: 'root' } as Principal;
    const user = { type: 'user' } as Principal;
    expect(undecidedReason(policy, { ...collected, principals: [root, user] })).toBeUndefined();
    expect(undecidedReason(policy, { ...collected, principals: [user] })).toMatch(/no <root_account> row/);
    // A rule reading no facts is held to it too; a rule about users is not.
    expect(undecidedReason({ requiredFacts: [], appliesTo: new Set(['root'] as const) }, { principals: [] })).toMatch(
      /no <root_account> row/,
    );
    expect(undecidedReason({ requiredFacts: [], appliesTo: new Set(['user', 'root'] as const) }, { principals: [user] })).toBeUndefined();
    // Missing facts are the first reason.
    expect(undecidedReason(policy, { source: 'aws', principals: [user] })).toBe('not collected in this scan: passwordPolicy facts');
  });
});

describe('rule status of an offline scan', () => {
  it.each([['complete'], ['cis-aws-3.0']])(
    '--pack %s: rules that need facts are not evaluated, never passed, with the reason',
    async (pack) => {
      const result = await json(['scan', '--from', 'examples/org', '--pack', pack]);
      const needFacts = [
        'root-hardware-mfa',
        'no-recovery-path',
        'single-administrator',
        'password-hard-expiry-lockout',
        'password-policy-missing',
        'password-policy-min-length',
        'password-policy-reuse-prevention',
        'password-policy-weak',
        'expired-server-certificate',
        'bedrock-long-term-api-key',
        'api-key-without-expiry',
        'service-credential-not-rotated',
        'service-credential-of-inactive-user',
        'ssh-public-key-not-rotated',
        'ssh-public-key-of-inactive-user',
      ].filter((id) => result.rules.some((r) => r.id === id));
      expect(needFacts.length).toBeGreaterThan(0);
      for (const id of needFacts) {
        const r = rule(result, id);
        expect(r.status).toBe('not-evaluated');
        expect(r.evaluatedAccounts).toBe(0);
        expect(r.notEvaluated.map((n) => n.accountId)).toEqual(result.accounts.map((a) => a.id));
        for (const n of r.notEvaluated) expect(n.reason).toMatch(/^needs a live scan: the credential report /);
      }
      expect(rule(result, 'root-hardware-mfa').notEvaluated[0]!.reason).toBe(
        "needs a live scan: the credential report does not say whether root's MFA is a hardware device",
      );
      // The report decides the rest everywhere; optional facts (root-mfa-disabled) do not block it.
      for (const r of result.rules.filter((x) => !needFacts.includes(x.id))) {
        expect(r.evaluatedAccounts, r.id).toBe(4);
        expect(r.status, r.id).toBe((result.summary.byRule[r.id] ?? 0) > 0 ? 'failed' : 'passed');
      }
    },
  );

  it('the text and Markdown reports say which rules were not evaluated, and why', async () => {
    const text = (await cli(['scan', '--from', 'examples/org', '--pack', 'cis-aws-3.0'])).stdout;
    expect(text).toMatch(
      /^ {2}root-hardware-mfa +not evaluated +4 accounts: needs a live scan: the credential report does not say whether root's MFA is a hardware device$/m,
    );
    expect(text).toMatch(/^Summary: .* · rules: 8 failed, 0 passed, 5 not evaluated · 4 accounts scanned$/m);
    const markdown = (await cli(['scan', '--from', 'examples/org', '--pack', 'cis-aws-3.0', '--format', 'markdown'])).stdout;
    expect(markdown).toMatch(
      /^\| `root-hardware-mfa`<br>[^|]+ \| high \| CIS 3\.0 1\.6[^|]* \| ⚪ not evaluated \| 0 \| 0 \| 4: needs a live scan: [^|]+ \(4 accounts\) \|$/m,
    );
  });

  it('a rule whose only findings are waived is accepted: not failed, never passed', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'waivers.yaml'),
      "waivers:\n  - rule: root-access-key-exists\n    account: '*'\n    principal: '*'\n    reason: accepted\n    expires: 2026-12-01\n",
    );
    const before = await json(['scan', '--from', join(process.cwd(), 'examples/org')]);
    expect(rule(before, 'root-access-key-exists').status).toBe('failed');
    const after = await json(['scan', '--from', join(process.cwd(), 'examples/org'), '--waivers', 'waivers.yaml'], dir);
    expect(after.findings.filter((f) => f.ruleId === 'root-access-key-exists').every((f) => f.status === 'waived')).toBe(true);
    expect(rule(after, 'root-access-key-exists').status).toBe('accepted');
  });
});

describe('rule status with collected facts, failed accounts and shards', () => {
  /** The example organisation as a snapshot: two accounts collected live, two from reports, one failed. */
  async function snapshotFile(): Promise<string> {
    const dir = tempDir();
    const path = join(dir, 'snapshot.json');
    await cli(['scan', '--from', 'examples/org', '--save-snapshot', path, '--quiet', '--format', 'json']);
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
    const live = { source: 'aws', factsCollected: ['rootMfa', 'recovery', 'rootCredentialsManagement', 'rootCredentialsPresent'] };
    snapshot.accounts[0] = { ...snapshot.accounts[0]!, ...live, facts: { rootMfa: 'hardware' } };
    snapshot.accounts[1] = {
      ...snapshot.accounts[1]!,
      ...live,
      facts: { rootMfa: 'hardware' },
      factsUnavailable: { recovery: 'GetAccountAuthorizationDetails: AccessDenied' },
    };
    snapshot.skippedAccounts = [
      { id: '444444444444', status: 'failed', reason: 'AssumeRole: AccessDenied' },
      { id: '666666666666', status: 'skipped', reason: 'SUSPENDED: not scanned' },
    ];
    writeFileSync(path, JSON.stringify(snapshot));
    return path;
  }

  it('decides each rule where its facts were collected, and lists the others with why', async () => {
    const result = await json(['evaluate', await snapshotFile(), '--pack', 'complete']);
    const [a, b, c, d] = ['111111111111', '222222222222', '333333333333', '555555555555'];
    const failed = { accountId: '444444444444', reason: 'account failed: AssumeRole: AccessDenied' };
    const offline = (id: string, rule: string) => ({
      accountId: id,
      reason: expect.stringMatching(new RegExp(`^needs a live scan: .*${rule}`)) as unknown as string,
    });
    expect(rule(result, 'root-hardware-mfa')).toMatchObject({
      status: 'partial',
      evaluatedAccounts: 2,
      notEvaluated: [offline(c!, 'hardware'), failed, offline(d!, 'hardware')],
    });
    expect(rule(result, 'no-recovery-path')).toMatchObject({
      status: 'partial',
      evaluatedAccounts: 1,
      notEvaluated: [
        { accountId: b, reason: 'GetAccountAuthorizationDetails: AccessDenied' },
        offline(c!, 'reset'),
        failed,
        offline(d!, 'reset'),
      ],
    });
    expect(a).toBe('111111111111');
    // A rule the report decides is evaluated in every scanned account; the failed one is listed, the skipped one is not.
    expect(rule(result, 'access-key-not-rotated')).toMatchObject({ status: 'failed', evaluatedAccounts: 4, notEvaluated: [failed] });
  });

  it('merging the shards gives the statuses of a single run', async () => {
    const file = await snapshotFile();
    const single = await json(['evaluate', file, '--pack', 'complete']);
    const dir = tempDir();
    for (const k of [1, 2, 3])
      await cli([
        'evaluate',
        file,
        '--pack',
        'complete',
        '--shard',
        `${k}/3`,
        '--format',
        'json',
        '--output',
        join(dir, `s${k}.json`),
        ...AS_OF,
      ]);
    const merged = await cli(['merge', join(dir, 's1.json'), join(dir, 's2.json'), join(dir, 's3.json'), '--format', 'json']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(readResultText(merged.stdout).rules).toEqual(single.rules);
  });
});
