import { describe, expect, it } from 'vitest';
import { analyseAccount } from '../../src/core/recovery/index.js';
import { ACCOUNT, ADMIN_POLICY, IAM_FULL, account, arn, doc, role, user } from './builders.js';

const FULL_ACCESS_SCP = {
  name: 'FullAWSAccess',
  arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
  document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
};

describe('analyseAccount', () => {
  it('finds a sole administrator; the administrator itself is left to root', () => {
    const result = analyseAccount(account({ users: [user('alice', { attachedPolicies: [ADMIN_POLICY] }), user('bob'), user('carol')] }));
    const bob = result.users.get(arn('user', 'bob'))!;
    expect(bob.password).toMatchObject({ administrators: [arn('user', 'alice')], hasPath: true, rootOnly: false, conditional: false });
    expect(bob.accessKeys.administrators).toEqual([arn('user', 'alice')]);
    const alice = result.users.get(arn('user', 'alice'))!;
    // alice can reset herself through the API with her key, so she keeps a path.
    expect(alice.password).toMatchObject({ administrators: [], selfService: true, hasPath: true });
    expect(result.account).toMatchObject({ administrators: [arn('user', 'alice')], administratorCount: 1, singleAdministrator: true });
  });

  it('a user without any permission has only root', () => {
    const result = analyseAccount(account({ users: [user('solo')] }));
    expect(result.users.get(arn('user', 'solo'))!.password).toMatchObject({
      hasPath: false,
      rootOnly: true,
      rootFallback: 'available',
      unknown: false,
    });
    expect(result.account.singleAdministrator).toBe(false);
  });

  it('group policies grant administration', () => {
    const result = analyseAccount(
      account({
        users: [user('alice', { groups: ['admins'] }), user('bob', { groups: ['admins'] }), user('carol')],
        groups: [{ name: 'admins', arn: `arn:aws:iam::${ACCOUNT}:group/admins`, inlinePolicies: [], attachedPolicies: [IAM_FULL] }],
      }),
    );
    expect(result.users.get(arn('user', 'carol'))!.password.administrators).toEqual([arn('user', 'alice'), arn('user', 'bob')]);
    expect(result.account.singleAdministrator).toBe(false);
  });

  it('an SCP that denies UpdateLoginProfile removes the password path and blocks root', () => {
    const denyReset = {
      name: 'DenyPasswordReset',
      document: doc({ Effect: 'Deny', Action: ['iam:UpdateLoginProfile', 'iam:CreateLoginProfile'], Resource: '*' }),
    };
    const result = analyseAccount(
      account(
        { users: [user('alice', { attachedPolicies: [ADMIN_POLICY] }), user('bob')] },
        {
          scps: {
            ok: true,
            value: [
              { target: 'r-root', policies: [FULL_ACCESS_SCP] },
              { target: 'ou-prod', policies: [FULL_ACCESS_SCP, denyReset] },
              { target: ACCOUNT, policies: [FULL_ACCESS_SCP] },
            ],
          },
        },
      ),
    );
    const bob = result.users.get(arn('user', 'bob'))!;
    expect(bob.password).toMatchObject({ hasPath: false, rootOnly: false, rootFallback: 'blocked-by-scp', unknown: false });
    expect(bob.accessKeys).toMatchObject({ administrators: [arn('user', 'alice')] });
  });

  it('SCPs do not restrict the management account', () => {
    const denyAll = { name: 'DenyIam', document: doc({ Effect: 'Deny', Action: 'iam:*', Resource: '*' }) };
    const result = analyseAccount(
      account(
        { users: [user('alice', { attachedPolicies: [ADMIN_POLICY] }), user('bob')] },
        { isManagementAccount: true, scps: { ok: true, value: [{ target: 'r-root', policies: [FULL_ACCESS_SCP, denyAll] }] } },
      ),
    );
    expect(result.users.get(arn('user', 'bob'))!.password.administrators).toEqual([arn('user', 'alice')]);
  });

  it('unreadable SCPs make found paths conditional and root unknown, never "no path"', () => {
    const result = analyseAccount(
      account(
        { users: [user('alice', { attachedPolicies: [ADMIN_POLICY] }), user('bob'), user('carol')] },
        { scps: { ok: false, reason: 'AccessDenied on organizations:ListPoliciesForTarget' } },
      ),
    );
    expect(result.users.get(arn('user', 'bob'))!.password).toMatchObject({ hasPath: true, conditional: true, rootFallback: 'unknown' });
    expect(result.users.get(arn('user', 'bob'))!.password.reason).toMatch(/AccessDenied/);
  });

  it('users with a self-service key policy can issue their own key while they can still sign in', () => {
    const selfKeys = {
      name: 'self-keys',
      document: doc({
        Effect: 'Allow',
        Action: ['iam:CreateAccessKey', 'iam:UpdateAccessKey'],
        Resource: 'arn:aws:iam::*:user/${aws:username}',
      }),
    };
    const input = account({ users: [user('dave', { inlinePolicies: [selfKeys] }), user('erin', { inlinePolicies: [selfKeys] })] });
    (input.signIn as Map<string, unknown>).set(arn('user', 'erin'), { passwordEnabled: false, activeKeys: 1 });
    const result = analyseAccount(input);
    expect(result.users.get(arn('user', 'dave'))!.accessKeys).toMatchObject({ selfService: true, hasPath: true, administrators: [] });
    // dave's policy only covers his own ARN: he is not erin's administrator.
    expect(result.users.get(arn('user', 'erin'))!.accessKeys).toMatchObject({ selfService: false, hasPath: false, rootOnly: true });
  });

  it('a permission boundary removes an administrator path', () => {
    const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/s3-only`;
    const result = analyseAccount(
      account({
        users: [user('alice', { attachedPolicies: [IAM_FULL], permissionsBoundary: boundaryArn }), user('bob')],
        policies: [
          { arn: IAM_FULL, name: 'IAMFullAccess', document: doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }) },
          {
            arn: boundaryArn,
            name: 's3-only',
            document: doc({ Effect: 'Allow', Action: ['s3:*', 'iam:Get*', 'iam:List*'], Resource: '*' }),
          },
        ],
      }),
    );
    expect(result.users.get(arn('user', 'bob'))!.password).toMatchObject({ hasPath: false, rootOnly: true });
  });

  it('an MFA-conditioned administrator makes the path conditional', () => {
    const mfaAdmin = {
      name: 'admin-with-mfa',
      document: doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
    };
    const result = analyseAccount(account({ users: [user('frank', { inlinePolicies: [mfaAdmin] }), user('gina')] }));
    expect(result.users.get(arn('user', 'gina'))!.password).toMatchObject({
      administrators: [arn('user', 'frank')],
      hasPath: true,
      conditional: true,
    });
  });

  it('roles count when a person can assume them, with who; service-only and service-linked roles do not', () => {
    const sso = role(
      'AWSReservedSSO_Admin',
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_1234_DO_NOT_DELETE` },
      },
      { attachedPolicies: [ADMIN_POLICY] },
    );
    const lambda = role(
      'deployer',
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } },
      { attachedPolicies: [ADMIN_POLICY] },
    );
    const linked = role(
      'AWSServiceRoleForSupport',
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'support.amazonaws.com' } },
      { path: '/aws-service-role/support.amazonaws.com/', attachedPolicies: [ADMIN_POLICY] },
    );
    const result = analyseAccount(account({ users: [user('bob')], roles: [sso, lambda, linked] }), { collectPaths: true });
    expect(result.users.get(arn('user', 'bob'))!.password.administrators).toEqual([sso.arn]);
    expect(result.account.administratorRoles).toEqual([{ arn: sso.arn, assumableBy: ['sso'] }]);
    const paths = result.paths!.get(arn('user', 'bob'))!;
    expect(paths.find((p) => p.principal === sso.arn && p.credential === 'password')?.assumableBy?.map((e) => e.kind)).toEqual(['sso']);
    expect(paths.find((p) => p.principal === lambda.arn && p.credential === 'password')?.note).toMatch(/only AWS services/);
  });

  it('users without credentials do not count as administrators', () => {
    const input = account({ users: [user('ghost', { attachedPolicies: [ADMIN_POLICY] }), user('bob')] });
    (input.signIn as Map<string, unknown>).set(arn('user', 'ghost'), { passwordEnabled: false, activeKeys: 0 });
    expect(analyseAccount(input).users.get(arn('user', 'bob'))!.password.hasPath).toBe(false);
  });

  it('HardExpiry locks out a user with no administrator and no API self-reset', () => {
    const hardExpiry = {
      passwordPolicy: {
        ok: true as const,
        value: { present: true, allowUsersToChangePassword: true, hardExpiry: true, maxPasswordAge: 90 },
      },
    };
    const input = account({ users: [user('hank')] }, hardExpiry);
    // No access key: the CLI/API route AWS leaves open after a hard expiry is closed.
    (input.signIn as Map<string, unknown>).set(arn('user', 'hank'), {
      passwordEnabled: true,
      activeKeys: 0,
      existingKeys: 0,
      mfaActive: false,
    });
    const result = analyseAccount(input);
    expect(result.users.get(arn('user', 'hank'))!.password).toMatchObject({
      selfService: true,
      selfServiceVia: ['change-password'],
      changePasswordAllowed: true,
      expiredPasswordSelfReset: false,
      hasPath: false,
      hardExpiry: true,
      hardExpiryLockout: true,
    });
  });

  it('HardExpiry does not lock out a user allowed iam:ChangePassword with an active access key (AWS: it can use the CLI or API)', () => {
    const byPolicy = {
      passwordPolicy: {
        ok: true as const,
        value: { present: true, allowUsersToChangePassword: true, hardExpiry: true, maxPasswordAge: 90 },
      },
    };
    expect(analyseAccount(account({ users: [user('hank')] }, byPolicy)).users.get(arn('user', 'hank'))!.password).toMatchObject({
      changePasswordAllowed: true,
      expiredPasswordSelfReset: true,
      hasPath: false,
      hardExpiryLockout: false,
    });
    // The same through an identity policy (IAMUserChangePassword) instead of AllowUsersToChangePassword.
    const change = {
      name: 'change',
      document: doc({ Effect: 'Allow', Action: 'iam:ChangePassword', Resource: 'arn:aws:iam::*:user/${aws:username}' }),
    };
    const noFlag = {
      passwordPolicy: {
        ok: true as const,
        value: { present: true, allowUsersToChangePassword: false, hardExpiry: true, maxPasswordAge: 90 },
      },
    };
    expect(
      analyseAccount(account({ users: [user('ivy', { inlinePolicies: [change] })] }, noFlag)).users.get(arn('user', 'ivy'))!.password,
    ).toMatchObject({ expiredPasswordSelfReset: true, hardExpiryLockout: false });
    // Without either, the lock-out stands even with a key.
    expect(analyseAccount(account({ users: [user('jon')] }, noFlag)).users.get(arn('user', 'jon'))!.password).toMatchObject({
      changePasswordAllowed: false,
      hardExpiryLockout: true,
    });
  });

  it('an explicit deny of iam:ChangePassword overrides AllowUsersToChangePassword, and the path says which grant applied', () => {
    const deny = { name: 'no-change', document: doc({ Effect: 'Deny', Action: 'iam:ChangePassword', Resource: '*' }) };
    const policy = { passwordPolicy: { ok: true as const, value: { present: true, allowUsersToChangePassword: true, hardExpiry: false } } };
    const result = analyseAccount(account({ users: [user('kate'), user('lee', { inlinePolicies: [deny] })] }, policy), {
      collectPaths: true,
    });
    expect(result.users.get(arn('user', 'lee'))!.password.changePasswordAllowed).toBe(false);
    const change = result.paths!.get(arn('user', 'kate'))!.find((p) => p.via === 'self' && p.action === 'iam:ChangePassword')!;
    expect(change.decision).toBe('allow');
    expect(change.statements[0]).toMatchObject({ effect: 'Allow', policyName: '(password policy: AllowUsersToChangePassword)' });
  });

  it('HardExpiry without a maximum age cannot lock anyone out', () => {
    const result = analyseAccount(
      account(
        { users: [user('hank')] },
        { passwordPolicy: { ok: true, value: { present: true, allowUsersToChangePassword: true, hardExpiry: true } } },
      ),
    );
    expect(result.users.get(arn('user', 'hank'))!.password.hardExpiryLockout).toBe(false);
  });

  it('missing authorization details make every answer unknown', () => {
    const input = account(
      { users: [user('bob')] },
      { authorization: { ok: false, reason: 'AccessDenied: iam:GetAccountAuthorizationDetails' } },
    );
    const result = analyseAccount(input);
    expect(result.users.size).toBe(0);
    expect(result.account).toMatchObject({ unknown: true, singleAdministrator: false });
    expect(result.account.reason).toMatch(/AccessDenied/);
  });

  it('a missing managed policy makes a path unknown instead of absent', () => {
    const result = analyseAccount(
      account({ users: [user('alice', { attachedPolicies: [`arn:aws:iam::${ACCOUNT}:policy/gone`] }), user('bob')] }),
    );
    expect(result.users.get(arn('user', 'bob'))!.password).toMatchObject({ hasPath: false, unknown: true, rootOnly: false });
    expect(result.users.get(arn('user', 'bob'))!.password.reason).toMatch(/policy\/gone/);
  });

  it('centrally managed root credentials: root helps only after the management account allows root password recovery', () => {
    const result = analyseAccount(
      account({ users: [user('solo')] }, { rootCredentialsCentrallyManaged: true, rootSessionsEnabled: true }),
      { collectPaths: true },
    );
    expect(result.users.get(arn('user', 'solo'))!.password).toMatchObject({ rootOnly: true, rootFallback: 'after-root-password-recovery' });
    expect(result.account).toMatchObject({
      rootRecovery: 'after-root-password-recovery',
      rootRecoveryTaskPolicy: 'IAMCreateRootUserPassword',
      rootSessionsEnabled: true,
    });
    const root = result.paths!.get(arn('user', 'solo'))!.find((p) => p.via === 'root')!;
    expect(root.note).toMatch(/IAMCreateRootUserPassword.*No AssumeRoot task policy manages IAM users/);
    // The management account itself is never centrally managed.
    const management = analyseAccount(
      account({ users: [user('solo')] }, { rootCredentialsCentrallyManaged: true, isManagementAccount: true }),
    );
    expect(management.account.rootRecovery).toBe('email-flow');
    expect(management.users.get(arn('user', 'solo'))!.password.rootFallback).toBe('available');
  });

  it('centrally managed root credentials leave an existing root password in place: such a root signs in as before', () => {
    // GetAccountSummary AccountPasswordPresent 1: the account existed before central management, or root recovered a password.
    const withPassword = analyseAccount(
      account({ users: [user('solo')] }, { rootCredentialsCentrallyManaged: true, rootSessionsEnabled: true, rootPasswordPresent: true }),
    );
    expect(withPassword.users.get(arn('user', 'solo'))!.password).toMatchObject({ rootOnly: true, rootFallback: 'available' });
    expect(withPassword.account.rootRecovery).toBe('email-flow');
    // AccountPasswordPresent 0, or not read: root first needs the privileged task that allows password recovery.
    for (const rootPasswordPresent of [false, undefined]) {
      const passwordless = analyseAccount(
        account(
          { users: [user('solo')] },
          { rootCredentialsCentrallyManaged: true, ...(rootPasswordPresent === undefined ? {} : { rootPasswordPresent }) },
        ),
      );
      expect(passwordless.users.get(arn('user', 'solo'))!.password.rootFallback).toBe('after-root-password-recovery');
    }
  });

  it("an SCP that denies iam:CreateLoginProfile on root blocks a passwordless root's recovery, though IAM user resets stay allowed", () => {
    const denyRootPassword = {
      name: 'DenyRootPasswordRecovery',
      document: doc({ Effect: 'Deny', Action: 'iam:CreateLoginProfile', Resource: 'arn:aws:iam::*:root' }),
    };
    const scps = {
      ok: true as const,
      value: [
        { target: 'r-root', policies: [FULL_ACCESS_SCP] },
        { target: ACCOUNT, policies: [FULL_ACCESS_SCP, denyRootPassword] },
      ],
    };
    const blocked = analyseAccount(account({ users: [user('solo')] }, { rootCredentialsCentrallyManaged: true, scps }), {
      collectPaths: true,
    });
    expect(blocked.users.get(arn('user', 'solo'))!.password).toMatchObject({ rootOnly: false, rootFallback: 'blocked-by-scp' });
    const root = blocked.paths!.get(arn('user', 'solo'))!.find((p) => p.via === 'root')!;
    expect(root.actions).toEqual(['iam:CreateLoginProfile']);
    // A root that still has its password does not need CreateLoginProfile on itself.
    const withPassword = analyseAccount(
      account({ users: [user('solo')] }, { rootCredentialsCentrallyManaged: true, rootPasswordPresent: true, scps }),
    );
    expect(withPassword.users.get(arn('user', 'solo'))!.password.rootFallback).toBe('available');
  });

  it('a role the management account may assume (OrganizationAccountAccessRole) is a cross-account administrator path', () => {
    const oaar = role(
      'OrganizationAccountAccessRole',
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::999999999999:root' } },
      { attachedPolicies: [ADMIN_POLICY] },
    );
    const result = analyseAccount(account({ users: [user('bob')], roles: [oaar] }, { managementAccountId: '999999999999' }));
    expect(result.users.get(arn('user', 'bob'))!.password).toMatchObject({ hasPath: true, administrators: [oaar.arn] });
    expect(result.account).toMatchObject({
      crossAccountAdministrators: [oaar.arn],
      administratorRoles: [
        { arn: oaar.arn, assumableBy: ['other-account'], trustedAccounts: ['999999999999'], managementAccountAccess: true },
      ],
    });
  });

  it('CreateLoginProfile alone cannot reset an existing password; Delete + Create can; the sole administrator stays single', () => {
    const createOnly = { name: 'create-only', document: doc({ Effect: 'Allow', Action: 'iam:CreateLoginProfile', Resource: '*' }) };
    const deleteCreate = {
      name: 'delete-create',
      document: doc({ Effect: 'Allow', Action: ['iam:CreateLoginProfile', 'iam:DeleteLoginProfile'], Resource: '*' }),
    };
    const users = [user('alice', { attachedPolicies: [ADMIN_POLICY] }), user('carl', { inlinePolicies: [createOnly] }), user('bob')];
    const single = analyseAccount(account({ users }), { collectPaths: true });
    expect(single.users.get(arn('user', 'bob'))!.password.administrators).toEqual([arn('user', 'alice')]);
    expect(single.account).toMatchObject({ singleAdministrator: true, soleAdministrator: arn('user', 'alice') });
    const carl = single.paths!.get(arn('user', 'bob'))!.filter((p) => p.principal === arn('user', 'carl') && p.credential === 'password');
    expect(carl).toMatchObject([{ decision: 'implicitDeny' }]);
    const two = analyseAccount(account({ users: [users[0]!, user('dora', { inlinePolicies: [deleteCreate] }), user('bob')] }));
    expect(two.users.get(arn('user', 'bob'))!.password.administrators).toEqual([arn('user', 'alice'), arn('user', 'dora')]);
    expect(two.account.singleAdministrator).toBe(false);
  });

  it('with both key slots taken (an inactive key counts), a new key also needs iam:DeleteAccessKey', () => {
    const createKeys = { name: 'create-keys', document: doc({ Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: '*' }) };
    const input = account({ users: [user('kim', { inlinePolicies: [createKeys] }), user('free'), user('full')] });
    (input.signIn as Map<string, unknown>).set(arn('user', 'full'), {
      passwordEnabled: true,
      activeKeys: 1,
      existingKeys: 2,
      mfaActive: false,
    });
    const result = analyseAccount(input);
    expect(result.users.get(arn('user', 'free'))!.accessKeys).toMatchObject({
      administrators: [arn('user', 'kim')],
      requiredActions: [['iam:CreateAccessKey']],
    });
    expect(result.users.get(arn('user', 'full'))!.accessKeys).toMatchObject({
      administrators: [],
      hasPath: false,
      requiredActions: [['iam:CreateAccessKey', 'iam:DeleteAccessKey']],
    });
  });

  it("MFA: who may deactivate a lost device, and whether the user's policies require MFA", () => {
    const forceMfa = {
      name: 'force-mfa',
      document: doc([
        {
          Sid: 'SelfManageMfa',
          Effect: 'Allow',
          Action: ['iam:DeactivateMFADevice', 'iam:EnableMFADevice'],
          Resource: 'arn:aws:iam::*:user/${aws:username}',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
        {
          Sid: 'DenyAllExceptListedIfNoMFA',
          Effect: 'Deny',
          NotAction: ['iam:EnableMFADevice', 'iam:ListMFADevices', 'sts:GetSessionToken'],
          Resource: '*',
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
        },
      ]),
    };
    const mfaAdmin = { name: 'mfa-admin', document: doc({ Effect: 'Allow', Action: 'iam:DeactivateMFADevice', Resource: '*' }) };
    const input = account({
      users: [user('mo', { inlinePolicies: [forceMfa] }), user('nia', { inlinePolicies: [mfaAdmin] }), user('ola')],
    });
    (input.signIn as Map<string, unknown>).set(arn('user', 'mo'), {
      passwordEnabled: true,
      activeKeys: 1,
      existingKeys: 1,
      mfaActive: true,
    });
    const result = analyseAccount(input);
    // mo's own grant needs MFA, which a lost device cannot give: only nia counts.
    expect(result.users.get(arn('user', 'mo'))!.mfa).toMatchObject({
      deviceActive: true,
      requiredByPolicies: true,
      selfService: false,
      administrators: [arn('user', 'nia')],
      hasPath: true,
      requiredActions: [['iam:DeactivateMFADevice']],
    });
    expect(result.users.get(arn('user', 'ola'))!.mfa).toMatchObject({
      deviceActive: false,
      requiredByPolicies: false,
      administrators: [arn('user', 'nia')],
    });
    // nia may deactivate her own device through the API with her key, without MFA.
    expect(result.users.get(arn('user', 'nia'))!.mfa).toMatchObject({ selfService: true, hasPath: true });
    expect(result.account.mfaAdministrators).toEqual([arn('user', 'nia')]);
    // Deactivating MFA alone does not make nia a credential administrator.
    expect(result.account.administrators).toEqual([]);
  });

  it('a role trusted by the account is a path through users who may assume it', () => {
    const breakGlass = role(
      'break-glass',
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
      { attachedPolicies: [IAM_FULL] },
    );
    const mayAssume = {
      name: 'assume-break-glass',
      document: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: breakGlass.arn }),
    };
    const result = analyseAccount(account({ users: [user('bob'), user('oncall', { inlinePolicies: [mayAssume] })], roles: [breakGlass] }), {
      collectPaths: true,
    });
    expect(result.users.get(arn('user', 'bob'))!.password).toMatchObject({ administrators: [breakGlass.arn], conditional: true });
    const path = result.paths!.get(arn('user', 'bob'))!.find((p) => p.principal === breakGlass.arn)!;
    expect(path.assumableBy).toEqual([{ kind: 'same-account', id: `arn:aws:iam::${ACCOUNT}:root`, conditional: true, index: 0 }]);
    expect(path.note).toBe(`assumable by users: ${arn('user', 'oncall')}`);
  });

  it('a role trusted by the account that no user may assume does not count', () => {
    const orphan = role(
      'orphan-admin',
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: ACCOUNT } },
      { attachedPolicies: [IAM_FULL] },
    );
    const result = analyseAccount(account({ users: [user('bob')], roles: [orphan] }), { collectPaths: true });
    expect(result.users.get(arn('user', 'bob'))!.password).toMatchObject({ hasPath: false, rootOnly: true });
    expect(result.paths!.get(arn('user', 'bob'))!.find((p) => p.principal === orphan.arn)?.note).toMatch(
      /no user of the account may assume it/,
    );
  });

  it('a role that names a user in its trust policy is reachable through that user', () => {
    const named = role(
      'named',
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: arn('user', 'oncall') } },
      { attachedPolicies: [IAM_FULL] },
    );
    const result = analyseAccount(account({ users: [user('bob'), user('oncall')], roles: [named] }));
    expect(result.users.get(arn('user', 'bob'))!.password.administrators).toEqual([named.arn]);
  });
});
