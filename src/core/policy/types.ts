/**
 * Types of the IAM policy evaluator. The evaluator is pure: it decides one
 * request against documents already collected, and never calls AWS.
 */

/** A value of a condition key in the request context. `null` = known to be absent from the request. */
export type ContextValue = string | number | boolean | readonly string[] | null;

/**
 * Condition-key values known for a request, keyed case-insensitively (store lower-case
 * keys via `makeContext`). A key that is missing is *unknown*: a statement that depends on it
 * becomes conditional instead of matching or not matching.
 */
export type RequestContext = ReadonlyMap<string, ContextValue>;

/** One authorisation question: may the principal described by `context` do `action` on `resource`? */
export interface EvalRequest {
  /** e.g. `iam:UpdateLoginProfile`. */
  action: string;
  /** The target ARN, e.g. `arn:aws:iam::111122223333:user/alice`. */
  resource: string;
  context: RequestContext;
}

/** The principal element of a trust (or other resource-based) policy statement. */
export type PrincipalSpec = '*' | Readonly<Record<string, readonly string[]>>;

/** A condition block: operator → key → values. */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

/** A normalised policy statement: every single-or-array element is an array. */
export interface Statement {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  action?: readonly string[];
  notAction?: readonly string[];
  resource?: readonly string[];
  notResource?: readonly string[];
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  condition?: ConditionBlock;
}

/** A normalised policy document. */
export interface PolicyDocument {
  version?: string;
  statements: readonly Statement[];
}

/** A named policy: an inline policy, a managed policy's default version, a boundary or an SCP. */
export interface NamedPolicy {
  /** Inline policy name or managed policy name. */
  name: string;
  /** Managed policy / SCP ARN when there is one. */
  arn?: string;
  /** Where an inline policy is attached, e.g. `group/admins`, for explanations. */
  attachedVia?: string;
  document: PolicyDocument;
}

/** The SCPs attached at one level of the organisation (root, an OU, or the account). */
export interface ScpLevel {
  /** Target id: `r-…`, `ou-…` or the account id. */
  target: string;
  policies: readonly NamedPolicy[];
}

/** Everything that decides a request made by one IAM principal in one account. */
export interface PolicySet {
  /** Identity-based policies: inline + attached managed (+ groups' for users). */
  identity: readonly NamedPolicy[];
  /** The permissions boundary, if one is set. */
  boundary?: NamedPolicy;
  /** SCPs from the root down to the account. Absent: no SCPs apply (no organisation, or the management account). */
  scps?: readonly ScpLevel[];
}

/** Which layer of the evaluation a statement belongs to. */
export type PolicyLayer = 'identity' | 'boundary' | 'scp';

/** A statement that applied to a request, for explanations. */
export interface MatchedStatement {
  layer: PolicyLayer;
  policyName: string;
  policyArn?: string;
  attachedVia?: string;
  /** SCP target for `scp` statements. */
  scpTarget?: string;
  sid?: string;
  effect: 'Allow' | 'Deny';
  index: number;
  /** The statement depends on condition keys whose values are unknown. */
  conditional: boolean;
  /** The unknown keys that made it conditional. */
  unknownKeys?: string[];
}

/** The decision for one request. */
export interface EvalResult {
  decision: 'allow' | 'deny' | 'implicitDeny';
  /** True when the decision depends on unknown condition keys (an allow that may not hold, or a deny that may not hold). */
  conditional: boolean;
  matchedStatements: MatchedStatement[];
}

/** Tri-state outcome of matching part of a statement. `unknown` carries the keys it depends on. */
export type Match = { kind: 'yes' } | { kind: 'no' } | { kind: 'unknown'; keys: string[] };

/** Definite match. */
export const YES: Match = { kind: 'yes' };
/** Definite non-match. */
export const NO: Match = { kind: 'no' };
