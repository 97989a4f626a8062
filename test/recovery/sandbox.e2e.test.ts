/**
 * Recovery paths end to end: the real SDK clients collect authorization details, password
 * policies and SCPs from the sandbox organisation in examples/sandbox/recovery-org.json, the
 * analysis attaches facts, and the built-in rules flag exactly the planted users.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixture, startSandbox, type OrgFixture, type SandboxHandle } from '../../src/sandbox/index.js';
import { collectOrganization } from '../../src/collectors/aws/collect.js';
import { withDefaults } from '../../src/collectors/aws/options.js';
import { loadRuleset } from '../../src/collectors/files/rules.js';
import { evaluateSnapshot } from '../../src/core/engine/result.js';
import { analyseStoredAccount, type UserRecovery } from '../../src/core/recovery/index.js';
import type { Account } from '../../src/model/index.js';

const FIXTURE = fileURLToPath(new URL('../../examples/sandbox/recovery-org.json', import.meta.url));
const RECOVERY_RULES = new Set(['no-recovery-path', 'single-administrator', 'password-hard-expiry-lockout']);

let box: SandboxHandle | undefined;
afterEach(async () => {
  await box?.close();
  box = undefined;
});

async function scan(
  context: 'all' | 'auto',
  recoveryNeeded: boolean,
  fixture: Partial<OrgFixture> = {},
): Promise<{ accounts: Account[]; calls: Record<string, number> }> {
  box = await startSandbox({ fixture: { ...loadFixture(FIXTURE), ...fixture } });
  const options = withDefaults({
    selection: { mode: 'org' },
    concurrency: 3,
    context,
    contextNeeds: { rootMfa: false, passwordPolicy: false, summary: false, recovery: recoveryNeeded },
    aws: { endpoints: { iam: box.endpoint, sts: box.endpoint, organizations: box.endpoint }, credentials: box.credentials },
  });
  const accounts: Account[] = [];
  const calls: Record<string, number> = {};
  for await (const event of collectOrganization(options)) {
    if (event.type !== 'scanned') throw new Error(`account ${event.outcome.id} ${event.outcome.status}: ${event.outcome.reason}`);
    accounts.push(event.account);
    for (const [op, n] of Object.entries(event.calls)) calls[op] = (calls[op] ?? 0) + n;
  }
  return { accounts: accounts.sort((a, b) => a.id.localeCompare(b.id)), calls };
}

function recoveryOf(accounts: Account[], account: string, user: string): UserRecovery {
  const principal = accounts.find((a) => a.id === account)?.principals.find((p) => p.name === user);
  return principal?.facts?.recovery as UserRecovery;
}

describe('recovery paths against the sandbox organisation', () => {
  it('flags exactly the planted users', async () => {
    const { accounts } = await scan('auto', true);
    const findings = evaluateSnapshot({ accounts }, loadRuleset({ pack: 'complete', rulesDirs: [] }).ruleset, {
      toolVersion: 't',
    }).findings;
    const flagged = findings
      .filter((f) => RECOVERY_RULES.has(f.ruleId))
      .map((f) => `${f.ruleId} ${f.accountId} ${f.principal.name} ${f.credential ?? '-'}`);
    expect(flagged.sort()).toEqual([
      'no-recovery-path 300000000003 analyst password', // the SCP denies every password reset, even root's
      'no-recovery-path 500000000005 app.user password', // the boundary removes ops.lead's IAM rights
      'no-recovery-path 500000000005 ops.lead password',
      'password-hard-expiry-lockout 300000000003 analyst password',
      'single-administrator 200000000002 solo.admin -',
    ]);
  });

  it('records self-service, conditional paths, roles and root fallbacks as facts', async () => {
    const { accounts } = await scan('all', false);
    expect(recoveryOf(accounts, '400000000004', 'kim').accessKeys).toMatchObject({ selfService: true, hasPath: true });
    // The Lambda-only role has AdministratorAccess too, but no person can assume it.
    expect(recoveryOf(accounts, '400000000004', 'kim').password.administrators).toEqual([
      'arn:aws:iam::400000000004:user/breakglass',
      'arn:aws:iam::400000000004:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_5f2a8e',
    ]);
    expect(recoveryOf(accounts, '600000000006', 'worker').password).toMatchObject({ hasPath: true, conditional: true });
    expect(recoveryOf(accounts, '300000000003', 'analyst').password).toMatchObject({
      hasPath: false,
      rootOnly: false,
      rootFallback: 'blocked-by-scp',
    });
    expect(recoveryOf(accounts, '500000000005', 'app.user').password).toMatchObject({
      hasPath: false,
      rootOnly: true,
      rootFallback: 'available',
    });
    // The same SCP is attached to the management account, where SCPs have no effect.
    expect(recoveryOf(accounts, '100000000001', 'mgmt.admin2').password.administrators).toEqual([
      'arn:aws:iam::100000000001:user/mgmt.admin1',
    ]);
    const management = accounts.find((a) => a.id === '100000000001')!;
    expect(management.facts?.recovery).toMatchObject({ administratorCount: 2, singleAdministrator: false });
  });

  it('keeps the inputs in the snapshot so that an offline explanation gives the same answer', async () => {
    const { accounts } = await scan('all', false);
    const stored = JSON.parse(JSON.stringify(accounts.find((a) => a.id === '300000000003'))) as Account;
    const analysis = analyseStoredAccount(stored, { collectPaths: true })!;
    const analyst = 'arn:aws:iam::300000000003:user/analyst';
    const { soleAdministrator, ...live } = recoveryOf(accounts, '300000000003', 'analyst');
    expect(soleAdministrator).toBe(false);
    expect(analysis.users.get(analyst)).toStrictEqual(live);
    const denied = analysis.paths!.get(analyst)!.find((p) => p.principal.endsWith('user/admin.a') && p.credential === 'password')!;
    expect(denied.decision).toBe('deny');
    expect(denied.statements.find((s) => s.effect === 'Deny')).toMatchObject({
      layer: 'scp',
      policyName: 'DenyPasswordReset',
      sid: 'NoPasswordResets',
      scpTarget: 'ou-rcvr-locked',
    });
  });

  it('with the SCP policy type disabled, SCPs apply to nobody and only users without any path are flagged', async () => {
    const { accounts, calls } = await scan('auto', true, { serviceControlPolicies: false });
    expect(recoveryOf(accounts, '300000000003', 'analyst').password).toMatchObject({
      hasPath: true,
      administrators: ['arn:aws:iam::300000000003:user/admin.a', 'arn:aws:iam::300000000003:user/admin.b'],
    });
    for (const account of accounts) {
      for (const user of account.principals.filter((p) => p.type === 'user')) {
        const recovery = user.facts?.recovery as UserRecovery;
        expect(recovery.password.rootFallback).not.toBe('blocked-by-scp');
        expect(recovery.accessKeys.rootFallback).not.toBe('blocked-by-scp');
      }
    }
    const findings = evaluateSnapshot({ accounts }, loadRuleset({ pack: 'complete', rulesDirs: [] }).ruleset, {
      toolVersion: 't',
    }).findings;
    expect(
      findings
        .filter((f) => f.ruleId === 'no-recovery-path')
        .map((f) => `${f.accountId} ${f.principal.name}`)
        .sort(),
    ).toEqual(['500000000005 app.user', '500000000005 ops.lead']);
    // The policy type status says SCPs are off: no attachment is even listed.
    expect(calls.ListPoliciesForTarget).toBeUndefined();
  });

  it('records which fact roots each account decides, and why the others could not be read', async () => {
    const denied = { ...loadFixture(FIXTURE) };
    denied.accounts = denied.accounts.map((a) =>
      a.id === '500000000005' ? { ...a, faults: { denyOperations: ['GetAccountAuthorizationDetails'] } } : a,
    );
    const { accounts } = await scan('auto', true, denied);
    const ok = accounts.find((a) => a.id === '300000000003')!;
    expect(ok.factsCollected).toEqual(
      expect.arrayContaining(['passwordPolicy', 'recovery', 'recoveryInputs', 'rootCredentialsManagement', 'rootSessions']),
    );
    expect(ok.factsUnavailable).toBeUndefined();
    const failed = accounts.find((a) => a.id === '500000000005')!;
    expect(failed.factsCollected).not.toContain('recovery');
    expect(failed.factsUnavailable?.recovery).toMatch(/^GetAccountAuthorizationDetails: AccessDenied/);
  });

  it('makes no recovery calls unless a rule needs them', async () => {
    const { calls, accounts } = await scan('auto', false);
    expect(calls.GetAccountAuthorizationDetails).toBeUndefined();
    expect(calls.ListPoliciesForTarget).toBeUndefined();
    expect(accounts.every((a) => a.facts?.recovery === undefined)).toBe(true);
  });
});
