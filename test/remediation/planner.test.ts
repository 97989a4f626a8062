import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/index.js';
import {
  attachPlans,
  planFindings,
  plansForReport,
  plansFromResult,
  PLAN_HEADER,
  type PlanOptions,
  type PrincipalPlan,
} from '../../src/core/remediation/index.js';
import { finding, keyEvidence, result, snapshotAccount, builtInCatalogue, catalogueWith } from './helpers.js';

const catalogue = builtInCatalogue();

/** Plans the findings and returns the only principal plan. */
function planOf(findings: Finding[], options: PlanOptions = {}): PrincipalPlan {
  const set = planFindings(result(findings), catalogue, options);
  expect(set.accounts).toHaveLength(1);
  expect(set.accounts[0]!.plans).toHaveLength(1);
  return set.accounts[0]!.plans[0]!;
}

const stepIds = (plan: PrincipalPlan) => plan.steps.map((s) => (s.credential ? `${s.id}@${s.credential}` : s.id));
const allText = (plan: PrincipalPlan) => JSON.stringify([plan.steps, plan.alternatives, plan.notes]);

describe('root user versus IAM user', () => {
  const rootCases: [string, Finding[]][] = [
    [
      'root access key',
      [finding('root-access-key-exists', 'delete-root-access-key', 'access_key_1', keyEvidence(400, 3), { type: 'root' })],
    ],
    ['root MFA', [finding('root-mfa-disabled', 'enable-root-mfa', null, {}, { type: 'root' })]],
    ['root password reset', [finding('custom-root-lost', 'reset-root-password', 'password', {}, { type: 'root' })]],
    ['root recovery path', [finding('no-recovery-path', 'establish-recovery-path', null, {}, { type: 'root' })]],
    [
      'root inactive key',
      [finding('inactive-access-key', 'delete-inactive-access-key', 'access_key_2', keyEvidence(400, 200, false), { type: 'root' })],
    ],
  ];

  it.each(rootCases)('%s: the root user acts itself and is never sent to an administrator', (_name, findings) => {
    const plan = planOf(findings);
    expect(plan.steps.length).toBeGreaterThan(0);
    // A read-only auditor may look things up (when an inactive key was deactivated); every change is root's.
    expect(plan.actors.filter((actor) => actor !== 'auditor')).toEqual(['root']);
    for (const s of plan.steps.filter((x) => x.actor === 'auditor'))
      expect(s.commands.join('\n')).not.toMatch(/aws iam (delete|update|create|put)-/);
    expect(allText(plan)).not.toMatch(/ask (an|your) administrator|an administrator/i);
    for (const alt of plan.alternatives) expect(alt.actor).toBe('management-account');
  });

  it('never names the root user with --user-name: IAM refuses list-access-keys --user-name <root_account>', () => {
    for (const procedure of [...catalogue.values()].filter((p) => p.appliesTo.includes('root'))) {
      for (const credential of [null, 'password', 'access_key_1', 'access_key_2', 'cert_1'] as const) {
        const evidence = credential?.startsWith('access_key') ? keyEvidence(400, 200, false) : {};
        for (const plan of planFindings(
          result([finding('r', procedure.id, credential, evidence, { type: 'root' })]),
          catalogue,
        ).accounts.flatMap((a) => a.plans)) {
          const commands = [
            ...plan.steps.flatMap((s) => s.commands),
            ...plan.alternatives.flatMap((a) => a.steps.flatMap((s) => s.commands)),
            ...plan.verification.filter((v) => v.startsWith('$ ')),
          ];
          for (const command of commands) expect(command, `${procedure.id} ${credential}`).not.toMatch(/--user-name/);
        }
      }
    }
  });

  it('root keys are deleted in the console, with the privileged-task alternative for member accounts', () => {
    const plan = planOf(rootCases[0]![1]);
    expect(stepIds(plan)).toEqual([
      'root-sign-in',
      'root-find-key@access_key_1',
      'root-move-consumers@access_key_1',
      'root-deactivate-key@access_key_1',
      'root-delete-key@access_key_1',
    ]);
    // The privileged task cannot deactivate a key, so nothing is reversible: its consumers are found first,
    // from an audit role, by access key id in CloudTrail, aggregated by source IP and user agent.
    const central = plan.alternatives[0]!;
    expect(central.when).toMatch(/inactive, or not used in the last 90 days/);
    expect(central.steps.map((s) => s.id)).toEqual([
      'assume-root-find-key-consumers',
      'assume-root-delete-credentials',
      'central-delete-root-key',
    ]);
    const [consumers, session, remove] = central.steps;
    expect(consumers!.actor).toBe('auditor');
    expect(consumers!.commands).toEqual([
      'aws iam get-access-key-last-used --access-key-id <ACCESS_KEY_ID_1>',
      "aws cloudtrail lookup-events --region <LAST_USED_REGION> --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=<ACCESS_KEY_ID_1> --max-items 1000 --query 'Events[].CloudTrailEvent' --output json | jq -r '.[] | fromjson | [.sourceIPAddress, .userAgent] | @tsv' | sort | uniq -c | sort -rn",
    ]);
    expect(consumers!.text).toMatch(/no reversible step/);
    expect(consumers!.text).toMatch(/\(last used 3 days ago/);
    expect(session!.commands).toEqual([
      'aws sts assume-root --region <REGION> --target-principal=123456789012 --task-policy-arn arn=arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials --duration-seconds 900',
    ]);
    expect(remove!.commands).toEqual(['aws iam list-access-keys', 'aws iam delete-access-key --access-key-id <ACCESS_KEY_ID_1>']);
    expect(remove!.text).toMatch(/^Only if the consumer check found nothing: .*This cannot be undone/);
  });

  it('the root password goes through "Forgot your password?"; an IAM user password never does', () => {
    const root = planOf([finding('lost', 'reset-root-password', 'password', {}, { type: 'root' })]);
    expect(allText(root)).toContain('Forgot your password?');
    expect(root.alternatives[0]!.steps.flatMap((s) => s.commands)).toContain('aws iam create-login-profile');

    const user = planOf([finding('lost', 'reset-user-password', 'password', {}, { name: 'bob' })]);
    expect(allText(user)).not.toMatch(/forgot your password/i);
    const reset = user.steps.find((s) => s.id === 'admin-reset-password')!;
    expect(reset.actor).toBe('administrator');
    expect(reset.commands).toContain(
      "printf '%s' \"$TEMP_PASSWORD\" | jq -Rs '{Password: ., PasswordResetRequired: true}' | aws iam update-login-profile --user-name=bob --cli-input-json file:///dev/stdin",
    );
    expect(reset.commands.join('\n')).not.toContain('--password');
  });
});

describe('procedures that do not fit the principal', () => {
  it('an IAM user finding that names the root password procedure gets no "Forgot your password?" step', () => {
    const plan = planOf([finding('my-rule', 'reset-root-password', 'password', {}, { name: 'bob' })]);
    expect(plan.steps).toEqual([]);
    expect(allText(plan)).not.toMatch(/forgot your password/i);
    expect(plan.findings[0]!.resolution).toBe('No plan: procedure reset-root-password does not apply to IAM users.');
  });

  it('a root key flagged by a user-only key procedure is deleted the root way', () => {
    const plan = planOf([finding('my-rule', 'remove-unused-access-key', 'access_key_1', keyEvidence(300, null), { type: 'root' })]);
    expect(plan.procedures).toEqual(['delete-root-access-key']);
    expect(plan.actors).toEqual(['root']);
  });
});

describe('self-service versus administrator', () => {
  const recovery = (accessKeys: Record<string, unknown>, password: Record<string, unknown> = accessKeys) => ({
    'facts.recovery': { accessKeys, password },
  });
  const lostKey = (evidence: Record<string, unknown>) => [
    finding('lost-key', 'replace-lost-user-access-key', 'access_key_1', { ...keyEvidence(30, 1), ...evidence }),
  ];

  it.each([
    ['the user may manage their own keys', recovery({ selfService: true, administrators: [] }), ['self-create-key'], 'iam-user'],
    [
      'a named administrator can',
      recovery({ selfService: false, administrators: ['arn:aws:iam::123456789012:role/IdentityAdmin'] }),
      ['admin-create-key'],
      'administrator',
    ],
    ['only root can', recovery({ selfService: false, administrators: [], rootOnly: true }), ['admin-create-key'], 'root'],
    ['unknown (no recovery facts)', {}, ['self-create-key', 'admin-create-key'], undefined],
  ])('new access key when %s', (_name, evidence, createSteps, actor) => {
    const plan = planOf(lostKey(evidence));
    const creates = plan.steps.filter((s) => s.id.endsWith('create-key'));
    expect(creates.map((s) => s.id)).toEqual(createSteps);
    if (actor !== undefined) expect(creates[0]!.actor).toBe(actor);
  });

  it('names the administrator who can reset a password, else the root user', () => {
    const named = planOf([
      finding(
        'lost',
        'reset-user-password',
        'password',
        recovery({}, { selfService: false, administrators: ['arn:aws:iam::123456789012:role/IdentityAdmin'] }),
      ),
    ]);
    expect(named.steps.find((s) => s.id === 'admin-reset-password')!.text).toContain('arn:aws:iam::123456789012:role/IdentityAdmin');
    expect(named.administrators).toEqual(['arn:aws:iam::123456789012:role/IdentityAdmin']);

    const rootOnly = planOf([finding('lost', 'reset-user-password', 'password', recovery({}, { selfService: false, administrators: [] }))]);
    const reset = rootOnly.steps.find((s) => s.id === 'admin-reset-password')!;
    expect(reset.actor).toBe('root');
    expect(reset.text).toContain('The root user of account 123456789012');
  });

  it('lists only the administrators of the credentials the findings are about', () => {
    const keyAdmin = 'arn:aws:iam::123456789012:role/KeyAdmin';
    const facts = recovery({ selfService: false, administrators: [keyAdmin] }, { selfService: false, administrators: [] });
    expect(planOf([finding('lost', 'reset-user-password', 'password', facts)]).administrators).toEqual([]);
    expect(
      planOf([finding('access-key-not-rotated', 'rotate-access-key', 'access_key_1', { ...keyEvidence(120, 2), ...facts })]).administrators,
    ).toEqual([keyAdmin]);
  });

  it('a user allowed to manage their own keys rotates them themself', () => {
    const plan = planOf([
      finding('access-key-not-rotated', 'rotate-access-key', 'access_key_1', {
        ...keyEvidence(120, 2),
        ...recovery({ selfService: true, administrators: [] }),
      }),
    ]);
    expect(plan.steps.find((s) => s.id === 'create-replacement-key')!.actor).toBe('iam-user');
  });
});

describe('rotation when both slots are full', () => {
  const notRotated = (slot: 1 | 2) =>
    finding('access-key-not-rotated', 'rotate-access-key', slot === 1 ? 'access_key_1' : 'access_key_2', keyEvidence(200, 1));
  const cases: [string, Parameters<typeof snapshotAccount>[1], Finding[], string[], RegExp][] = [
    [
      'the other key is inactive: delete it first',
      [
        { ageDays: 200, usedDaysAgo: 1 },
        { ageDays: 300, usedDaysAgo: 250, active: false },
      ],
      [notRotated(1)],
      ['delete-key@access_key_2', 'create-replacement-key@access_key_1', 'delete-key@access_key_1'],
      /access key 2 is retired first \(inactive\)/,
    ],
    [
      'the other key was never used: retire it first',
      [
        { ageDays: 200, usedDaysAgo: 1 },
        { ageDays: 60, usedDaysAgo: null },
      ],
      [notRotated(1)],
      [
        'deactivate-key@access_key_2',
        'delete-key@access_key_2',
        'create-replacement-key@access_key_1',
        'deactivate-key@access_key_1',
        'delete-key@access_key_1',
      ],
      /access key 2 is retired first \(never used\)/,
    ],
    [
      'both in use and this key is older: move its consumers to the newer key',
      [
        { ageDays: 200, usedDaysAgo: 1 },
        { ageDays: 20, usedDaysAgo: 1 },
      ],
      [notRotated(1)],
      ['move-consumers@access_key_1', 'deactivate-key@access_key_1', 'delete-key@access_key_1'],
      /access key 1 is the older one/,
    ],
    [
      'both in use and the other key is older: retire the other, then rotate into its slot',
      [
        { ageDays: 100, usedDaysAgo: 1 },
        { ageDays: 300, usedDaysAgo: 1 },
      ],
      [notRotated(1)],
      ['move-consumers@access_key_2', 'delete-key@access_key_2', 'create-replacement-key@access_key_1', 'delete-key@access_key_1'],
      /access key 2 is retired first \(the older key: 300 days old\)/,
    ],
  ];

  it.each(cases)('%s', (_name, keys, findings, order, reason) => {
    const plan = planOf(findings, { accounts: [snapshotAccount('alice', keys)] });
    const ids = stepIds(plan).filter((id) => order.includes(id));
    expect(ids).toEqual(order);
    expect(plan.notes.join('\n')).toMatch(reason);
    // A user holds at most two keys: a replacement is only created after a slot was freed.
    const create = stepIds(plan).indexOf('create-replacement-key@access_key_1');
    if (create >= 0)
      expect(
        stepIds(plan)
          .slice(0, create)
          .some((id) => id.startsWith('delete-key@access_key_2')),
      ).toBe(true);
  });

  it('finishes a half-done rotation by retiring the older key and says why', () => {
    const plan = planOf([finding('two-active-access-keys', 'finish-access-key-rotation', null, { 'principal.name': 'alice' })], {
      accounts: [
        snapshotAccount('alice', [
          { ageDays: 200, usedDaysAgo: 1 },
          { ageDays: 20, usedDaysAgo: 0.5 },
        ]),
      ],
    });
    expect(plan.goals).toEqual([
      'Retire access key 1 (the older key: 200 days old, access key 2 is 20 days old) and move its consumers to access key 2.',
    ]);
    expect(plan.steps.find((s) => s.id === 'move-consumers')!.text).toBe(
      'Switch every consumer of access key 1 to access key 2, the key that stays.',
    );
  });

  it('prefers the unused key over the older one', () => {
    const plan = planOf([finding('two-active-access-keys', 'finish-access-key-rotation', null, {})], {
      accounts: [
        snapshotAccount('alice', [
          { ageDays: 200, usedDaysAgo: 1 },
          { ageDays: 20, usedDaysAgo: null },
        ]),
      ],
    });
    expect(plan.findings[0]!.resolution).toBe(
      'Finish the rotation: retire access key 2 (never used, while access key 1 was used 1 day ago (s3, eu-west-1)) and keep access key 1.',
    );
  });

  it('without facts to choose, asks the reader to compare both keys and never creates a third key', () => {
    const plan = planOf([finding('two-active-access-keys', 'finish-access-key-rotation', null, {}), notRotated(1)]);
    expect(stepIds(plan).slice(0, 2)).toEqual(['resolve-key-ids', 'choose-key-to-retire']);
    expect(stepIds(plan)).not.toContain('create-replacement-key@access_key_1');
    expect(plan.findings[1]!.resolution).toMatch(/not replaced by a third key/);
  });
});

describe('merging findings on one principal', () => {
  it('unused key 1 and key 1 not rotated become one retirement of key 1', () => {
    const evidence = keyEvidence(200, 100);
    const plan = planOf([
      finding('unused-credentials', 'disable-unused-credential', 'access_key_1', evidence),
      finding('access-key-not-rotated', 'rotate-access-key', 'access_key_1', evidence),
    ]);
    expect(stepIds(plan)).toEqual([
      'resolve-key-ids',
      'check-key-last-used@access_key_1',
      'find-key-consumers@access_key_1',
      'deactivate-key@access_key_1',
      'observe-key@access_key_1',
      'delete-key@access_key_1',
    ]);
    expect(plan.goals).toEqual(['Retire access key 1 (unused for 100 days).']);
    expect(plan.findings[1]!.resolution).toBe(
      'Access key 1 is retired instead of rotated (unused for 100 days); no replacement is needed.',
    );
  });

  it('an inactive key is deleted without a deactivation step, whatever procedure flagged it, once it has been inactive a week', () => {
    const plan = planOf([finding('my-rule', 'remove-unused-access-key', 'access_key_2', keyEvidence(300, 200, false))]);
    // The report has no deactivation time: a key deactivated yesterday must sit out its week before the delete.
    expect(stepIds(plan)).toEqual([
      'resolve-key-ids',
      'check-key-last-used@access_key_2',
      'find-deactivation-time@access_key_2',
      'wait-after-deactivation@access_key_2',
      'delete-key@access_key_2',
      'verify-user-key-deleted@access_key_2',
    ]);
    expect(plan.steps.find((s) => s.id === 'find-deactivation-time')!.commands[0]).toContain(
      'AttributeKey=EventName,AttributeValue=UpdateAccessKey',
    );
    expect(plan.steps.find((s) => s.id === 'wait-after-deactivation')!.text).toMatch(
      /deactivated less than a week ago.*do not delete it yet/,
    );
  });

  it('never repeats a step', () => {
    const evidence = keyEvidence(200, null);
    const plan = planOf([
      finding('access-key-unused-since-setup', 'remove-unused-access-key', 'access_key_1', evidence),
      finding('unused-credentials', 'disable-unused-credential', 'access_key_1', evidence),
      finding('access-key-not-rotated', 'rotate-access-key', 'access_key_1', evidence),
      finding('unused-credentials', 'disable-unused-credential', 'access_key_2', keyEvidence(100, 90)),
    ]);
    const ids = stepIds(plan);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id === 'resolve-key-ids')).toHaveLength(1);
    expect(plan.steps[0]!.text).toContain('<ACCESS_KEY_ID_1> and <ACCESS_KEY_ID_2>');
  });

  it('a removed console password needs no MFA', () => {
    const plan = planOf([
      finding('console-user-without-mfa', 'enable-user-mfa', 'password', {}),
      finding('unused-credentials', 'disable-unused-credential', 'password', { 'credential.lastUsed': '2026-01-01T00:00:00Z' }),
    ]);
    expect(stepIds(plan)).toEqual(['check-password-last-used@password', 'delete-login-profile']);
    expect(plan.findings[0]!.resolution).toMatch(/Resolved by removing the console password/);
  });

  it('resolves slot to id before any command that needs the id', () => {
    const plans = [
      planOf([finding('access-key-not-rotated', 'rotate-access-key', 'access_key_2', keyEvidence(120, 2))]),
      planOf([finding('inactive-access-key', 'delete-inactive-access-key', 'access_key_1', keyEvidence(120, 60, false))]),
      planOf([finding('two-active-access-keys', 'finish-access-key-rotation', null, {})]),
    ];
    for (const plan of plans) {
      const firstId = plan.steps.findIndex((s) => s.commands.some((c) => c.includes('<ACCESS_KEY_ID_')));
      expect(firstId).toBeGreaterThan(0);
      expect(plan.steps.slice(0, firstId).map((s) => s.id)).toContain('resolve-key-ids');
      expect(plan.steps[0]!.commands[0]).toBe(
        "aws iam list-access-keys --user-name=alice --query 'AccessKeyMetadata[].[AccessKeyId,Status,CreateDate]' --output table",
      );
    }
  });
});

