import type { Actor, Credential, PlanStep, Severity } from '../../model/index.js';

export type { Actor, PlanStep };

// Actor and PlanStep are part of the published result contract (schemas/result.schema.json).
// Actor `management-account` is an IAM principal of the organization's management (or
// delegated administrator) account using centralized root access, never a member's root user.

/** A link to the page a procedure follows, normally on docs.aws.amazon.com. */
export interface ProcedureLink {
  title: string;
  url: string;
}

/** Which kind of credential a procedure step is about; steps without one apply to every kind. */
export type CredentialKind = 'password' | 'access_key' | 'certificate';

/**
 * One step of a procedure. Text and commands are templates: `{user}`, `{account}`,
 * `{slot}`, `{otherSlot}`, `{keyId}`, `{otherKeyId}`, `{certSlot}`, `{certId}`,
 * `{arn}` and `{admin}` are filled in by the planner; anything it cannot know
 * stays an upper-case placeholder such as `<MFA_CODE_1>`.
 */
export interface ProcedureStep {
  /** Stable id. Steps with the same id on the same credential are merged into one. */
  id: string;
  /** Defaults to the procedure's actor. */
  actor?: Actor;
  text: string;
  /** AWS CLI commands, in order. */
  commands?: string[];
  /** Only for these credential kinds (e.g. the password half of disable-unused-credential). */
  only?: CredentialKind[];
  /** Only for this principal type (root keys are managed differently from IAM users' keys). */
  for?: 'root' | 'user';
  /**
   * Only when the user can (self-service) or cannot (administrator) manage their own
   * credentials. When that is unknown, both variants are kept.
   */
  when?: 'self-service' | 'administrator';
}

/** Another way to reach the same result, e.g. a privileged root task from the management account. */
export interface ProcedureAlternative {
  title: string;
  /** When the alternative applies. */
  when: string;
  actor: Actor;
  steps: ProcedureStep[];
}

/** A remediation procedure of the catalogue. */
export interface Procedure {
  id: string;
  title: string;
  /** Who normally acts. */
  actor: Actor;
  /** Which principals the procedure is written for. */
  appliesTo: ('root' | 'user')[];
  /** One sentence: what the procedure achieves and why. */
  summary: string;
  prerequisites: string[];
  /** Ordered steps. */
  steps: ProcedureStep[];
  alternatives?: ProcedureAlternative[];
  /** How to confirm the fix; entries may hold a command after `: `. */
  verification: string[];
  /** Commands that show the fix took effect. */
  verifyCommands?: string[];
  links: ProcedureLink[];
  /** The organisation's own runbook, shown first when set (usually by an override). */
  runbook?: string;
  /** Where the procedure came from: 'built-in' or the override file. */
  source?: string;
}

/** Procedures by id. */
export type Catalogue = ReadonlyMap<string, Procedure>;

/** A finding as the plan refers to it. */
export interface PlanFindingRef {
  ruleId: string;
  severity: Severity;
  credential: Credential;
  fingerprint: string;
  message: string;
  /** How the plan resolves this finding. */
  resolution: string;
}

/** The merged, ordered plan for one principal. */
export interface PrincipalPlan {
  accountId: string;
  accountName: string | null;
  principal: { type: 'root' | 'user'; name: string; arn: string };
  /** Everyone who acts in the plan, main actor first. */
  actors: Actor[];
  /** Named administrators who can do the administrator steps, when known. */
  administrators: string[];
  /** What the plan achieves, one line per credential decision. */
  goals: string[];
  findings: PlanFindingRef[];
  procedures: string[];
  /** Safety notes that matter before starting. */
  notes: string[];
  steps: PlanStep[];
  alternatives: { procedure: string; title: string; when: string; actor: Actor; steps: PlanStep[] }[];
  verification: string[];
  links: ProcedureLink[];
}

/** Plans of one account. */
export interface AccountPlans {
  accountId: string;
  accountName: string | null;
  plans: PrincipalPlan[];
}

/** Every plan of a scan result, grouped per account. */
export interface PlanSet {
  /** Says that credwarden never executes a plan. */
  header: string;
  asOf: string | null;
  accounts: AccountPlans[];
  /** Findings whose procedure is not in the catalogue (they get no plan). */
  unknownProcedures: { ruleId: string; procedure: string }[];
}

/** The header of every plan: credwarden writes text and commands, people run them. */
export const PLAN_HEADER =
  'credwarden never executes these plans: it only writes text and AWS CLI commands. Review every step, then run it yourself with credentials that are allowed to make the change.';
