import { evaluate, type EvalResult, type NamedPolicy, type PolicySet, type ScpLevel } from '../policy/index.js';
import { buildCandidates, mayReach, type Candidate } from './candidates.js';
import { requestContext, rootContext } from './context.js';
import { PolicyIndex } from './policies.js';
import type {
  AccountRecovery,
  AccountRecoveryInput,
  CredentialRecovery,
  PasswordRecovery,
  RecoveryPath,
  RootFallback,
  UserDetail,
  UserRecovery,
} from './types.js';

/** The actions that reset a password for another user. */
export const PASSWORD_ACTIONS = ['iam:UpdateLoginProfile', 'iam:CreateLoginProfile'] as const;
/** The action that issues a new access key. */
export const KEY_ACTIONS = ['iam:CreateAccessKey'] as const;

/** Result of analysing one account. */
export interface RecoveryAnalysis {
  /** Per user ARN. */
  users: Map<string, UserRecovery>;
  account: AccountRecovery;
  /** Per user ARN, every path considered (only when requested: it is for `explain`). */
  paths?: Map<string, RecoveryPath[]>;
}

/** Options of `analyseAccount`. */
export interface AnalyseOptions {
  /** Keep every path with its statements, for `credwarden explain`. */
  collectPaths?: boolean;
  /** Restrict the per-user analysis to these user ARNs (explain); the account summary then covers only them. */
  onlyUsers?: readonly string[];
}

const ASSUMPTIONS = [
  'Root recovers its own password through the email flow to the account address, which the APIs cannot verify.',
  'Resource-based policies are ignored: IAM users and their credentials cannot carry one.',
  'Session policies, and condition keys whose values are only known at request time (MFA, source IP, request tags), are not evaluated: statements that use them are counted as conditional.',
];

const ALLOW_ALL: NamedPolicy = { name: '(root user: all actions)', document: { statements: [{ index: 0, effect: 'Allow', action: ['*'], resource: ['*'] }] } };

interface Scope {
  input: AccountRecoveryInput;
  partition: string;
  index: PolicyIndex;
  candidates: Candidate[];
  byArn: Map<string, Candidate>;
  /** SCP levels applied to principals of this account; undefined when none apply. */
  scps?: readonly ScpLevel[];
  /** Why SCPs that should apply could not be read. */
  scpProblem?: string;
}

function best(results: { action: string; result: EvalResult }[]): { action: string; result: EvalResult } {
  const rank = (r: EvalResult): number => (r.decision === 'allow' ? (r.conditional ? 1 : 2) : 0);
  return results.reduce((a, b) => (rank(b.result) > rank(a.result) ? b : a));
}

/** Decides the most permissive of `actions` for one principal on the target user. */
function decide(candidate: Candidate, target: UserDetail, actions: readonly string[], scope: Scope): { action: string; result: EvalResult } {
  const context = requestContext(candidate.actor, target, scope.input.accountId);
  return best(actions.map((action) => ({ action, result: evaluate({ action, resource: target.arn, context }, candidate.policies.set) })));
}

function toPath(credential: RecoveryPath['credential'], via: RecoveryPath['via'], candidate: Candidate, decided: { action: string; result: EvalResult }, note?: string): RecoveryPath {
  const problems = candidate.policies.problems;
  const unknown = decided.result.decision !== 'allow' && problems.length > 0;
  const reachedVia = candidate.assumableByUsers ? `assumable by users: ${candidate.assumableByUsers.join(', ')}` : undefined;
  const finalNote = note ?? (unknown ? problems.join('; ') : reachedVia);
  return {
    credential,
    via,
    principal: candidate.arn,
    action: decided.action,
    decision: unknown ? 'unknown' : decided.result.decision,
    conditional: decided.result.conditional || candidate.trustConditional === true,
    statements: decided.result.matchedStatements,
    ...(candidate.assumableBy ? { assumableBy: candidate.assumableBy } : {}),
    ...(finalNote ? { note: finalNote } : {}),
  };
}

/** Can root do one of `actions` on the target? Only SCPs restrict root, and only in member accounts. */
function rootFallback(target: UserDetail, actions: readonly string[], scope: Scope): { fallback: RootFallback; path: RecoveryPath } {
  const base = { credential: 'password' as const, via: 'root' as const, principal: `arn:${scope.partition}:iam::${scope.input.accountId}:root`, conditional: false };
  const central = !scope.input.isManagementAccount && scope.input.rootCredentialsCentrallyManaged === true;
  if (scope.scpProblem) return { fallback: 'unknown', path: { ...base, action: actions[0]!, decision: 'unknown', statements: [], note: scope.scpProblem } };
  const set: PolicySet = { identity: [ALLOW_ALL], ...(scope.scps ? { scps: scope.scps } : {}) };
  const context = rootContext(target, scope.input.accountId, scope.partition);
  const decided = best(actions.map((action) => ({ action, result: evaluate({ action, resource: target.arn, context }, set) })));
  const allowed = decided.result.decision === 'allow';
  const fallback: RootFallback = !allowed ? 'blocked-by-scp' : central ? 'privileged-root-task' : 'available';
  const note = central ? 'root credentials are centrally managed: the management account performs this as a privileged root task' : undefined;
  return {
    fallback,
    path: { ...base, action: decided.action, decision: decided.result.decision, conditional: decided.result.conditional, statements: decided.result.matchedStatements.filter((s) => s.layer === 'scp'), ...(note ? { note } : {}) },
  };
}

