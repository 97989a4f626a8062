import type { MatchedStatement, TrustedEntity } from '../policy/index.js';

/** A policy document as collected: decoded JSON text or an already-parsed object. */
export type PolicyText = string | object;

/** An inline policy (name + document). */
export interface InlinePolicy {
  name: string;
  document: PolicyText;
}

/** One IAM user from GetAccountAuthorizationDetails. */
export interface UserDetail {
  name: string;
  arn: string;
  id?: string;
  path?: string;
  groups: string[];
  inlinePolicies: InlinePolicy[];
  /** ARNs of attached managed policies. */
  attachedPolicies: string[];
  /** ARN of the permissions boundary policy. */
  permissionsBoundary?: string;
  tags?: Record<string, string>;
}

/** One IAM group. */
export interface GroupDetail {
  name: string;
  arn: string;
  inlinePolicies: InlinePolicy[];
  attachedPolicies: string[];
}

/** One IAM role, with its trust policy. */
export interface RoleDetail {
  name: string;
  arn: string;
  id?: string;
  path?: string;
  trustPolicy: PolicyText;
  inlinePolicies: InlinePolicy[];
  attachedPolicies: string[];
  permissionsBoundary?: string;
  tags?: Record<string, string>;
}

/** A managed policy with the document of its default version. */
export interface ManagedPolicyDetail {
  arn: string;
  name: string;
  document: PolicyText;
}

/** The account's IAM configuration, as GetAccountAuthorizationDetails returns it (normalised). */
export interface AuthorizationDetails {
  users: UserDetail[];
  groups: GroupDetail[];
  roles: RoleDetail[];
  policies: ManagedPolicyDetail[];
}

/** The parts of the password policy that decide self-service and lock-out. */
export interface PasswordPolicyFacts {
  /** False when the account has no password policy (IAM defaults apply). */
  present: boolean;
  allowUsersToChangePassword: boolean;
  hardExpiry: boolean;
  maxPasswordAge?: number;
}

/** SCPs at one level of the organisation, as collected. */
export interface ScpLevelDetail {
  target: string;
  policies: { id?: string; name: string; arn?: string; document: PolicyText }[];
}

/** A collected input, or why it could not be collected. */
export type Collected<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Which credentials a user holds, from the credential report. */
export interface SignInState {
  passwordEnabled: boolean;
  activeKeys: number;
  /** Access keys that exist, active or not: both slots taken means CreateAccessKey fails (LimitExceeded). Default: unknown (may be taken). */
  existingKeys?: number;
  /** The user has an MFA device (credential report `mfa_active`). */
  mfaActive?: boolean;
}

/** Everything the recovery analysis of one account reads. */
export interface AccountRecoveryInput {
  accountId: string;
  partition?: string;
  authorization: Collected<AuthorizationDetails>;
  passwordPolicy: Collected<PasswordPolicyFacts>;
  /**
   * SCPs from the root down to the account. `ok` with `null`: SCPs do not apply (no
   * organisation, SCPs disabled, or this is the management account).
   */
  scps: Collected<ScpLevelDetail[] | null>;
  isManagementAccount: boolean;
  /** The organisation's management account, when known: a role it may assume is a cross-account administrator path. */
  managementAccountId?: string;
  /** Whether the organisation manages member root credentials centrally; undefined when unknown. */
  rootCredentialsCentrallyManaged?: boolean;
  /** Whether privileged root actions (sts:AssumeRoot) are enabled for member accounts; undefined when unknown. */
  rootSessionsEnabled?: boolean;
  /**
   * Whether the account's root user has a password (GetAccountSummary AccountPasswordPresent);
   * undefined when unknown. Centralized root access leaves existing roots their password: only
   * member accounts created with it, or whose root password was deleted, have none.
   */
  rootPasswordPresent?: boolean;
  /** Sign-in state per user ARN, from the credential report. */
  signIn: ReadonlyMap<string, SignInState>;
}

/**
 * How root could reset the credential, when nobody else can:
 * - `available`: root signs in (recovering its password through the email flow if needed) and resets it;
 * - `after-root-password-recovery`: a member account whose root credentials the organisation
 *   manages centrally: root has no password and cannot recover one until the management account
 *   (or the delegated administrator for IAM) allows it with an sts:AssumeRoot session scoped to
 *   the IAMCreateRootUserPassword task policy; root then recovers its password by email, signs
 *   in and resets the credential. No AssumeRoot task policy manages IAM users itself;
 * - `blocked-by-scp`: an SCP denies root the reset;
 * - `unknown`: SCPs could not be read.
 */
export type RootFallback = 'available' | 'after-root-password-recovery' | 'blocked-by-scp' | 'unknown';

/** One way to replace a credential: every action of the set must be allowed on the user. */
export type ActionSet = readonly string[];

