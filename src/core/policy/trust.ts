import { evaluateCondition } from './conditions.js';
import { actionMatches } from './pattern.js';
import { usesVariables } from './statement.js';
import type { Match, PolicyDocument, PrincipalSpec, RequestContext, Statement } from './types.js';
import { anyOf, allOf, definite, negate } from './match.js';
import { NO } from './types.js';

/** Who a trust policy lets assume a role. */
export type TrustedKind = 'sso' | 'saml' | 'web-identity' | 'service' | 'same-account' | 'other-account' | 'user' | 'role' | 'public';

/** One entity a role's trust policy admits. */
export interface TrustedEntity {
  kind: TrustedKind;
  /** The principal as written: an ARN, account id, service or provider. */
  id: string;
  /** The trust statement has conditions whose values are unknown (MFA, external id, source identity…). */
  conditional: boolean;
  sid?: string;
  index: number;
}

/** The STS actions that start a role session. */
const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity'];

function grantsAssume(statement: Statement): boolean {
  if (statement.action) return ASSUME_ACTIONS.some((a) => statement.action!.some((p) => actionMatches(p, a)));
  return ASSUME_ACTIONS.some((a) => !(statement.notAction ?? []).some((p) => actionMatches(p, a)));
}

const ACCOUNT_ID = /^\d{12}$/;
const ACCOUNT_ROOT = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;
const IAM_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):(user|role|assumed-role)\//;

function classifyAws(id: string, accountId: string): TrustedKind {
  if (id === '*') return 'public';
  const account = ACCOUNT_ID.test(id) ? id : ACCOUNT_ROOT.exec(id)?.[1];
  if (account) return account === accountId ? 'same-account' : 'other-account';
  const iam = IAM_ARN.exec(id);
  if (iam && iam[1] !== accountId) return 'other-account';
  if (iam) return iam[2] === 'user' ? 'user' : 'role';
  return 'other-account';
}

function classifyFederated(id: string): TrustedKind {
  const provider = /:saml-provider\/(.+)$/.exec(id)?.[1];
  if (provider) return provider.startsWith('AWSSSO_') ? 'sso' : 'saml';
  return 'web-identity';
}

function entitiesOf(spec: PrincipalSpec, accountId: string): { kind: TrustedKind; id: string }[] {
  if (spec === '*') return [{ kind: 'public', id: '*' }];
  const out: { kind: TrustedKind; id: string }[] = [];
  for (const [type, ids] of Object.entries(spec)) {
    const t = type.toLowerCase();
    for (const id of ids) {
      if (t === 'aws') out.push({ kind: classifyAws(id, accountId), id });
      else if (t === 'service') out.push({ kind: 'service', id });
      else if (t === 'federated') out.push({ kind: classifyFederated(id), id });
      else if (t === 'canonicaluser') out.push({ kind: 'other-account', id });
    }
  }
  return out;
}

function specNames(spec: PrincipalSpec | undefined, id: string): boolean {
  if (spec === undefined) return false;
  if (spec === '*') return true;
  return Object.values(spec).some((ids) => ids.includes('*') || ids.includes(id));
}

/**
 * Lists who a role's trust policy admits, with whether a condition makes it uncertain.
 * An unconditional Deny naming the same principal (or `*`) removes it; a conditional
 * Deny marks it conditional. Condition keys are all unknown here (no caller is fixed),
 * so any Condition makes the entry conditional.
 */
export function trustedEntities(document: PolicyDocument, accountId: string): TrustedEntity[] {
  const denies = document.statements.filter((s) => s.effect === 'Deny' && grantsAssume(s));
  const out: TrustedEntity[] = [];
  for (const statement of document.statements) {
    if (statement.effect !== 'Allow' || !grantsAssume(statement)) continue;
    const entities = statement.principal
      ? entitiesOf(statement.principal, accountId)
      : statement.notPrincipal
        ? [{ kind: 'public' as const, id: '*' }]
        : [];
    for (const entity of entities) {
      const denying = denies.filter((d) => specNames(d.principal, entity.id));
      if (denying.some((d) => !d.condition)) continue;
      out.push({
        ...entity,
        conditional: statement.condition !== undefined || statement.notPrincipal !== undefined || denying.length > 0,
        ...(statement.sid ? { sid: statement.sid } : {}),
        index: statement.index,
      });
    }
  }
  return out;
}

/** Whether a principal ARN in `principalAccount` is named by a Principal element (directly, by its account, or by `*`). */
function principalMatches(spec: PrincipalSpec | undefined, principalArn: string, principalAccount: string): Match {
  if (spec === undefined) return NO;
  if (spec === '*') return definite(true);
  const ids = Object.entries(spec)
    .filter(([t]) => t.toLowerCase() === 'aws')
    .flatMap(([, v]) => v);
  return definite(
    ids.some((id) => id === '*' || id === principalArn || id === principalAccount || ACCOUNT_ROOT.exec(id)?.[1] === principalAccount),
  );
}

/**
 * Whether a role's trust policy lets an IAM principal (a user or role ARN) call
 * `sts:AssumeRole`: some Allow statement names it (or its account, or `*`) and no Deny does.
 * Conditions are evaluated against `context`; unknown keys make the answer `unknown`.
 */
export function trustAllows(document: PolicyDocument, principalArn: string, principalAccount: string, context: RequestContext): Match {
  const variables = usesVariables(document);
  const applies = (s: Statement): Match => {
    const named = s.principal
      ? principalMatches(s.principal, principalArn, principalAccount)
      : negate(principalMatches(s.notPrincipal, principalArn, principalAccount));
    const action = definite(
      (s.action ?? []).some((p) => actionMatches(p, 'sts:AssumeRole')) ||
        (s.notAction !== undefined && !s.notAction.some((p) => actionMatches(p, 'sts:AssumeRole'))),
    );
    return allOf([named, action, evaluateCondition(s.condition, context, variables)]);
  };
  const allow = anyOf(document.statements.filter((s) => s.effect === 'Allow').map(applies));
  const deny = anyOf(document.statements.filter((s) => s.effect === 'Deny').map(applies));
  if (deny.kind === 'yes') return NO;
  if (allow.kind === 'no') return NO;
  if (deny.kind === 'unknown') return allOf([allow, deny]);
  return allow;
}
