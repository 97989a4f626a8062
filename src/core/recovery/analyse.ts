import {
  evaluate,
  type EvalResult,
  type MatchedStatement,
  type NamedPolicy,
  type PolicySet,
  type RequestContext,
  type ScpLevel,
} from '../policy/index.js';
import { buildCandidates, mayReach, type Candidate } from './candidates.js';
import { requestContext, rootContext } from './context.js';
import { PolicyIndex } from './policies.js';
import type {
  AccountRecovery,
  AccountRecoveryInput,
  ActionSet,
  CredentialRecovery,
  MfaRecovery,
  PasswordRecovery,
  RecoveryPath,
  RootFallback,
  UserDetail,
  UserRecovery,
} from './types.js';

/**
 * Ways to reset another user's password: UpdateLoginProfile, or delete the login profile and
 * create a new one (CreateLoginProfile alone fails with EntityAlreadyExists while a password exists).
 */
export const PASSWORD_RESET: readonly ActionSet[] = [['iam:UpdateLoginProfile'], ['iam:DeleteLoginProfile', 'iam:CreateLoginProfile']];
/** Issuing a key while a slot is free. */
export const KEY_ISSUE: readonly ActionSet[] = [['iam:CreateAccessKey']];
/** Issuing a key when both slots may be taken (inactive keys count): one must be deleted first. */
export const KEY_REPLACE: readonly ActionSet[] = [['iam:CreateAccessKey', 'iam:DeleteAccessKey']];
/** Freeing a lost MFA device so that a new one can be registered. */
export const MFA_RESET: readonly ActionSet[] = [['iam:DeactivateMFADevice']];
/** Changing one's own password (needs the current one). */
const CHANGE_PASSWORD: readonly ActionSet[] = [['iam:ChangePassword']];

/** Actions a user does daily: when its own policies deny them without MFA, MFA is required to work. */
const MFA_PROBES = ['ec2:DescribeInstances', 's3:ListAllMyBuckets'] as const;

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
  "The password policy's AllowUsersToChangePassword is evaluated as an identity Allow of iam:ChangePassword on the user itself: explicit denies, boundaries and SCPs still apply.",
  'A user who lost its MFA device calls the API with its access key and no MFA: statements that require MFA do not help it.',
];

const ALLOW_ALL: NamedPolicy = {
  name: '(root user: all actions)',
  document: { statements: [{ index: 0, effect: 'Allow', action: ['*'], resource: ['*'] }] },
};

/** AWS grants iam:ChangePassword on the user itself when the password policy sets AllowUsersToChangePassword. */
function passwordPolicyGrant(userArn: string): NamedPolicy {
  return {
    name: '(password policy: AllowUsersToChangePassword)',
    document: {
      statements: [{ index: 0, effect: 'Allow', action: ['iam:ChangePassword', 'iam:GetAccountPasswordPolicy'], resource: [userArn] }],
    },
  };
}

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

/** The outcome of one action set: every action must be allowed. */
interface Decided {
  actions: string[];
  result: EvalResult;
}

const RANK: Record<EvalResult['decision'], number> = { deny: 0, implicitDeny: 1, allow: 2 };

/** Combines the decisions of the actions of one set: the weakest wins, conditions add up. */
function allOf(actions: readonly string[], results: EvalResult[]): Decided {
  const decision = results.reduce<EvalResult['decision']>((d, r) => (RANK[r.decision] < RANK[d] ? r.decision : d), 'allow');
  const statements: MatchedStatement[] = [];
  for (const r of results) for (const m of r.matchedStatements) if (!statements.includes(m)) statements.push(m);
  return { actions: [...actions], result: { decision, conditional: results.some((r) => r.conditional), matchedStatements: statements } };
}

/** The most permissive set: an unconditional allow over a conditional one over any deny. */
function best(sets: Decided[]): Decided {
  const rank = (r: EvalResult): number => (r.decision === 'allow' ? (r.conditional ? 2 : 3) : r.decision === 'implicitDeny' ? 1 : 0);
  return sets.reduce((a, b) => (rank(b.result) > rank(a.result) ? b : a));
}

function decideSets(sets: readonly ActionSet[], resource: string, context: RequestContext, policies: PolicySet): Decided {
  return best(
    sets.map((set) =>
      allOf(
        set,
        set.map((action) => evaluate({ action, resource, context }, policies)),
      ),
    ),
  );
}