/** The recovery summary of one credential type of one user (`facts.recovery.password` / `.accessKeys` / `.mfa`). */
export interface CredentialRecovery {
  /** The user can replace the credential without help. */
  selfService: boolean;
  /** ARNs of users and roles (other than the user) who can reset it. */
  administrators: string[];
  administratorCount: number;
  /** Some path exists other than root: self-service or an administrator. */
  hasPath: boolean;
  /** Every path found depends on unknown conditions (MFA, source IP, SCPs not readable, …). */
  conditional: boolean;
  /** Nobody but root can reset it, and root is not blocked. */
  rootOnly: boolean;
  rootFallback: RootFallback;
  /** The analysis could not decide (missing data or permission). Never read as "no path". */
  unknown: boolean;
  reason?: string;
  /**
   * The action sets that reset this credential for this user (any one set, all of its actions):
   * what an administrator must be granted.
   */
  requiredActions: string[][];
}

/** Password-specific additions. */
export interface PasswordRecovery extends CredentialRecovery {
  /**
   * Self-service routes: `change-password` (knows the current one: not a recovery),
   * `update-login-profile` (a reset through the API, with an access key).
   */
  selfServiceVia: string[];
  /** The user may call iam:ChangePassword on itself (a policy, or the password policy's AllowUsersToChangePassword). */
  changePasswordAllowed: boolean;
  hardExpiry: boolean;
  /**
   * HardExpiry is on but the user can still set a new password once it expired: it may call
   * iam:ChangePassword and has an active access key (AWS: the CLI or API still works then).
   */
  expiredPasswordSelfReset: boolean;
  /** HardExpiry is on and, once the password expires, neither the user (API) nor an administrator can reset it. */
  hardExpiryLockout: boolean;
}

/** MFA-device-specific additions: who can deactivate a lost device so that a new one can be registered. */
export interface MfaRecovery extends CredentialRecovery {
  /** The user has an MFA device: console sign-in needs it, so losing it locks the console. */
  deviceActive: boolean;
  /** The user's own policies deny (most) actions without MFA: a password reset alone does not let it work. */
  requiredByPolicies: boolean;
}

/** `facts.recovery` of one user. */
export interface UserRecovery {
  password: PasswordRecovery;
  accessKeys: CredentialRecovery;
  mfa: MfaRecovery;
  /** This user is the account's only administrator: losing its credentials leaves only root. */
  soleAdministrator?: boolean;
}

/** How the root user of an account gets (back) into the account. */
export type RootRecovery =
  /** Root signs in with its password, recovered through the email flow to the account's address when lost. */
  | 'email-flow'
  /**
   * Centrally managed root credentials: root has no password and may not recover one until the
   * management account allows it (sts:AssumeRoot with IAMCreateRootUserPassword); then the email flow.
   */
  | 'after-root-password-recovery';

/** An administrator role, with who can assume it. */
export interface AdministratorRole {
  arn: string;
  /** Trust kinds other than AWS services: sso, saml, web-identity, other-account, same-account, user, role, public. */
  assumableBy: string[];
  /** For roles only users of the account can reach. */
  viaUsers?: string[];
  /** Other AWS accounts its trust policy admits. */
  trustedAccounts?: string[];
  /** The organisation's management account may assume it (e.g. OrganizationAccountAccessRole): a cross-account recovery path. */
  managementAccountAccess?: boolean;
}

/** `facts.recovery` of the account. */
export interface AccountRecovery {
  /** Principals that can reset some other user's password or issue their keys. */
  administrators: string[];
  administratorCount: number;
  /** The administrators that are roles, with who can assume them (SSO, SAML, another account, users…). */
  administratorRoles: AdministratorRole[];
  /** Administrator roles the management account can assume: people there reach this account through them. */
  crossAccountAdministrators: string[];
  /** Principals that can deactivate some other user's MFA device. */
  mfaAdministrators: string[];
  singleAdministrator: boolean;
  /** When `singleAdministrator`: that principal's ARN and whether it is a user or a role. */
  soleAdministrator?: string;
  soleAdministratorKind?: 'user' | 'role';
  unknown: boolean;
  reason?: string;
  rootRecovery: RootRecovery;
  /** With `after-root-password-recovery`: the AssumeRoot task policy that allows root password recovery. */
  rootRecoveryTaskPolicy?: 'IAMCreateRootUserPassword';
  /** With `after-root-password-recovery`: whether privileged root actions (RootSessions) are enabled; undefined when unknown. */
  rootSessionsEnabled?: boolean;
  /** The action sets that reset each credential kind (any one set, every action in it). */
  resetActions: { password: string[][]; accessKeys: string[][]; mfa: string[][] };
  assumptions: string[];
}

/** One candidate path for one credential, with the statements that decided it (for `explain`). */
export interface RecoveryPath {
  credential: 'password' | 'accessKeys' | 'mfa';
  via: 'self' | 'user' | 'role' | 'root';
  principal: string;
  /** The actions that open the path, joined with ' + ', e.g. `iam:DeleteLoginProfile + iam:CreateLoginProfile`. */
  action: string;
  /** The same actions, each of which must be allowed. */
  actions: string[];
  decision: 'allow' | 'deny' | 'implicitDeny' | 'unknown';
  conditional: boolean;
  statements: MatchedStatement[];
  /** For roles: who can assume it. */
  assumableBy?: TrustedEntity[];
  note?: string;
}
