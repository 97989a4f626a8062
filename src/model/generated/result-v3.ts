/* eslint-disable */
/**
 * Generated from schemas/result-v3.schema.json by scripts/gen-types.mjs. Do not edit; run `npm run gen:types`.
 */

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
/**
 * The credential a finding is about: a credential report slot, null for the principal, or <kind>:<id> for a credential the report leaves out (service_credential:ID, ssh_public_key:ID, server_certificate:NAME).
 */
export type Credential = ('password' | 'access_key_1' | 'access_key_2' | 'cert_1' | 'cert_2' | null) | string;

/**
 * The machine-readable scan result (format 'json'), version 3, compact and written in one pass: one JSON document, one line per item. Everything but the accounts comes first (rules with their status and procedure, summary, waivers, the procedures' text once); then each account with its findings, plans and resolved findings, in account-id order. A finding states only what differs from its rule and account; a plan states what the planner knew, never its text. credwarden reads versions 1 and 2 too (diff, merge, trend, --baseline, plan, publish), and every reader gives the same findings and plans (schemas/result.schema.json, the version 2 model) whatever the version.
 */
export interface ScanResultV3 {
  schemaVersion: 3;
  tool: {
    name: 'credwarden';
    version: string;
  };
  /**
   * The --as-of override, or null when each account is evaluated at its own report time.
   */
  asOf: string | null;
  pack: string;
  /**
   * sha256 of the effective rules and parameters.
   */
  rulesHash: string;
  /**
   * Statements about what the result does not cover, which every report states once (for example: IAM Identity Center users are not in credential reports). Optional: results written before it have none.
   */
  notes?: string[];
  /**
   * Set when this result covers one shard of the accounts (--shard K/N); `credwarden merge` removes it.
   */
  shard?: {
    index: number;
    count: number;
  };
  /**
   * How the scan reached the accounts (plans say how to get there).
   */
  access?: {
    roleName?: string;
    profile?: string;
  };
  /**
   * Every control of each framework catalogue (frameworks/*.yaml) with the rules that evaluate it, or why none does. Reports derive each control's status from the rules' statuses. Optional: results written before it have none.
   */
  frameworkCoverage?: FrameworkCoverage[];
  rules: RuleV3[];
  summary: Summary;
  /**
   * Every waiver of the --waivers file and how it applied (only with --waivers).
   */
  waivers?: WaiverOutcome[];
  warnings?: string[];
  /**
   * The remediation procedures the plans use, once each, ordered by id: each procedure's constant text (steps, commands, verification, links, caveats) as procedures/<id>.yaml holds it after the scan's overrides, shared steps resolved (schemas/procedure.schema.json). Campaign reports (credwarden-plans.md) show each procedure's steps once from here. Optional: results written before it have none.
   */
  procedures?: {
    id: string;
    title: string;
    steps: unknown[];
  }[];
  accounts: AccountV3[];
}
export interface FrameworkCoverage {
  id: string;
  title: string;
  label: string;
  section: string;
  controls: {
    id: string;
    title: string;
    /**
     * Built-in rules that evaluate the control (in this scan's pack or not).
     */
    rules: string[];
    /**
     * Why no rule evaluates it.
     */
    notEvaluated?: string;
    /**
     * Why it is outside credential hygiene.
     */
    outOfScope?: string;
    /**
     * Where the rules differ from the control's audit.
     */
    difference?: string;
  }[];
}
export interface RuleV3 {
  id: string;
  title: string;
  description?: string;
  severity: Severity;
  parameters: {
    [k: string]: unknown;
  };
  /**
   * The fact each parameter is a threshold for, by parameter name (the rule file's parameters.<name>.bounds), e.g. {"maxAgeDays": "key.ageDays"}: reports find a rule's threshold for a fact here, never by the parameter's name. Only parameters that declare one; absent when none does (and in results written before it).
   */
  bounds?: {
    [k: string]: string;
  };
  frameworks: Frameworks;
  docs?: string;
  /**
   * Rule file, relative to the rules root.
   */
  source?: string;
  /**
   * failed: at least one open finding; accepted: no open finding but waived ones (a failure whose exception was accepted, never passed); deviates: no finding, but evaluated with parameters looser than a framework the rule maps to (see deviations), never passed; not-evaluated: decided in no scanned account; partial: decided in some accounts only, with no finding; passed: decided in every scanned account, with no finding, under parameters at least as strict as every framework it maps to. A rule is decided in an account when the account was scanned and every fact root the rule reads was collected there (snapshot factsCollected, not factsUnavailable).
   */
  status: 'passed' | 'failed' | 'accepted' | 'deviates' | 'not-evaluated' | 'partial';
  /**
   * Scanned accounts in which the rule was decided.
   */
  evaluatedAccounts: number;
  /**
   * Accounts in which the rule was not decided, and why (failed accounts included; skipped accounts are out of scope and not listed).
   */
  notEvaluated: NotEvaluated[];
  /**
   * Framework controls whose own parameters are stricter than the ones in force (frameworks/*.yaml). Optional: results written before it have none.
   */
  deviations?: Deviation[];
  /**
   * The remediation procedure of the rule's findings (procedures/<id>.yaml), unless a finding names another.
   */
  procedure?: string;
}
export interface Frameworks {
  'cis-aws-3.0': string[];
  'cis-aws-5.0': string[];
  'aws-security-hub': string[];
  'aws-config': string[];
}
export interface NotEvaluated {
  accountId: string;
  /**
   * e.g. "needs a live scan: the credential report does not say whether root's MFA is a hardware device", "GetAccountAuthorizationDetails: AccessDenied", "account failed: AccessDenied".
   */
  reason: string;
}
export interface Deviation {
  framework: string;
  control: string;
  parameter: string;
  /**
   * The value in force.
   */
  value: number | boolean | string;
  /**
   * The framework's value.
   */
  required: number | boolean | string;
  /**
   * One line for reports, e.g. "evaluated with graceDays 7; CIS 3.0 1.13 allows no grace window".
   */
  text: string;
}
export interface Summary {
  total: number;
  open: number;
  waived: number;
  new?: number;
  bySeverity: {
    critical: number;
    high: number;
    medium: number;
    low: number;
    info: number;
  };
  byRule: {
    [k: string]: number;
  };
  accounts: {
    scanned: number;
    failed: number;
    skipped: number;
  };
}
export interface WaiverOutcome {
  /**
   * The waiver's explicit id, or a hash of its match fields.
   */
  id: string;
  rule: string;
  account: string;
  principal: string;
  credential?: Credential;
  reason: string;
  approvedBy?: string;
  expires: string;
  /**
   * active: in force and matching findings; expired: past its expiry, no longer applied; stale: in force but matching no finding.
   */
  state: 'active' | 'expired' | 'stale';
  /**
   * Findings matched (for an expired waiver: findings it would have matched).
   */
  matched: number;
  /**
   * file:line of the waiver.
   */
  source?: string;
}
export interface AccountV3 {
  id: string;
  name?: string;
  ouPath?: string;
  reportGeneratedTime?: string | null;
  asOf?: string | null;
  status?: 'scanned' | 'failed' | 'skipped';
  reason?: string;
  principals?: number;
  facts?: {
    [k: string]: unknown;
  };
  /**
   * Findings of an account the result does not list (a hand-edited or old merged result).
   */
  unlisted?: true;
  findings?: FindingV3[];
  plans?: PlanV3[];
  /**
   * Findings of the baseline that are gone in this scan (only with --baseline), whole (schema version 2 Finding).
   */
  resolved?: Finding[];
}
/**
 * A finding of the account it is listed under. Its account id, name and OU path are the account's; its title, frameworks and procedure are its rule's (rules[]) unless it states its own.
 */
