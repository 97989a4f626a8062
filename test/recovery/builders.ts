import type { AccountRecoveryInput, AuthorizationDetails, RoleDetail, UserDetail } from '../../src/core/recovery/index.js';

export const ACCOUNT = '111122223333';
export const arn = (kind: 'user' | 'role', name: string): string => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`;

export const ADMIN_POLICY = 'arn:aws:iam::aws:policy/AdministratorAccess';
export const IAM_FULL = 'arn:aws:iam::aws:policy/IAMFullAccess';

export function user(name: string, extra: Partial<UserDetail> = {}): UserDetail {
  return {
    name,
    arn: arn('user', name),
    id: `AIDA${name.toUpperCase()}`,
    path: '/',
    groups: [],
    inlinePolicies: [],
    attachedPolicies: [],
    ...extra,
  };
}

export function role(name: string, trust: object, extra: Partial<RoleDetail> = {}): RoleDetail {
  return {
    name,
    arn: arn('role', name),
    path: '/',
    trustPolicy: { Version: '2012-10-17', Statement: trust },
    inlinePolicies: [],
    attachedPolicies: [],
    ...extra,
  };
}

export function doc(statements: object | object[]): object {
  return { Version: '2012-10-17', Statement: statements };
}

export const MANAGED = [
  { arn: ADMIN_POLICY, name: 'AdministratorAccess', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) },
  { arn: IAM_FULL, name: 'IAMFullAccess', document: doc({ Effect: 'Allow', Action: ['iam:*', 'organizations:Describe*'], Resource: '*' }) },
];

/** An account input with sensible defaults: every user has a password and one (active) key, and no MFA device. */
export function account(details: Partial<AuthorizationDetails>, extra: Partial<AccountRecoveryInput> = {}): AccountRecoveryInput {
  const full: AuthorizationDetails = { users: [], groups: [], roles: [], policies: MANAGED, ...details };
  return {
    accountId: ACCOUNT,
    authorization: { ok: true, value: full },
    passwordPolicy: { ok: true, value: { present: true, allowUsersToChangePassword: false, hardExpiry: false } },
    scps: { ok: true, value: null },
    isManagementAccount: false,
    signIn: new Map(full.users.map((u) => [u.arn, { passwordEnabled: true, activeKeys: 1, existingKeys: 1, mfaActive: false }])),
    ...extra,
  };
}
