import {
  actionMatches,
  evaluate,
  PolicyParseError,
  trustedEntities,
  type RequestContext,
  type ScpLevel,
  type Statement,
  type TrustedEntity,
} from '../policy/index.js';
import { compilePattern } from '../policy/pattern.js';
import { requestContext } from './context.js';
import type { Actor } from './context.js';
import type { BuiltPolicySet, PolicyIndex } from './policies.js';
import type { AuthorizationDetails, SignInState } from './types.js';

/** A principal that might reset other users' credentials. */
export interface Candidate {
  arn: string;
  actor: Actor;
  policies: BuiltPolicySet;
  /** For roles: who can assume it (services excluded from counting as a path). */
  assumableBy?: TrustedEntity[];
  /** Why this principal cannot act at all (no credentials, nobody can assume it). */
  unusable?: string;
  /** For roles: every person who can assume it must meet a trust-policy condition (MFA, external id…). */
  trustConditional?: boolean;
  /** For roles trusted only inside the account: the users allowed to assume it. */
  assumableByUsers?: string[];
  /** Caches for `mayReach`: Allow statements per action list, and the principal-only context. */
  cache?: { allows: Map<readonly string[], AllowEntry[]>; context?: RequestContext };
}

/** Service-linked roles are used by AWS services only; no person can act through them. */
function isServiceLinked(path: string | undefined): boolean {
  return path?.startsWith('/aws-service-role/') ?? false;
}

function userUnusable(state: SignInState | undefined): string | undefined {
  if (!state) return undefined; // not in the credential report: do not guess
  return state.passwordEnabled || state.activeKeys > 0 ? undefined : 'has no console password and no active access key';
}

function roleUnusable(entities: TrustedEntity[] | undefined, trustProblem: string | undefined): string | undefined {
  if (trustProblem) return trustProblem;
  if (!entities || entities.length === 0) return 'its trust policy lets nobody assume it';
  if (entities.every((e) => e.kind === 'service')) return 'only AWS services can assume it';
  return undefined;
}

/**
 * Every user and role of the account, with its policy set and whether a person can act
 * through it. Unusable ones stay in the list so that `explain` can say why they do not count.
 */
export function buildCandidates(
  details: AuthorizationDetails,
  index: PolicyIndex,
  scps: readonly ScpLevel[] | undefined,
  accountId: string,
  signIn: ReadonlyMap<string, SignInState>,
): Candidate[] {
  const out: Candidate[] = [];
  for (const user of details.users) {
    const unusable = userUnusable(signIn.get(user.arn));
    out.push({ arn: user.arn, actor: { kind: 'user', user }, policies: index.forUser(user, scps), ...(unusable ? { unusable } : {}) });
  }
  for (const role of details.roles) {
    if (isServiceLinked(role.path)) continue;
    let entities: TrustedEntity[] | undefined;
    let trustProblem: string | undefined;
    try {
      entities = trustedEntities(index.parse(role.trustPolicy), accountId);
    } catch (error) {
      if (!(error instanceof PolicyParseError)) throw error;
      trustProblem = `its trust policy cannot be read: ${error.message}`;
    }
    const unusable = roleUnusable(entities, trustProblem);
    const people = (entities ?? []).filter((e) => e.kind !== 'service');
    out.push({
      trustConditional: people.length > 0 && people.every((e) => e.conditional),
      arn: role.arn,
      actor: { kind: 'role', role },
      policies: index.forRole(role, scps),
      ...(entities ? { assumableBy: entities } : {}),
      ...(unusable ? { unusable } : {}),
    });
  }
  for (const candidate of out) checkInAccountTrust(candidate, out, accountId);
  return out;
}

const ASSUME_ROLE = ['sts:AssumeRole'] as const;
/** Trust kinds that reach the role from outside the account's IAM users and roles. */
const OUTSIDE_KINDS = new Set(['sso', 'saml', 'web-identity', 'other-account', 'public']);