describe('safety notes', () => {
  it.each([
    [2, /Access key 1 was used 2 days ago \(s3\): find its consumers before deactivating it\./],
    [null, /Access key 1 was never used, so deactivating it should break nothing/],
  ])('key last used %s days ago', (used, note) => {
    const plan = planOf([finding('access-key-unused-since-setup', 'remove-unused-access-key', 'access_key_1', keyEvidence(100, used))]);
    expect(plan.notes.join('\n')).toMatch(note);
    expect(plan.steps.find((s) => s.id === 'deactivate-key')!.caution).toMatch(note);
  });

  it('a key used long ago gets no "find consumers" caution', () => {
    const plan = planOf([finding('unused-credentials', 'disable-unused-credential', 'access_key_1', keyEvidence(300, 200))]);
    expect(plan.notes).toEqual([]);
  });
});

describe('plan set', () => {
  const findings = [
    finding('root-mfa-disabled', 'enable-root-mfa', null, {}, { type: 'root' }),
    finding('console-user-without-mfa', 'enable-user-mfa', 'password', {}, { name: 'zed' }),
    finding('access-key-not-rotated', 'rotate-access-key', 'access_key_1', keyEvidence(120, 2), { name: 'amy' }),
    { ...finding('custom', 'my-own-procedure', null, {}, { name: 'amy' }) },
    { ...finding('waived', 'enable-user-mfa', 'password', {}, { name: 'wendy' }), status: 'waived' as const },
  ];

  it('groups plans per account, root first, says it never executes them, and lists unknown procedures', () => {
    const set = planFindings(result(findings), catalogue);
    expect(set.header).toBe(PLAN_HEADER);
    expect(set.header).toMatch(/never executes/);
    expect(set.accounts[0]!.plans.map((p) => p.principal.name)).toEqual(['<root_account>', 'amy', 'zed']);
    expect(set.unknownProcedures).toEqual([{ ruleId: 'custom', procedure: 'my-own-procedure' }]);
  });

  it('is deterministic', () => {
    expect(planFindings(result(findings), catalogue)).toEqual(planFindings(result([...findings].reverse()), catalogue));
  });

  it("lists each principal's plan once, and every planned finding names it", () => {
    const attached = attachPlans(result(findings), catalogue);
    const planOf = (i: number) => attached.plans.find((p) => p.id === attached.findings[i]!.remediation.planId);
    const plan = planOf(2)!;
    expect(plan.principal.name).toBe(findings[2]!.principal.name);
    expect(plan.steps.map((s) => s.id)).toContain('create-replacement-key');
    expect(plan.findings).toEqual([{ fingerprint: findings[2]!.fingerprint, resolution: expect.stringMatching(/^Rotate access key 1/) }]);
    expect(attached.plans.map((p) => p.id)).toEqual([...new Set(attached.plans.map((p) => p.id))]);
    expect(attached.plans).toHaveLength(planFindings(result(findings), catalogue).accounts.flatMap((a) => a.plans).length);
    expect(attached.findings[3]!.remediation.planId).toBeUndefined();
    expect(attached.findings[4]!.remediation.planId).toBeUndefined();
    expect(JSON.stringify(attached.findings)).not.toContain('create-replacement-key');
  });

  it("re-planning after a waiver drops the waived finding's plan and its effect on the others", () => {
    const evidence = keyEvidence(200, 100);
    const unused = finding('unused-credentials', 'disable-unused-credential', 'access_key_1', evidence);
    const old = finding('access-key-not-rotated', 'rotate-access-key', 'access_key_1', evidence);
    const first = attachPlans(result([unused, old]), catalogue);
    expect(first.findings[0]!.remediation.planId).toBeDefined();
    const waived = {
      ...first,
      findings: first.findings.map((f) => (f.ruleId === 'unused-credentials' ? { ...f, status: 'waived' as const } : f)),
    };
    const again = attachPlans(waived, catalogue);
    expect(again.findings[0]!.remediation.planId).toBeUndefined();
    expect(again.plans).toHaveLength(1);
    const plan = again.plans[0]!;
    expect(again.findings[1]!.remediation.planId).toBe(plan.id);
    expect(plan.steps.map((s) => s.id)).toContain('create-replacement-key');
    expect(plan.findings.map((f) => f.fingerprint)).toEqual([old.fingerprint]);
  });

  it('uses user procedures and their runbook', () => {
    const custom = catalogueWith({
      'my-own-procedure.yaml': [
        'id: my-own-procedure',
        'title: Page the owner',
        'actor: administrator',
        'summary: s',
        'phase: 90',
        'runbook: https://wiki.example.com/rb',
        'steps:',
        '  - id: page',
        '    role: change',
        "    text: 'Page the owner of {{user}} in {{account}}.'",
      ].join('\n'),
    });
    const plan = planFindings(result(findings), custom).accounts[0]!.plans.find((p) => p.principal.name === 'amy')!;
    expect(plan.steps.at(-1)!.text).toBe('Page the owner of amy in 123456789012.');
    expect(plan.links[0]!.url).toBe('https://wiki.example.com/rb');
  });
});