interface CredentialOutcome {
  summary: CredentialRecovery;
  paths: RecoveryPath[];
}

/** Summarises the administrator paths of one credential type, plus the self route and root. */
function summarise(
  credential: RecoveryPath['credential'],
  target: UserDetail,
  actions: readonly string[],
  self: { allowed: boolean; conditional: boolean; unknown?: string },
  scope: Scope,
): CredentialOutcome {
  const paths: RecoveryPath[] = [];
  const administrators: string[] = [];
  const unknownReasons: string[] = [];
  let unconditional = self.allowed && !self.conditional;
  for (const candidate of scope.candidates) {
    if (candidate.arn === target.arn) continue;
    if (!mayReach(candidate, target.arn, actions, scope.input.accountId)) continue;
    const via = candidate.actor.kind;
    const decided = decide(candidate, target, actions, scope);
    const path = toPath(credential, via, candidate, decided, candidate.unusable ? `does not count: ${candidate.unusable}` : undefined);
    paths.push({ ...path, credential });
    if (candidate.unusable) continue;
    if (path.decision === 'unknown') unknownReasons.push(`${candidate.arn}: ${candidate.policies.problems.join('; ')}`);
    if (path.decision !== 'allow') continue;
    administrators.push(candidate.arn);
    if (!path.conditional) unconditional = true;
  }
  if (self.unknown) unknownReasons.push(self.unknown);
  const root = rootFallback(target, actions, scope);
  paths.push({ ...root.path, credential });
  const hasPath = self.allowed || administrators.length > 0;
  // SCPs that could not be read may block any path found: keep it, but mark it conditional.
  const conditional = hasPath && (!unconditional || scope.scpProblem !== undefined);
  const unknown = !hasPath && unknownReasons.length > 0;
  const rootUsable = root.fallback === 'available' || root.fallback === 'privileged-root-task';
  const reason = unknown ? unknownReasons.join('; ') : conditional && scope.scpProblem ? scope.scpProblem : undefined;
  return {
    summary: {
      selfService: self.allowed,
      administrators,
      administratorCount: administrators.length,
      hasPath,
      conditional,
      rootOnly: !hasPath && !unknown && rootUsable,
      rootFallback: root.fallback,
      unknown,
      ...(reason ? { reason } : {}),
    },
    paths,
  };
}

/** The user's own permission on its own ARN, with the path for `explain`. */
function selfDecision(candidate: Candidate, target: UserDetail, actions: readonly string[], scope: Scope, credential: RecoveryPath['credential'], prerequisite?: string): { allowed: boolean; conditional: boolean; unknown?: string; path: RecoveryPath } {
  const decided = decide(candidate, target, actions, scope);
  const path = toPath(credential, 'self', candidate, decided, prerequisite === undefined ? undefined : `does not count: ${prerequisite}`);
  const allowed = path.decision === 'allow' && prerequisite === undefined;
  const unknown = path.decision === 'unknown' ? `${target.arn}: ${candidate.policies.problems.join('; ')}` : undefined;
  return { allowed, conditional: decided.result.conditional, ...(unknown ? { unknown } : {}), path };
}

function analyseUser(target: UserDetail, scope: Scope): { recovery: UserRecovery; paths: RecoveryPath[] } {
  const me = scope.byArn.get(target.arn)!;
  const signIn = scope.input.signIn.get(target.arn);
  const passwordEnabled = signIn?.passwordEnabled ?? false;
  const activeKeys = signIn?.activeKeys ?? 0;
  const policy = scope.input.passwordPolicy.ok ? scope.input.passwordPolicy.value : undefined;

  // A new key is self-service only while the user can still sign in without the lost key.
  const keySelf = selfDecision(me, target, KEY_ACTIONS, scope, 'accessKeys', passwordEnabled || activeKeys >= 2 ? undefined : 'no other way to sign in once the key is lost (no password, no second key)');
  // A forgotten password can be reset by the user only through the API, with an access key.
  const resetSelf = selfDecision(me, target, ['iam:UpdateLoginProfile'], scope, 'password', activeKeys > 0 ? undefined : 'needs an active access key to call the API');
  const changeSelf = selfDecision(me, target, ['iam:ChangePassword'], scope, 'password', passwordEnabled ? undefined : 'has no password to change');
  const canChange = passwordEnabled && (changeSelf.path.decision === 'allow' || policy?.allowUsersToChangePassword === true);

  const keys = summarise('accessKeys', target, KEY_ACTIONS, keySelf, scope);
  const password = summarise('password', target, PASSWORD_ACTIONS, resetSelf, scope);
  const hardExpiry = policy !== undefined && policy.present && policy.hardExpiry && (policy.maxPasswordAge ?? 0) > 0;
  const passwordRecovery: PasswordRecovery = {
    ...password.summary,
    selfService: canChange || resetSelf.allowed,
    selfServiceVia: [...(canChange ? ['change-password'] : []), ...(resetSelf.allowed ? ['update-login-profile'] : [])],
    hardExpiry,
    // After a hard expiry the user cannot change the password; only an API reset (self with a key, or an administrator) helps.
    hardExpiryLockout: hardExpiry && passwordEnabled && !password.summary.hasPath && !password.summary.unknown,
  };
  if (!scope.input.passwordPolicy.ok && !passwordRecovery.reason) passwordRecovery.reason = `password policy unknown: ${scope.input.passwordPolicy.reason}`;
  return {
    recovery: { password: passwordRecovery, accessKeys: keys.summary },
    paths: [keySelf.path, resetSelf.path, changeSelf.path, ...keys.paths, ...password.paths],
  };
}