/** Every action of the sets, as one constant list per sets (the candidate cache is keyed by identity). */
const FLAT = new WeakMap<readonly ActionSet[], readonly string[]>();
function flat(sets: readonly ActionSet[]): readonly string[] {
  let list = FLAT.get(sets);
  if (!list) FLAT.set(sets, (list = [...new Set(sets.flat())]));
  return list;
}

/** Decides the most permissive action set for one principal on the target user. */
function decide(
  candidate: Candidate,
  target: UserDetail,
  sets: readonly ActionSet[],
  scope: Scope,
  override?: RequestContext,
  extra?: NamedPolicy,
): Decided {
  const context = override ?? requestContext(candidate.actor, target, scope.input.accountId);
  const set = extra ? { ...candidate.policies.set, identity: [...candidate.policies.set.identity, extra] } : candidate.policies.set;
  return decideSets(sets, target.arn, context, set);
}

function toPath(
  credential: RecoveryPath['credential'],
  via: RecoveryPath['via'],
  candidate: Candidate,
  decided: Decided,
  note?: string,
): RecoveryPath {
  const problems = candidate.policies.problems;
  const unknown = decided.result.decision !== 'allow' && problems.length > 0;
  const reachedVia = candidate.assumableByUsers ? `assumable by users: ${candidate.assumableByUsers.join(', ')}` : undefined;
  const finalNote = note ?? (unknown ? problems.join('; ') : reachedVia);
  return {
    credential,
    via,
    principal: candidate.arn,
    action: decided.actions.join(' + '),
    actions: decided.actions,
    decision: unknown ? 'unknown' : decided.result.decision,
    conditional: decided.result.conditional || candidate.trustConditional === true,
    statements: decided.result.matchedStatements,
    ...(candidate.assumableBy ? { assumableBy: candidate.assumableBy } : {}),
    ...(finalNote ? { note: finalNote } : {}),
  };
}

/** Root credentials of a member account that the organisation manages centrally. */
/**
 * A member account whose root has no password because the organisation manages root credentials
 * centrally. Central management removes no existing password: a root that still has one
 * (AccountPasswordPresent 1) signs in as before. Unknown counts as passwordless, the harder path.
 */
function centralRoot(input: AccountRecoveryInput): boolean {
  return !input.isManagementAccount && input.rootCredentialsCentrallyManaged === true && input.rootPasswordPresent !== true;
}

function rootNote(input: AccountRecoveryInput): string | undefined {
  if (!centralRoot(input)) return undefined;
  const sessions = input.rootSessionsEnabled === false ? ' (RootSessions must be enabled first)' : '';
  return `root credentials are centrally managed: root has no password until the management account allows root password recovery (sts:AssumeRoot with the IAMCreateRootUserPassword task policy${sessions}); then root recovers it by email, signs in and resets the credential. No AssumeRoot task policy manages IAM users`;
}

/** Can root do one of the action sets on the target? Only SCPs restrict root, and only in member accounts. */
function rootFallback(target: UserDetail, sets: readonly ActionSet[], scope: Scope): { fallback: RootFallback; path: RecoveryPath } {
  const base = {
    credential: 'password' as const,
    via: 'root' as const,
    principal: `arn:${scope.partition}:iam::${scope.input.accountId}:root`,
    conditional: false,
  };
  const first = sets[0]!;
  if (scope.scpProblem)
    return {
      fallback: 'unknown',
      path: { ...base, action: first.join(' + '), actions: [...first], decision: 'unknown', statements: [], note: scope.scpProblem },
    };
  const set: PolicySet = { identity: [ALLOW_ALL], ...(scope.scps ? { scps: scope.scps } : {}) };
  const context = rootContext(target, scope.input.accountId, scope.partition);
  let decided = decideSets(sets, target.arn, context, set);
  // A passwordless root first gets its password back: the privileged task session (IAMCreateRootUserPassword)
  // calls iam:CreateLoginProfile on root itself, and the account's SCPs apply to it as to root.
  if (decided.result.decision === 'allow' && centralRoot(scope.input)) {
    const recovery = decideSets([['iam:CreateLoginProfile']], base.principal, context, set);
    if (recovery.result.decision !== 'allow') decided = recovery;
  }
  const allowed = decided.result.decision === 'allow';
  const fallback: RootFallback = !allowed ? 'blocked-by-scp' : centralRoot(scope.input) ? 'after-root-password-recovery' : 'available';
  const note = rootNote(scope.input);
  return {
    fallback,
    path: {
      ...base,
      action: decided.actions.join(' + '),
      actions: decided.actions,
      decision: decided.result.decision,
      conditional: decided.result.conditional,
      statements: decided.result.matchedStatements.filter((s) => s.layer === 'scp'),
      ...(note ? { note } : {}),
    },
  };
}

