/* eslint-disable */
/**
 * Generated from schemas/procedure.schema.json by scripts/gen-types.mjs. Do not edit; run `npm run gen:types`.
 */

/**
 * retire-key: deactivate, observe, delete; delete-inactive-key: delete a key that is already inactive; rotate-key: replace it; finish-key-rotation: one of two active keys goes, its consumers move to the other; quarantine-key: contain a key suspected of compromise; remove-password: delete the console password.
 */
export type CredentialAction =
  'retire-key' | 'delete-inactive-key' | 'rotate-key' | 'finish-key-rotation' | 'quarantine-key' | 'remove-password';
export type Texts = string[];
export type StepEntry = ProcedureStep | StepReference;
/**
 * What the step does. The planner reads roles, never step ids: resolve-ids steps are dropped when every key id is known; choose-key steps appear only when the facts cannot say which key to retire; the others order and explain the plan.
 */
export type StepRole =
  | 'sign-in'
  | 'assume-root'
  | 'resolve-ids'
  | 'check-last-use'
  | 'find-consumers'
  | 'choose-key'
  | 'move-consumers'
  | 'create-replacement'
  | 'update-consumers'
  | 'confirm-idle'
  | 'deactivate'
  | 'quarantine'
  | 'review'
  | 'observe'
  | 'delete'
  | 'prerequisite'
  | 'change'
  | 'verify'
  | 'document';
/**
 * recently-used: the key was used in the last 30 days; never-used / last-use-unknown: what deactivating it risks; already-inactive: the key is inactive, deleting it is the last step; password-change-blocked: the user may not (or may not be known to) change their own password, so a forced reset locks them out; has-active-access-key: the user has an active access key, which a deny-unless-MFA policy would break; mfa-required-by-policy: the user's policies deny most actions without MFA, so a password reset alone is not enough. A prerequisite step appears only when one of its cautions holds.
 */
export type Caution =
  | 'recently-used'
  | 'never-used'
  | 'last-use-unknown'
  | 'already-inactive'
  | 'password-change-blocked'
  | 'has-active-access-key'
  | 'mfa-required-by-policy';
/**
 * auditor: a read-only audit role (e.g. SecurityAudit), for reviews that must not run as the principal under review.
 */
export type Actor = 'root' | 'iam-user' | 'administrator' | 'management-account' | 'auditor';

/**
 * One remediation procedure (procedures/<id>.yaml, or a user override in .credwarden/procedures). A new procedure needs title, actor, summary, phase and steps; an override of an existing id needs only the fields it replaces. See docs/remediation.md.
 */
export interface ProcedureFile {
  /**
   * kebab-case id; the file is named <id>.yaml.
   */
  id: string;
  title?: string;
  /**
   * One sentence: what the procedure achieves and why.
   */
  summary?: string;
  /**
   * Who normally acts; a step may name another actor.
   */
  actor?: 'root' | 'iam-user' | 'administrator' | 'management-account' | 'auditor';
  /**
   * Which principals the procedure is written for (default for a new procedure: both).
   *
   * @minItems 1
   */
  appliesTo?: ['root' | 'user', ...('root' | 'user')[]];
  /**
   * Where the procedure's steps go in a merged plan: lower first. Built-in phases: 5 contain a compromise, 10 protect sign-in (MFA), 15 passwords, 30 retire keys, 40 rotate keys, 60 certificates, 70 root usage, 80 recovery paths, 90 everything else.
   */
  phase?: number;
  /**
   * What the procedure does to the credential of its finding. The planner merges findings by these declarations: a key is retired or rotated, never both; a removed password needs no MFA.
   */
  handles?: CredentialAction[];
  /**
   * Why removing the finding's credential also resolves this procedure's finding (e.g. no password, no console sign-in to protect with MFA). When the plan removes that credential, the finding is resolved by the removal.
   */
  resolvedByRemoval?: string;
  /**
   * account: the procedure changes a setting of the whole account (the password policy, the server certificates). Its findings are shown on the root user row, the account's anchor, but an administrator of the account carries it out, not the root user. Default: principal.
   */
  scope?: 'principal' | 'account';
  /**
   * Which recovery fact (facts.recovery.<name>.selfService) decides between the self-service and administrator variants of the steps. Default: the one of the finding's credential.
   */
  selfService?: 'password' | 'accessKeys' | 'mfa' | 'none';
  prerequisites?: Texts;
  /**
   * Ordered steps: a step, or `use: <shared step id>` for a step of procedures/steps/.
   */
  steps?: StepEntry[];
  alternatives?: Alternative[];
  verification?: Texts;
  verifyCommands?: Texts;
  /**
   * Replaces the base procedure's links.
   */
  links?: Link[];
  /**
   * Added after the base procedure's links.
   */
  extraLinks?: Link[];
  /**
   * The organisation's own runbook, shown first in the plan's references.
   */
  runbook?: string;
}
/**
 * One step. text and commands are templates: {{name}} placeholders are filled in by the planner; anything it cannot know stays an upper-case placeholder such as <MFA_CODE_1>.
 */
export interface ProcedureStep {
  /**
   * Steps with the same id on the same credential are merged into one.
   */
  id: string;
  role: StepRole;
  /**
   * Defaults to the procedure's actor.
   */
  actor?: 'root' | 'iam-user' | 'administrator' | 'management-account' | 'auditor';
  text: string;
  /**
   * AWS CLI commands, in order.
   */
  commands?: string[];
  /**
   * Only for these credential kinds.
   *
   * @minItems 1
   */
  only?: ['password' | 'access_key' | 'certificate', ...('password' | 'access_key' | 'certificate')[]];
  /**
   * Only for this principal type.
   */
  for?: 'root' | 'user';
  /**
   * Only when the user can (self-service) or cannot (administrator) do it themself. When that is unknown, both variants are kept.
   */
  when?: 'self-service' | 'administrator';
  /**
   * Safety notes the planner attaches to this step when the facts call for them.
   */
  cautions?: Caution[];
}
export interface StepReference {
  /**
   * Id of a shared step (procedures/steps/<id>.yaml).
   */
  use: string;
}
export interface Alternative {
  title: string;
  /**
   * When the alternative applies.
   */
  when: string;
  actor: Actor;
  /**
   * @minItems 1
   */
  steps: [StepEntry, ...StepEntry[]];
}
export interface Link {
  title: string;
  url: string;
}