describe('plans embedded in a result', () => {
  it('rebuild the same plan set without a catalogue (for the Markdown report)', () => {
    const findings = [
      finding('root-mfa-disabled', 'enable-root-mfa', null, {}, { type: 'root' }),
      finding('unused-credentials', 'disable-unused-credential', 'access_key_1', keyEvidence(200, 100)),
      finding('access-key-not-rotated', 'rotate-access-key', 'access_key_1', keyEvidence(200, 100)),
    ];
    const direct = planFindings(result(findings), catalogue);
    expect(plansFromResult(attachPlans(result(findings), catalogue))).toEqual(direct);
    expect(plansFromResult(result(findings)).accounts).toEqual([]);
  });
});

describe('recovery-path findings', () => {
  it('single administrator: the root user acts on its own plan, a user plan names the sole administrator', () => {
    const sole = { 'account.facts.recovery.soleAdministrator': 'arn:aws:iam::123456789012:role/OnlyAdmin' };
    const root = planOf([finding('single-administrator', 'add-second-administrator', null, sole, { type: 'root' })]);
    expect(root.actors).toEqual(['root']);
    expect(root.steps.map((s) => s.id)).toEqual(['root-grant-second-admin']);
    expect(root.steps[0]!.text).toContain('Only arn:aws:iam::123456789012:role/OnlyAdmin can reset');

    const user = planOf([
      finding('single-administrator', 'add-second-administrator', null, {
        'account.facts.recovery.soleAdministrator': 'arn:aws:iam::123456789012:user/alice',
      }),
    ]);
    expect(user.steps.map((s) => s.id)).toEqual(['grant-second-admin', 'check-second-admin']);
    expect(user.steps[0]!.text).toContain('Only arn:aws:iam::123456789012:user/alice can reset');
  });

  it('hard expiry lock-out: says when the password expires', () => {
    const plan = planOf([
      finding('password-hard-expiry-lockout', 'fix-password-expiry-lockout', 'password', {
        'password.nextRotationInDays': 12.4,
        'facts.recovery.password.hardExpiry': true,
        'facts.recovery.password.administrators': [],
      }),
    ]);
    expect(plan.steps.find((s) => s.id === 'plan-reset-before-expiry')!.text).toMatch(
      /^alice's password expires in 12 days\. Until the policy changes, the root user of account 123456789012/,
    );
  });

  it.each(['after-root-password-recovery', 'privileged-root-task'])(
    'root fallback %s: never the management account as the actor that resets an IAM user (AssumeRoot sessions cannot manage IAM users)',
    (fallback) => {
      const plan = planOf([
        finding('lost', 'reset-user-password', 'password', {
          'facts.recovery.password.administrators': [],
          'facts.recovery.password.selfService': false,
          'facts.recovery.password.rootFallback': fallback,
        }),
      ]);
      expect(plan.actors).not.toContain('management-account');
      const reset = plan.steps.find((s) => s.id === 'admin-reset-password')!;
      expect(reset.actor).toBe('root');
      expect(reset.text).toMatch(
        /^The root user of account 123456789012, once the management account has allowed root password recovery with the IAMCreateRootUserPassword privileged task/,
      );
    },
  );

  it('an undecided analysis counts as unknown: both variants, each with its condition', () => {
    const plan = planOf([
      finding('lost-key', 'replace-lost-user-access-key', 'access_key_1', {
        'facts.recovery.accessKeys.unknown': true,
        'facts.recovery.accessKeys.selfService': false,
      }),
    ]);
    expect(plan.steps.slice(0, 2).map((s) => s.text.slice(0, 40))).toEqual([
      'If alice may manage this credential them',
      'If alice may not: an administrator creat',
    ]);
  });

  it('password recovery facts do not decide who registers an MFA device', () => {
    const plan = planOf([
      finding('console-user-without-mfa', 'enable-user-mfa', 'password', {
        'facts.recovery.password.selfService': true,
        'facts.recovery.password.administrators': [],
      }),
    ]);
    expect(plan.steps.map((s) => s.id)).toEqual(['user-assign-mfa', 'admin-assign-mfa', 'require-mfa']);
    expect(plan.steps[1]!.actor).toBe('administrator');
  });

  it('no recovery path: the user plan names who should be able to reset', () => {
    const plan = planOf([
      finding('no-recovery-path', 'establish-recovery-path', 'password', {
        'facts.recovery.password.hasPath': false,
        'facts.recovery.password.rootOnly': true,
      }),
    ]);
    expect(plan.steps.map((s) => s.id)).toEqual(['name-recovery-admins', 'check-recovery-permissions', 'document-recovery']);
    expect(plan.steps[1]!.commands[0]).toContain('--resource-arns=arn:aws:iam::123456789012:user/alice');
  });
});

describe('plansForReport', () => {
  it('prefers the embedded plans, and plans from evidence otherwise', () => {
    const findings = [finding('access-key-not-rotated', 'rotate-access-key', 'access_key_1', keyEvidence(120, 2))];
    const custom = catalogueWith({ 'rotate-access-key.yaml': 'id: rotate-access-key\nrunbook: https://wiki.example.com/rotate' });
    const embedded = attachPlans(result(findings), custom);
    expect(plansForReport(embedded, catalogue).accounts[0]!.plans[0]!.links[0]!.url).toBe('https://wiki.example.com/rotate');
    expect(plansForReport(result(findings), catalogue)).toEqual(planFindings(result(findings), catalogue));
  });
});