interface CredentialOutcome {
  summary: CredentialRecovery;
  paths: RecoveryPath[];
}

/** The user's own route for one credential. */
interface SelfRoute {
  allowed: boolean;
  conditional: boolean;
  unknown?: string;
}

/** Summarises the administrator paths of one credential type, plus the self route and root. */
function summarise(
  credential: RecoveryPath['credential'],
  target: UserDetail,
  sets: readonly ActionSet[],
  self: SelfRoute,
  scope: Scope,
): CredentialOutcome {
  const paths: RecoveryPath[] = [];
  const administrators: string[] = [];
  const unknownReasons: string[] = [];
  let unconditional = self.allowed && !self.conditional;
  for (const candidate of scope.candidates) {
    if (candidate.arn === target.arn) continue;
    if (!mayReach(candidate, target.arn, flat(sets), scope.input.accountId)) continue;
    const via = candidate.actor.kind;
    const decided = decide(candidate, target, sets, scope);
    const path = toPath(credential, via, candidate, decided, candidate.unusable ? `does not count: ${candidate.unusable}` : undefined);
    paths.push(path);
    if (candidate.unusable) continue;
    if (path.decision === 'unknown') unknownReasons.push(`${candidate.arn}: ${candidate.policies.problems.join('; ')}`);
    if (path.decision !== 'allow') continue;
    administrators.push(candidate.arn);
    if (!path.conditional) unconditional = true;
  }
  if (self.unknown) unknownReasons.push(self.unknown);
  const root = rootFallback(target, sets, scope);
  paths.push({ ...root.path, credential });
  const hasPath = self.allowed || administrators.length > 0;
  // SCPs that could not be read may block any path found: keep it, but mark it conditional.
  const conditional = hasPath && (!unconditional || scope.scpProblem !== undefined);
  const unknown = !hasPath && unknownReasons.length > 0;
  const rootUsable = root.fallback === 'available' || root.fallback === 'after-root-password-recovery';
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
      requiredActions: sets.map((set) => [...set]),
    },
    paths,
  };
}

interface SelfOptions {
  /** Why the route cannot be used even if allowed (e.g. no access key to call the API). */
  prerequisite?: string;
  context?: RequestContext;
  extra?: NamedPolicy;
}

/** The user's own permission on its own ARN, with the path for `explain`. */
function selfDecision(
  candidate: Candidate,
  target: UserDetail,
  sets: readonly ActionSet[],
  scope: Scope,
  credential: RecoveryPath['credential'],
  options: SelfOptions = {},
): SelfRoute & { path: RecoveryPath; permitted: boolean } {
  const decided = decide(candidate, target, sets, scope, options.context, options.extra);
  const { prerequisite } = options;
  const path = toPath(credential, 'self', candidate, decided, prerequisite === undefined ? undefined : `does not count: ${prerequisite}`);
  const permitted = path.decision === 'allow';
  const unknown = path.decision === 'unknown' ? `${target.arn}: ${candidate.policies.problems.join('; ')}` : undefined;
  return {
    allowed: permitted && prerequisite === undefined,
    permitted,
    conditional: decided.result.conditional,
    ...(unknown ? { unknown } : {}),
    path,
  };
}

/** The request context of a user calling the API with its access key only: no MFA in the request. */
function withoutMfa(context: RequestContext): RequestContext {
  return new Map([...context, ['aws:multifactorauthpresent', null], ['aws:multifactorauthage', null]]);
}

/** Do the user's own policies deny everyday actions without MFA while allowing them with it? */
function mfaRequiredByPolicies(me: Candidate, target: UserDetail, scope: Scope): boolean {
  const base = requestContext(me.actor, target, scope.input.accountId);
  const withMfa = new Map([...base, ['aws:multifactorauthpresent', 'true']]) as RequestContext;
  return MFA_PROBES.some((action) => {
    const resource = '*';
    const without = evaluate({ action, resource, context: withoutMfa(base) }, me.policies.set);
    return without.decision === 'deny' && evaluate({ action, resource, context: withMfa }, me.policies.set).decision !== 'deny';
  });
}

