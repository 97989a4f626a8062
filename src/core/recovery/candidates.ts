import { actionMatches, PolicyParseError, trustedEntities, type ScpLevel, type TrustedEntity } from '../policy/index.js';
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
  return out;
}

/** Cheap pre-check: does any identity Allow statement name one of these actions? Skips most principals. */
export function mayAllow(candidate: Candidate, actions: readonly string[]): boolean {
  return candidate.policies.set.identity.some((policy) =>
    policy.document.statements.some((s) => {
      if (s.effect !== 'Allow') return false;
      if (s.action) return actions.some((a) => s.action!.some((p) => actionMatches(p, a)));
      return actions.some((a) => !(s.notAction ?? []).some((p) => actionMatches(p, a)));
    }),
  );
}
