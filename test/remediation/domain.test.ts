import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/index.js';
import { planFindings, type PlanOptions, type PrincipalPlan } from '../../src/core/remediation/index.js';
import { ACCOUNT, builtInCatalogue, catalogueWith, finding, keyEvidence, result, snapshotAccount } from './helpers.js';

const catalogue = builtInCatalogue();

function planOf(findings: Finding[], options: PlanOptions = {}, cat = catalogue): PrincipalPlan {
  return planFindings(result(findings), cat, options).accounts[0]!.plans[0]!;
}

const step = (plan: PrincipalPlan, id: string) => plan.steps.find((s) => s.id === id);

describe('1. a forced password reset must not lock the user out', () => {
  const reset = (facts: Record<string, unknown>) => planOf([finding('lost', 'reset-user-password', 'password', facts)]);

  it('adds IAMUserChangePassword before --password-reset-required when the user may not call iam:ChangePassword', () => {
    const plan = reset({ 'facts.recovery.password.changePasswordAllowed': false, 'facts.recovery.password.selfService': false });
    const prerequisite = step(plan, 'allow-password-change')!;
    expect(prerequisite.commands).toEqual([
      'aws iam attach-user-policy --user-name=alice --policy-arn arn:aws:iam::aws:policy/IAMUserChangePassword',
    ]);
    expect(prerequisite.n).toBeLessThan(step(plan, 'admin-reset-password')!.n);
    expect(prerequisite.caution).toMatch(/may not call iam:ChangePassword/);
  });

  it('leaves the prerequisite out when the user may change their own password', () => {
    const plan = reset({ 'facts.recovery.password.changePasswordAllowed': true });
    expect(step(plan, 'allow-password-change')).toBeUndefined();
    expect(step(plan, 'admin-reset-password')!.caution).toBeUndefined();
  });

  it('keeps it, with a caution, when that is not known', () => {
    expect(step(reset({}), 'allow-password-change')!.caution).toMatch(/not known here/);
  });

  it('warns that a user whose policies require MFA needs a working device too', () => {
    expect(step(reset({ 'facts.recovery.mfa.requiredByPolicies': true }), 'user-sets-password')!.caution).toMatch(
      /deny most actions without MFA/,
    );
  });
});

describe('3. deny-unless-MFA also blocks access keys', () => {
  it('warns a user with an active access key, and lists AWS exempt actions', () => {
    const account = snapshotAccount('carol', [{ ageDays: 10, usedDaysAgo: 1 }, null]);
    const plan = planOf([finding('console-user-without-mfa', 'enable-user-mfa', 'password', {}, { name: 'carol' })], {
      accounts: [account],
    });
    const requireMfa = step(plan, 'require-mfa')!;
    expect(requireMfa.caution).toBe(
      'carol has active access key 1: a policy that denies access without MFA also denies every call signed with it.',
    );
    for (const action of ['iam:ChangePassword', 'sts:GetSessionToken', 'iam:ResyncMFADevice', 'iam:EnableMFADevice'])
      expect(requireMfa.text).toContain(action);
  });

  it('has no such caution for a user without keys', () => {
    const account = snapshotAccount('carol', [null, null]);
    expect(
      step(
        planOf([finding('console-user-without-mfa', 'enable-user-mfa', 'password', {}, { name: 'carol' })], { accounts: [account] }),
        'require-mfa',
      )!.caution,
    ).toBeUndefined();
  });
});