function analyseMfa(
  me: Candidate,
  target: UserDetail,
  scope: Scope,
  activeKeys: number,
  deviceActive: boolean,
): { recovery: MfaRecovery; paths: RecoveryPath[] } {
  // With the device lost, the user can only use the API with its key, and without MFA.
  const self = selfDecision(me, target, MFA_RESET, scope, 'mfa', {
    ...(activeKeys > 0 ? {} : { prerequisite: 'needs an active access key to call the API without the lost device' }),
    context: withoutMfa(requestContext(me.actor, target, scope.input.accountId)),
  });
  const outcome = summarise('mfa', target, MFA_RESET, self, scope);
  return {
    recovery: { ...outcome.summary, deviceActive, requiredByPolicies: mfaRequiredByPolicies(me, target, scope) },
    paths: [self.path, ...outcome.paths],
  };
}

function analyseUser(target: UserDetail, scope: Scope): { recovery: UserRecovery; paths: RecoveryPath[] } {
  const me = scope.byArn.get(target.arn)!;
  const signIn = scope.input.signIn.get(target.arn);
  const passwordEnabled = signIn?.passwordEnabled ?? false;
  const activeKeys = signIn?.activeKeys ?? 0;
  const policy = scope.input.passwordPolicy.ok ? scope.input.passwordPolicy.value : undefined;
  // Both key slots may be taken (inactive keys count): CreateAccessKey then fails until one is deleted.
  const keySets = signIn?.existingKeys !== undefined && signIn.existingKeys < 2 ? KEY_ISSUE : KEY_REPLACE;

  // A new key is self-service only while the user can still sign in without the lost key.
  const keySelf = selfDecision(
    me,
    target,
    keySets,
    scope,
    'accessKeys',
    passwordEnabled || activeKeys >= 2 ? {} : { prerequisite: 'no other way to sign in once the key is lost (no password, no second key)' },
  );
  // A forgotten password can be reset by the user only through the API, with an access key.
  const resetSelf = selfDecision(
    me,
    target,
    PASSWORD_RESET,
    scope,
    'password',
    activeKeys > 0 ? {} : { prerequisite: 'needs an active access key to call the API' },
  );
  const grant = policy?.allowUsersToChangePassword === true ? passwordPolicyGrant(target.arn) : undefined;
  const changeSelf = selfDecision(me, target, CHANGE_PASSWORD, scope, 'password', {
    ...(passwordEnabled ? {} : { prerequisite: 'has no password to change' }),
    ...(grant ? { extra: grant } : {}),
  });
  const changePasswordAllowed = changeSelf.permitted;
  const canChange = passwordEnabled && changePasswordAllowed;

  const keys = summarise('accessKeys', target, keySets, keySelf, scope);
  const password = summarise('password', target, PASSWORD_RESET, resetSelf, scope);
  const mfa = analyseMfa(me, target, scope, activeKeys, signIn?.mfaActive === true);
  const hardExpiry = policy !== undefined && policy.present && policy.hardExpiry && (policy.maxPasswordAge ?? 0) > 0;
  // AWS: with HardExpiry, users allowed iam:ChangePassword who have an active access key can still set a new password through the API.
  const expiredPasswordSelfReset = hardExpiry && canChange && activeKeys > 0;
  const passwordRecovery: PasswordRecovery = {
    ...password.summary,
    selfService: canChange || resetSelf.allowed,
    selfServiceVia: [...(canChange ? ['change-password'] : []), ...(resetSelf.allowed ? ['update-login-profile'] : [])],
    changePasswordAllowed,
    hardExpiry,
    expiredPasswordSelfReset,
    // After a hard expiry the console refuses a new password; only an API reset or change (self with a key) or an administrator helps.
    hardExpiryLockout: hardExpiry && passwordEnabled && !expiredPasswordSelfReset && !password.summary.hasPath && !password.summary.unknown,
  };
  if (!scope.input.passwordPolicy.ok && !passwordRecovery.reason)
    passwordRecovery.reason = `password policy unknown: ${scope.input.passwordPolicy.reason}`;
  return {
    recovery: { password: passwordRecovery, accessKeys: keys.summary, mfa: mfa.recovery },
    paths: [keySelf.path, resetSelf.path, changeSelf.path, ...keys.paths, ...password.paths, ...mfa.paths],
  };
}

