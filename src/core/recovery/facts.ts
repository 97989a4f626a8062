import type { Account, Principal } from '../../model/index.js';
import { analyseAccount, unknownUserRecovery, type AnalyseOptions, type RecoveryAnalysis } from './analyse.js';
import type { AccountRecoveryInput, AuthorizationDetails, Collected, PasswordPolicyFacts, ScpLevelDetail, SignInState } from './types.js';

/**
 * What collectors store in `account.facts.recoveryInputs`, so that a saved snapshot can be
 * re-analysed (and explained) offline. The password policy and the central root management
 * flag are read from the account facts `passwordPolicy` and `rootCredentialsManagement`.
 */
export interface StoredRecoveryInputs {
  authorization: Collected<AuthorizationDetails>;
  /** `ok` + null: no SCPs apply (no organisation, SCPs not enabled). */
  scps: Collected<ScpLevelDetail[] | null>;
  isManagementAccount: boolean;
  /** The organisation's management account, when known (cross-account administrator roles). */
  managementAccountId?: string;
}

type Facts = Record<string, unknown>;

function isRecord(value: unknown): value is Facts {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `account.facts.passwordPolicy` (the AWS PasswordPolicy shape, 'none' or 'unknown'). */
export function passwordPolicyFrom(value: unknown): Collected<PasswordPolicyFacts> {
  if (value === 'none') return { ok: true, value: { present: false, allowUsersToChangePassword: false, hardExpiry: false } };
  if (!isRecord(value))
    return { ok: false, reason: typeof value === 'string' ? `GetAccountPasswordPolicy: ${value}` : 'password policy not collected' };
  const maxAge = value.MaxPasswordAge;
  return {
    ok: true,
    value: {
      present: true,
      allowUsersToChangePassword: value.AllowUsersToChangePassword === true,
      hardExpiry: value.HardExpiry === true,
      ...(typeof maxAge === 'number' ? { maxPasswordAge: maxAge } : {}),
    },
  };
}

/** A key slot holds a key when it is active or was ever rotated (created): inactive keys still take a slot. */
function keyExists(key: Principal['accessKeys'][number]): boolean {
  return key.active || key.lastRotated !== null;
}

function signInOf(principal: Principal): SignInState {
  return {
    passwordEnabled: principal.password.enabled === true,
    activeKeys: principal.accessKeys.filter((k) => k.active).length,
    existingKeys: principal.accessKeys.filter(keyExists).length,
    mfaActive: principal.mfaActive === true,
  };
}

/** Builds the analysis input of an account from its stored facts and credential report; undefined when nothing was collected. */
export function recoveryInputOf(account: Account): AccountRecoveryInput | undefined {
  const facts = account.facts ?? {};
  const stored = facts.recoveryInputs as StoredRecoveryInputs | undefined;
  if (!isRecord(stored)) return undefined;
  const central = facts.rootCredentialsManagement;
  const sessions = facts.rootSessions;
  return {
    accountId: account.id,
    ...(account.partition ? { partition: account.partition } : {}),
    authorization: stored.authorization,
    passwordPolicy: passwordPolicyFrom(facts.passwordPolicy),
    scps: stored.scps,
    isManagementAccount: stored.isManagementAccount,
    ...(typeof stored.managementAccountId === 'string' ? { managementAccountId: stored.managementAccountId } : {}),
    ...(typeof central === 'boolean' ? { rootCredentialsCentrallyManaged: central } : {}),
    ...(typeof sessions === 'boolean' ? { rootSessionsEnabled: sessions } : {}),
    ...(typeof facts.rootPasswordPresent === 'boolean' ? { rootPasswordPresent: facts.rootPasswordPresent } : {}),
    signIn: new Map(account.principals.filter((p) => p.type === 'user').map((p) => [p.arn, signInOf(p)])),
  };
}

/** Runs the analysis on a stored account; undefined when the account carries no recovery inputs. */
export function analyseStoredAccount(account: Account, options: AnalyseOptions = {}): RecoveryAnalysis | undefined {
  const input = recoveryInputOf(account);
  return input ? analyseAccount(input, options) : undefined;
}

/**
 * Returns the account with `facts.recovery` set on the account and on each IAM user
 * (`facts.recovery.password`, `facts.recovery.accessKeys`), for rules to read. Users the
 * analysis could not cover (absent from the authorization details) get an unknown result.
 */
export function withRecoveryFacts(account: Account): Account {
  const analysis = analyseStoredAccount(account);
  if (!analysis) return account;
  const fallback = analysis.account.reason ?? 'user not found in the authorization details';
  const principals = account.principals.map((p) => {
    if (p.type !== 'user') return p;
    const analysed = analysis.users.get(p.arn) ?? unknownUserRecovery(fallback);
    const recovery = { ...analysed, soleAdministrator: analysis.account.soleAdministrator === p.arn };
    return { ...p, facts: { ...p.facts, recovery } };
  });
  return { ...account, facts: { ...account.facts, recovery: analysis.account }, principals };
}