describe('6. a key suspected of compromise is contained, not observed', () => {
  const account = snapshotAccount('alice', [
    { ageDays: 200, usedDaysAgo: 1 },
    { ageDays: 20, usedDaysAgo: 1 },
  ]);
  const findings = [
    finding('leaked-key', 'quarantine-compromised-access-key', 'access_key_1', {}),
    finding('access-key-not-rotated', 'rotate-access-key', 'access_key_1', {}),
  ];
  const plan = planOf(findings, { accounts: [account] });

  it('deactivates it first, quarantines the user, reviews CloudTrail in the last-used region, and never waits a week', () => {
    const ids = plan.steps.map((s) => s.id);
    expect(ids.slice(0, 4)).toEqual([
      'resolve-key-ids',
      'deactivate-compromised-key',
      'attach-quarantine-policy',
      'review-compromised-key-activity',
    ]);
    expect(ids).not.toContain('observe-key');
    expect(ids).not.toContain('create-replacement-key');
    expect(step(plan, 'attach-quarantine-policy')!.commands).toEqual([
      'aws iam attach-user-policy --user-name=alice --policy-arn arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3',
    ]);
    // --max-results turns off the CLI's pagination (one page of 50): --max-items pages, then events are aggregated.
    expect(step(plan, 'review-compromised-key-activity')!.commands[0]).toBe(
      "aws cloudtrail lookup-events --region=eu-west-1 --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=<ACCESS_KEY_ID_1> --max-items 1000 --query 'Events[].CloudTrailEvent' --output json | jq -r '.[] | fromjson | [.sourceIPAddress, .userAgent] | @tsv' | sort | uniq -c | sort -rn",
    );
    expect(JSON.stringify(plan)).not.toContain('--max-results 50');
  });

  it('finds the sessions the key minted and revokes them before the key is deleted: deactivation does not end them', () => {
    const ids = plan.steps.map((s) => s.id);
    const order = [
      'review-compromised-key-activity',
      'find-sessions-from-compromised-key',
      'revoke-sessions-from-compromised-key',
      'delete-compromised-key',
    ];
    expect(order.map((id) => ids.indexOf(id))).toEqual([...order.map((id) => ids.indexOf(id))].sort((a, b) => a - b));
    expect(order.every((id) => ids.includes(id))).toBe(true);
    const find = step(plan, 'find-sessions-from-compromised-key')!;
    expect(find.text).toMatch(/36 hours/);
    expect(find.commands[0]).toMatch(/AssumeRole.*GetSessionToken.*GetFederationToken/);
    const revoke = step(plan, 'revoke-sessions-from-compromised-key')!;
    expect(revoke.commands.map((c) => c.split(' --policy-document ')[0])).toEqual([
      'aws iam put-user-policy --user-name=alice --policy-name AWSRevokeOlderSessions',
      'aws iam put-role-policy --role-name <ROLE_NAME> --policy-name AWSRevokeOlderSessions',
    ]);
    // The console's "Revoke active sessions" policy, dated when it is pasted.
    for (const command of revoke.commands) {
      expect(command).toContain('{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"%s"}}}');
      expect(command).toContain('"$(date -u +%Y-%m-%dT%H:%M:%SZ)"');
    }
  });

  it('resolves the rotation finding by the containment', () => {
    expect(plan.findings.map((f) => f.resolution)).toEqual([
      'Contain access key 1 now (suspected of compromise): deactivate it, quarantine the user, then review what the key did.',
      'Access key 1 is contained as suspected of compromise and deleted, not rotated: issue a replacement only once the review is done.',
    ]);
  });

  it("says lookup-events covers 90 days of management events in one region, and queries the key's last-used region", () => {
    const retire = planOf([finding('unused', 'remove-unused-access-key', 'access_key_1', {})], { accounts: [account] });
    const consumers = step(retire, 'find-key-consumers')!;
    expect(consumers.text).toMatch(/last 90 days of management events, in the one region you ask, and no data events/);
    expect(consumers.commands[0]).toContain('--region=eu-west-1');
  });
});

describe('8. smaller points', () => {
  it('writes ARNs in the partition of the account', () => {
    const gov = {
      ...finding('console-user-without-mfa', 'enable-user-mfa', 'password'),
      principal: { type: 'user' as const, name: 'alice', arn: `arn:aws-us-gov:iam::${ACCOUNT}:user/alice` },
    };
    const commands = planOf([gov])
      .steps.flatMap((s) => s.commands)
      .join('\n');
    expect(commands).toContain(`--serial-number arn:aws-us-gov:iam::${ACCOUNT}:mfa/alice`);
    expect(commands).not.toContain('arn:aws:');
  });

  it('checks hardware MFA on the root ARN only', () => {
    const plan = planOf([finding('root-hardware-mfa', 'enable-root-hardware-mfa', null, {}, { type: 'root' })]);
    expect(plan.verification).toContain(
      `$ aws iam list-virtual-mfa-devices --assignment-status Assigned --query "VirtualMFADevices[?ends_with(User.Arn, ':root')].SerialNumber"`,
    );
  });

  it('opens one privileged root session per plan, however many procedures use it', () => {
    const plan = planOf([
      finding('root-mfa-disabled', 'enable-root-mfa', null, {}, { type: 'root' }),
      finding('root-access-key-exists', 'delete-root-access-key', 'access_key_1', keyEvidence(100, 200), { type: 'root' }),
    ]);
    const sessions = plan.alternatives.flatMap((a) => a.steps).filter((s) => s.id === 'assume-root-delete-credentials');
    expect(sessions).toHaveLength(1);
    expect(plan.alternatives).toHaveLength(1);
  });

  it('gives root signing certificates the privileged-task option, and IAM users none', () => {
    const root = planOf([finding('old-signing-certificate', 'rotate-signing-certificate', 'cert_1', {}, { type: 'root' })]);
    expect(root.alternatives[0]!.steps.flatMap((s) => s.commands)).toContain(
      'aws iam delete-signing-certificate --certificate-id <CERTIFICATE_ID_1>',
    );
    expect(planOf([finding('old-signing-certificate', 'rotate-signing-certificate', 'cert_1', {})]).alternatives).toEqual([]);
  });

  it('reviews root activity from an audit role, not as root', () => {
    const plan = planOf([finding('root-used-recently', 'stop-using-root', 'password', {}, { type: 'root' })]);
    expect(step(plan, 'review-root-activity')!.actor).toBe('auditor');
  });
});