function unknownCredential(reason: string, sets: readonly ActionSet[]): CredentialRecovery {
  return {
    selfService: false,
    administrators: [],
    administratorCount: 0,
    hasPath: false,
    conditional: false,
    rootOnly: false,
    rootFallback: 'unknown',
    unknown: true,
    reason,
    requiredActions: sets.map((set) => [...set]),
  };
}

const RESET_ACTIONS: AccountRecovery['resetActions'] = {
  password: PASSWORD_RESET.map((s) => [...s]),
  accessKeys: KEY_REPLACE.map((s) => [...s]),
  mfa: MFA_RESET.map((s) => [...s]),
};

/** Accounts a role's trust policy admits, from `other-account` entries (account id, account root or an IAM ARN). */
function trustedAccountsOf(candidate: Candidate): string[] {
  const ids = (candidate.assumableBy ?? [])
    .filter((e) => e.kind === 'other-account')
    .flatMap((e) => /^(\d{12})$|^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(e.id)?.slice(1).find(Boolean) ?? []);
  return [...new Set(ids)];
}

function administratorRole(c: Candidate, managementAccountId: string | undefined): AccountRecovery['administratorRoles'][number] {
  const trusted = trustedAccountsOf(c);
  return {
    arn: c.arn,
    assumableBy: [...new Set((c.assumableBy ?? []).filter((e) => e.kind !== 'service').map((e) => e.kind))],
    ...(c.assumableByUsers ? { viaUsers: c.assumableByUsers } : {}),
    ...(trusted.length > 0 ? { trustedAccounts: trusted } : {}),
    ...(managementAccountId !== undefined && trusted.includes(managementAccountId) ? { managementAccountAccess: true } : {}),
  };
}

function accountSummary(
  input: AccountRecoveryInput,
  users: Map<string, UserRecovery>,
  unknownReason?: string,
  candidates: readonly Candidate[] = [],
): AccountRecovery {
  const admins = new Set<string>();
  const mfaAdmins = new Set<string>();
  for (const r of users.values()) {
    for (const a of [...r.password.administrators, ...r.accessKeys.administrators]) admins.add(a);
    for (const a of r.mfa.administrators) mfaAdmins.add(a);
  }
  const anyUnknown = unknownReason ?? [...users.values()].find((r) => r.password.unknown || r.accessKeys.unknown)?.password.reason;
  const central = centralRoot(input);
  const single = admins.size === 1 && unknownReason === undefined;
  const sole = single ? [...admins][0]! : undefined;
  const roles = candidates
    .filter((c) => c.actor.kind === 'role' && admins.has(c.arn))
    .map((c) => administratorRole(c, input.managementAccountId));
  return {
    administrators: [...admins].sort(),
    administratorRoles: roles,
    crossAccountAdministrators: roles.filter((r) => r.managementAccountAccess === true).map((r) => r.arn),
    mfaAdministrators: [...mfaAdmins].sort(),
    administratorCount: admins.size,
    singleAdministrator: single,
    ...(sole ? { soleAdministrator: sole, soleAdministratorKind: sole.includes(':role/') ? ('role' as const) : ('user' as const) } : {}),
    unknown: unknownReason !== undefined,
    ...(unknownReason ? { reason: unknownReason } : anyUnknown ? { reason: `some users could not be analysed: ${anyUnknown}` } : {}),
    rootRecovery: central ? 'after-root-password-recovery' : 'email-flow',
    ...(central
      ? {
          rootRecoveryTaskPolicy: 'IAMCreateRootUserPassword' as const,
          ...(input.rootSessionsEnabled !== undefined ? { rootSessionsEnabled: input.rootSessionsEnabled } : {}),
        }
      : {}),
    resetActions: RESET_ACTIONS,
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
  const scope: Scope = {
    ...scopeBase,
    candidates,
    byArn: new Map(candidates.map((c) => [c.arn, c])),
    ...(scps ? { scps } : {}),
    ...(scpProblem ? { scpProblem } : {}),
  };
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
    password: {
      ...unknownCredential(reason, PASSWORD_RESET),
      selfServiceVia: [],
      changePasswordAllowed: false,
      hardExpiry: false,
      expiredPasswordSelfReset: false,
      hardExpiryLockout: false,
    },
    accessKeys: unknownCredential(reason, KEY_REPLACE),
    mfa: { ...unknownCredential(reason, MFA_RESET), deviceActive: false, requiredByPolicies: false },
  };
}
