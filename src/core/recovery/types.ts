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
  /** Whether the organisation manages member root credentials centrally; undefined when unknown. */
  rootCredentialsCentrallyManaged?: boolean;
  /** Sign-in state per user ARN, from the credential report. */
  signIn: ReadonlyMap<string, SignInState>;
}

/** How root could reset the credential, when nobody else can. */
export type RootFallback = 'available' | 'blocked-by-scp' | 'privileged-root-task' | 'unknown';

/** The recovery summary of one credential type of one user (`facts.recovery.password` / `.accessKeys`). */
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
}

/** Password-specific additions. */
export interface PasswordRecovery extends CredentialRecovery {
  /** Self-service routes: `change-password` (knows the current one), `update-login-profile` (with an access key). */
  selfServiceVia: string[];
  hardExpiry: boolean;
  /** HardExpiry is on and, once the password expires, neither the user nor an administrator can reset it. */
  hardExpiryLockout: boolean;
}

/** `facts.recovery` of one user. */
export interface UserRecovery {
  password: PasswordRecovery;
  accessKeys: CredentialRecovery;
  /** This user is the account's only administrator: losing its credentials leaves only root. */
  soleAdministrator?: boolean;
}

/** `facts.recovery` of the account. */
export interface AccountRecovery {
  /** Principals that can reset some other user's password or issue their keys. */
  administrators: string[];
  administratorCount: number;
  /** The administrators that are roles, with who can assume them (SSO, SAML, another account, users…). */
  administratorRoles: { arn: string; assumableBy: string[]; viaUsers?: string[] }[];
  singleAdministrator: boolean;
  /** When `singleAdministrator`: that principal's ARN and whether it is a user or a role. */
  soleAdministrator?: string;
  soleAdministratorKind?: 'user' | 'role';
  unknown: boolean;
  reason?: string;
  rootRecovery: 'email-flow' | 'privileged-root-task';
  assumptions: string[];
}

/** One candidate path for one credential, with the statements that decided it (for `explain`). */
export interface RecoveryPath {
  credential: 'password' | 'accessKeys';
  via: 'self' | 'user' | 'role' | 'root';
  principal: string;
  /** The action that opens the path, e.g. iam:UpdateLoginProfile. */
  action: string;
  decision: 'allow' | 'deny' | 'implicitDeny' | 'unknown';
  conditional: boolean;
  statements: MatchedStatement[];
  /** For roles: who can assume it. */
  assumableBy?: TrustedEntity[];
  note?: string;
}