describe('key ids', () => {
  it('fills in ids a live scan resolved, and drops the lookup step', () => {
    const account = snapshotAccount('alice', [
      { ageDays: 200, usedDaysAgo: 100, id: 'AKIAIOSFODNN7EXAMPLE' },
      { ageDays: 5, usedDaysAgo: 1, id: 'AKIAI44QH8DHBEXAMPLE' },
    ]);
    const plan = planOf([finding('access-key-not-rotated', 'rotate-access-key', 'access_key_1', {})], { accounts: [account] });
    expect(plan.steps.map((s) => s.id)).not.toContain('resolve-key-ids');
    expect(step(plan, 'deactivate-key')!.commands).toEqual([
      'aws iam update-access-key --user-name=alice --access-key-id=AKIAIOSFODNN7EXAMPLE --status Inactive',
    ]);
  });

  it('keeps the explicit lookup when they are not known', () => {
    const account = snapshotAccount('alice', [{ ageDays: 200, usedDaysAgo: 100 }, null]);
    expect(planOf([finding('access-key-not-rotated', 'rotate-access-key', 'access_key_1', {})], { accounts: [account] }).steps[0]!.id).toBe(
      'resolve-key-ids',
    );
  });
});

describe('declarations, not ids, drive the planner', () => {
  it('a user procedure that declares retire-key merges with a rotation like the built-in one', () => {
    const yaml = [
      'id: retire-service-key',
      'title: Retire a service key',
      'actor: administrator',
      'summary: Service keys go through the platform team.',
      'appliesTo: [user]',
      'phase: 30',
      'handles: [retire-key]',
      'steps:',
      '  - use: resolve-key-ids',
      '  - id: ticket-platform',
      '    role: document',
      '    text: Open a platform ticket to retire access key {{slot}} of {{user}}.',
      '    only: [access_key]',
      '  - use: deactivate-key',
      '  - use: delete-key',
    ].join('\n');
    const custom = catalogueWith({ 'retire-service-key.yaml': yaml });
    const plan = planOf(
      [
        finding('mine', 'retire-service-key', 'access_key_1', keyEvidence(100, null)),
        finding('access-key-not-rotated', 'rotate-access-key', 'access_key_1', keyEvidence(100, null)),
      ],
      {},
      custom,
    );
    expect(plan.procedures).toEqual(['retire-service-key']);
    expect(plan.findings[1]!.resolution).toMatch(/^Access key 1 is retired instead of rotated/);
    expect(step(plan, 'deactivate-key')!.caution).toMatch(/never used/);
  });

  it('a renamed step keeps its caution: cautions follow the declaration', () => {
    const yaml = [
      'id: remove-unused-access-key',
      'steps:',
      '  - use: resolve-key-ids',
      '  - id: switch-it-off',
      '    role: deactivate',
      '    text: Switch off access key {{slot}}.',
      '    only: [access_key]',
      '    cautions: [never-used, recently-used]',
      '  - use: delete-key',
    ].join('\n');
    const plan = planOf(
      [finding('unused', 'remove-unused-access-key', 'access_key_1', keyEvidence(100, null))],
      {},
      catalogueWith({ 'remove-unused-access-key.yaml': yaml }),
    );
    expect(step(plan, 'switch-it-off')!.caution).toMatch(/was never used/);
  });
});

describe('who grants a recovery path', () => {
  it('an administrator grants it even when only root can reset the credential: granting IAM policies is another question', () => {
    const plan = planOf([
      finding('no-recovery-path', 'establish-recovery-path', 'password', {
        'facts.recovery.password.hasPath': false,
        'facts.recovery.password.rootOnly': true,
        'facts.recovery.password.administrators': [],
        'facts.recovery.password.selfService': false,
      }),
    ]);
    expect(step(plan, 'name-recovery-admins')!.actor).toBe('administrator');
  });
});