/**
 * A role trusted only by its own account (or by principals in it) is reachable only through
 * users of the account: one named in the trust policy, or, for an account-wide trust, one
 * whose own policies allow sts:AssumeRole on the role. Otherwise nobody can use it.
 */
function checkInAccountTrust(role: Candidate, all: readonly Candidate[], accountId: string): void {
  if (role.actor.kind !== 'role' || role.unusable || !role.assumableBy) return;
  const detail = role.actor.role;
  const people = role.assumableBy.filter((e) => e.kind !== 'service');
  if (people.some((e) => OUTSIDE_KINDS.has(e.kind)) || people.some((e) => e.kind === 'role')) return;
  const named = new Set(people.filter((e) => e.kind === 'user').map((e) => e.id));
  const accountWide = people.some((e) => e.kind === 'same-account');
  const users = all.filter((c) => c.actor.kind === 'user' && !c.unusable);
  const via = users.filter((u) => {
    if (named.has(u.arn)) return true;
    if (!accountWide || !mayReach(u, role.arn, ASSUME_ROLE, accountId)) return false;
    const context = requestContext(u.actor, detail, accountId);
    return evaluate({ action: 'sts:AssumeRole', resource: role.arn, context }, u.policies.set).decision === 'allow';
  });
  if (via.length > 0) role.assumableByUsers = via.map((u) => u.arn);
  else role.unusable = 'no user of the account may assume it (trusted only inside the account, and nobody is allowed sts:AssumeRole on it)';
}

/** An Allow statement of a candidate, with its resource patterns compiled for that candidate. */
interface AllowEntry {
  statement: Statement;
  variables: boolean;
  /** Per Resource pattern: a regex, or 'unknown' when it needs an unknown key; undefined for NotResource. */
  resources?: (RegExp | 'unknown' | 'none')[];
}

function allowsFor(candidate: Candidate, actions: readonly string[]): AllowEntry[] {
  candidate.cache ??= { allows: new Map() };
  // Keyed by the action list itself: callers pass the same constant arrays.
  let list = candidate.cache.allows.get(actions);
  if (!list) {
    list = [];
    for (const policy of candidate.policies.set.identity) {
      const variables = policy.document.version === '2012-10-17';
      for (const s of policy.document.statements) {
        if (s.effect !== 'Allow') continue;
        const hit = s.action
          ? actions.some((a) => s.action!.some((p) => actionMatches(p, a)))
          : actions.some((a) => !(s.notAction ?? []).some((p) => actionMatches(p, a)));
        if (hit) list.push({ statement: s, variables });
      }
    }
    candidate.cache.allows.set(actions, list);
  }
  return list;
}

/**
 * Cheap pre-check before a full evaluation: could any identity Allow statement for these
 * actions cover the target's ARN? Skips most principals (no IAM rights, or rights on their
 * own user only). Anything it cannot decide cheaply counts as "could".
 */
export function mayReach(candidate: Candidate, targetArn: string, actions: readonly string[], accountId: string): boolean {
  if (candidate.policies.problems.length > 0) return true;
  const allows = candidate.cache?.allows.get(actions) ?? allowsFor(candidate, actions);
  if (allows.length === 0) return false;
  // Resource patterns name principal variables (${aws:username}); target-specific keys stay unknown.
  const context = (candidate.cache!.context ??= requestContext(candidate.actor, {}, accountId));
  return allows.some((entry) => {
    const { statement, variables } = entry;
    if (!statement.resource && statement.notResource) return true;
    entry.resources ??= (statement.resource ?? ['*']).map((p) => {
      const r = compilePattern(p, context, { wildcards: true, variables, caseInsensitive: false });
      return r.state === 'ok' ? r.regex : r.state === 'unknown' ? 'unknown' : 'none';
    });
    return entry.resources.some((r) => r === 'unknown' || (r !== 'none' && r.test(targetArn)));
  });
}