export interface FindingV3 {
  ruleId: string;
  severity: Severity;
  principal: Principal;
  credential: Credential;
  message: string;
  evidence: {
    [k: string]: unknown;
  };
  status: 'open' | 'waived';
  fingerprint: string;
  /**
   * The id of the plan of this finding (the account's plans[]).
   */
  planId?: string;
  /**
   * The waiver in force for this finding (status 'waived').
   */
  waiver?: {
    id: string;
    reason: string;
    approvedBy?: string;
    expires: string;
  };
  baseline?: 'new' | 'existing';
  /**
   * When this finding was first seen (RFC 3339): with --baseline, a finding the baseline already had keeps the baseline's firstSeen, or the baseline account's as-of time when the baseline recorded none. Absent for a finding first seen in this scan (its account's as-of). ASFF CreatedAt and FirstObservedAt use it.
   */
  firstSeen?: string;
  title?: string;
  frameworks?: Frameworks;
  procedure?: string;
  accountName?: string | null;
  ouPath?: string | null;
}
export interface Principal {
  type: 'root' | 'user';
  name: string;
  arn: string;
}
/**
 * A principal's merged remediation plan, compact: what the planner knew of the principal (facts, as a difference from what the account and the ARN give), never the plan's text. Readers make the plan again from the account's open findings of this principal, these facts and the top-level procedures (`credwarden plan RESULT --principal ARN`). A plan whose facts were not known (merged from a result written before version 3) is stated whole in `whole`.
 */
export interface PlanV3 {
  id: string;
  arn: string;
  facts?: {
    [k: string]: unknown;
  };
  /**
   * The whole plan (schema version 2 Plan without id and accountId).
   */
  whole?: {
    [k: string]: unknown;
  };
}
export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  accountId: string;
  accountName?: string | null;
  ouPath?: string | null;
  principal: Principal;
  credential: Credential;
  message: string;
  evidence: {
    [k: string]: unknown;
  };
  frameworks: Frameworks;
  remediation: Remediation;
  status: 'open' | 'waived';
  /**
   * The waiver in force for this finding (status 'waived').
   */
  waiver?: {
    id: string;
    reason: string;
    approvedBy?: string;
    expires: string;
  };
  baseline?: 'new' | 'existing';
  /**
   * When this finding was first seen (RFC 3339): with --baseline, a finding the baseline already had keeps the baseline's firstSeen, or the baseline account's as-of time when the baseline recorded none. Absent for a finding first seen in this scan (its account's as-of). ASFF CreatedAt and FirstObservedAt use it.
   */
  firstSeen?: string;
  fingerprint: string;
}
export interface Remediation {
  /**
   * Id of the remediation procedure in the catalogue.
   */
  procedure: string;
  /**
   * Id of the plan in the top-level `plans` list that resolves this finding. Absent for waived findings, findings whose procedure is unknown, and resolved findings (their plan was in the baseline).
   */
  planId?: string;
}
