/** Options of a live collection, with their defaults. */
import type { AwsConfig } from './clients.js';
import type { ShardSpec } from '../../core/baseline/shard.js';
import type { CompiledRule } from '../../core/rules/ruleset.js';

/** Which accounts to scan. */
export interface AccountSelection {
  /**
   * `caller`: only the caller's own account, with the caller's credentials.
   * `org`: every account of the organisation (ListAccounts).
   * `accounts`: only the listed accounts (checked against the organisation when it can be listed).
   */
  mode: 'caller' | 'org' | 'accounts';
  /** Account ids to scan (mode `accounts`), or to narrow `org` to. */
  accounts?: string[];
  /** OU ids (`ou-…` or `r-…`): only accounts below them, recursively. */
  organizationalUnits?: string[];
  /** Account ids never to scan. */
  exclude?: string[];
  /** Only accounts of this shard (`--shard K/N`): other jobs of the matrix take the rest. */
  shard?: ShardSpec;
}

/**
 * Which account-context calls to make. `auto` makes only calls that can change a finding of
 * the enabled rules (see docs/aws-setup.md); `all` makes every call; `none` makes none.
 */
export type ContextMode = 'auto' | 'all' | 'none';

/** In `auto` mode: which account-context calls the enabled rules need (see {@link contextNeedsFor}). */
export interface ContextNeeds {
  /** account.facts.rootMfa (ListVirtualMFADevices, for accounts whose root has MFA). */
  rootMfa: boolean;
  /** account.facts.passwordPolicy (GetAccountPasswordPolicy). */
  passwordPolicy: boolean;
  /** account.facts.rootCredentialsPresent / accountSummary (GetAccountSummary). */
  summary: boolean;
  /** facts.recovery.* (GetAccountAuthorizationDetails, password policy, SCPs: see authorization.ts). */
  recovery?: boolean;
  /** account.facts.serverCertificates (ListServerCertificates, one paginated call). */
  serverCertificates?: boolean;
  /** facts.serviceCredentials (ListServiceSpecificCredentials with AllUsers, one call per service). */
  serviceCredentials?: boolean;
  /** facts.sshPublicKeys (ListSSHPublicKeys, one call per IAM user). */
  sshPublicKeys?: boolean;
  /**
   * facts.codeCommitAccess (ListSSHPublicKeys per user, then GenerateServiceLastAccessedDetails
   * and GetServiceLastAccessedDetails per user holding an active SSH key).
   */
  codeCommitAccess?: boolean;
}

/**
 * The call that decides each fact root (`account.facts.<root>` or `facts.<root>`). Roots not
 * listed cost no per-account call: the organisation's root access settings
 * (`rootCredentialsManagement`, `rootSessions`) are read once per scan.
 */
const CALL_DECIDING: Readonly<Record<string, keyof ContextNeeds>> = {
  rootMfa: 'rootMfa',
  passwordPolicy: 'passwordPolicy',
  accountSummary: 'summary',
  rootCredentialsPresent: 'summary',
  rootPasswordPresent: 'summary',
  recovery: 'recovery',
  recoveryInputs: 'recovery',
  serverCertificates: 'serverCertificates',
  serviceCredentials: 'serviceCredentials',
  sshPublicKeys: 'sshPublicKeys',
  codeCommitAccess: 'codeCommitAccess',
};

/**
 * The account-context calls `auto` makes: those deciding a fact root that some enabled rule
 * requires, from the fact paths the rule compiler recorded for each rule. A rule's optional
 * facts (`optionalFacts`) cost no call of their own: the collector reads them only where it
 * makes the call anyway (see planContext).
 */
export function contextNeedsFor(rules: readonly Pick<CompiledRule, 'requiredFacts'>[]): ContextNeeds {
  const needs: Required<ContextNeeds> = {
    rootMfa: false,
    passwordPolicy: false,
    summary: false,
    recovery: false,
    serverCertificates: false,
    serviceCredentials: false,
    sshPublicKeys: false,
    codeCommitAccess: false,
  };
  for (const root of rules.flatMap((r) => r.requiredFacts)) {
    const call = CALL_DECIDING[root];
    if (call) needs[call] = true;
  }
  return needs;
}

/** Everything a live collection needs. */
export interface CollectOptions {
  selection: AccountSelection;
  /** Role assumed in each account. Default OrganizationAccountAccessRole. */
  roleName: string;
  externalId?: string;
  /** Default `credwarden`. */
  roleSessionName: string;
  /** Assumed-role session duration in seconds (900–43200). Default 3600. */
  durationSeconds: number;
  /** Also assume the role in the caller's own account instead of using the caller's credentials. */
  assumeRoleInCallerAccount: boolean;
  /** Reports older than this are regenerated (ms). Default 4 h. */
  maxReportAgeMs: number;
  /** How long to wait for a report to be generated (ms). Default 5 min. */
  reportTimeoutMs: number;
  /** First poll delay and cap of the exponential backoff while a report is generated (ms). */
  pollDelayMs: { initial: number; max: number };
  /**
   * --strict-names: an account whose report has a row IAM could not have written (a user name
   * or path that breaks IAM's rules) is refused: its event carries the rows (`refused`).
   */
  strictNames?: boolean;
  /** Accounts processed in parallel. Default 16. */
  concurrency: number;
  context: ContextMode;
  /** For `auto`: which context facts matter. Default: root MFA kind only. */
  contextNeeds: ContextNeeds;
  aws: AwsConfig;
}

/** Default option values. */
export const COLLECT_DEFAULTS = {
  roleName: 'OrganizationAccountAccessRole',
  roleSessionName: 'credwarden',
  durationSeconds: 3600,
  assumeRoleInCallerAccount: false,
  maxReportAgeMs: 4 * 3_600_000,
  reportTimeoutMs: 5 * 60_000,
  pollDelayMs: { initial: 1000, max: 15_000 },
  concurrency: 16,
  context: 'auto',
  contextNeeds: { rootMfa: true, passwordPolicy: false, summary: false },
} as const satisfies Omit<CollectOptions, 'selection' | 'aws'>;

/** Fills defaults into partial options. */
export function withDefaults(options: Partial<CollectOptions> & Pick<CollectOptions, 'selection'>): CollectOptions {
  return {
    ...COLLECT_DEFAULTS,
    pollDelayMs: { ...COLLECT_DEFAULTS.pollDelayMs },
    contextNeeds: { ...COLLECT_DEFAULTS.contextNeeds },
    aws: {},
    ...options,
  };
}