function unknownCredential(reason: string): CredentialRecovery {
  return { selfService: false, administrators: [], administratorCount: 0, hasPath: false, conditional: false, rootOnly: false, rootFallback: 'unknown', unknown: true, reason };
}

function accountSummary(input: AccountRecoveryInput, users: Map<string, UserRecovery>, unknownReason?: string, candidates: readonly Candidate[] = []): AccountRecovery {
  const admins = new Set<string>();
  for (const r of users.values()) for (const a of [...r.password.administrators, ...r.accessKeys.administrators]) admins.add(a);
  const anyUnknown = unknownReason ?? [...users.values()].find((r) => r.password.unknown || r.accessKeys.unknown)?.password.reason;
  const central = !input.isManagementAccount && input.rootCredentialsCentrallyManaged === true;
  const single = admins.size === 1 && unknownReason === undefined;
  const sole = single ? [...admins][0]! : undefined;
  const roles = candidates.filter((c) => c.actor.kind === 'role' && admins.has(c.arn));
  return {
    administrators: [...admins].sort(),
    administratorRoles: roles.map((c) => ({
      arn: c.arn,
      assumableBy: [...new Set((c.assumableBy ?? []).filter((e) => e.kind !== 'service').map((e) => e.kind))],
      ...(c.assumableByUsers ? { viaUsers: c.assumableByUsers } : {}),
    })),
    administratorCount: admins.size,
    singleAdministrator: single,
    ...(sole ? { soleAdministrator: sole, soleAdministratorKind: sole.includes(':role/') ? ('role' as const) : ('user' as const) } : {}),
    unknown: unknownReason !== undefined,
    ...(unknownReason ? { reason: unknownReason } : anyUnknown ? { reason: `some users could not be analysed: ${anyUnknown}` } : {}),
    rootRecovery: central ? 'privileged-root-task' : 'email-flow',
    assumptions: ASSUMPTIONS,
  };
}

/**
 * Computes, for every IAM user of one account, who can reset the password and issue a new
 * access key: the user (self-service), other users and roles (administrators), or only root.
 * Pure: every input was collected beforehand. Missing data yields `unknown`, never "no path".
 */
export function analyseAccount(input: AccountRecoveryInput, options: AnalyseOptions = {}): RecoveryAnalysis {
  const users = new Map<string, UserRecovery>();
  if (!input.authorization.ok) {
    const reason = `authorization details unavailable: ${input.authorization.reason}`;
    return { users, account: accountSummary(input, users, reason) };
  }
  const details = input.authorization.value;
  const index = new PolicyIndex(details);
  const partition = input.partition ?? details.users[0]?.arn.split(':')[1] ?? 'aws';
  const scopeBase = { input, partition, index };
  let scps: ScpLevel[] | undefined;
  let scpProblem: string | undefined;
  if (!input.isManagementAccount) {
    if (!input.scps.ok) scpProblem = `service control policies unknown: ${input.scps.reason}`;
    else if (input.scps.value) {
      const chain = index.scpChain(input.scps.value);
      if ('problem' in chain) scpProblem = `service control policies unknown: ${chain.problem}`;
      else scps = chain.levels;
    }
  }
  const candidates = buildCandidates(details, index, scps, input.accountId, input.signIn);
  const scope: Scope = { ...scopeBase, candidates, byArn: new Map(candidates.map((c) => [c.arn, c])), ...(scps ? { scps } : {}), ...(scpProblem ? { scpProblem } : {}) };
  const paths = options.collectPaths ? new Map<string, RecoveryPath[]>() : undefined;
  const only = options.onlyUsers ? new Set(options.onlyUsers) : undefined;
  for (const user of details.users) {
    if (only && !only.has(user.arn)) continue;
    const analysed = analyseUser(user, scope);
    users.set(user.arn, analysed.recovery);
    paths?.set(user.arn, analysed.paths);
  }
  return { users, account: accountSummary(input, users, undefined, candidates), ...(paths ? { paths } : {}) };
}

/** The `facts.recovery` value of a user when the account could not be analysed. */
export function unknownUserRecovery(reason: string): UserRecovery {
  return {
    password: { ...unknownCredential(reason), selfServiceVia: [], hardExpiry: false, hardExpiryLockout: false },
    accessKeys: unknownCredential(reason),
  };
}
