import type { Actor, Finding, Plan, PlanStep } from '../../model/index.js';
import type { Caution, CredentialAction, ProcedureFile, ProcedureLink as Link, ProcedureStep, StepRole } from '../../model/index.js';

export type { Actor, PlanStep };

// Actor and PlanStep are part of the published result contract (schemas/result.schema.json).
// Actor `management-account` is an IAM principal of the organization's management (or
// delegated administrator) account using centralized root access, never a member's root user.

/** A link to the page a procedure follows, normally on docs.aws.amazon.com. */
export type ProcedureLink = Link;

export type { Caution, CredentialAction, ProcedureFile, ProcedureStep, StepRole };

/** Which kind of credential a procedure step is about; steps without one apply to every kind. */
export type CredentialKind = 'password' | 'access_key' | 'certificate';

/** Another way to reach the same result, e.g. a privileged root task from the management account. */
export interface ProcedureAlternative {
  title: string;
  /** When the alternative applies. */
  when: string;
  actor: Actor;
  steps: ProcedureStep[];
}

/**
 * A complete procedure of the catalogue: a procedure file (schemas/procedure.schema.json)
 * with its overrides merged in and its shared steps resolved.
 */
export interface Procedure {
  id: string;
  title: string;
  /** Who normally acts. */
  actor: Actor;
  /** Which principals the procedure is written for. */
  appliesTo: ('root' | 'user')[];
  /** Where its steps go in a merged plan: lower first. */
  phase: number;
  /** What it does to the credential of its finding. */
  handles: CredentialAction[];
  /** Why removing the finding's credential also resolves the finding, when it does. */
  resolvedByRemoval?: string;
  /** `account`: it changes an account-wide setting; its findings sit on the root row, an administrator acts. */
  scope?: NonNullable<ProcedureFile['scope']>;
  /** Which recovery fact decides between self-service and administrator steps. */
  selfService?: NonNullable<ProcedureFile['selfService']>;
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
  /** Where the procedure came from: the file it was read from, then the files that overrode it. */
  source?: string;
}

/** Procedures by id. */
export type Catalogue = ReadonlyMap<string, Procedure>;

/**
 * A finding as a principal's plan refers to it: the result's reference (fingerprint and
 * resolution) with what a report shows of the finding beside it.
 */
export type PlanFindingRef = Plan['findings'][number] & Pick<Finding, 'ruleId' | 'severity' | 'credential' | 'message'>;

/** Where a plan runs, how to get there, and a command that stops the engineer in the wrong account. */
export type PlanAccess = NonNullable<Plan['access']>;

/**
 * The merged, ordered plan for one principal, as the planner makes it and the plan renderers
 * read it: the result's `Plan` (schemas/result.schema.json) without its id, with the account's
 * name and each finding's report fields. `access` is absent in plans rebuilt from an older result.
 */
export type PrincipalPlan = Omit<Plan, 'id' | 'findings'> & {
  accountName: string | null;
  findings: PlanFindingRef[];
};

/** A procedure applied to one credential of a principal (null: the principal as a whole). */
export type PlanTarget = NonNullable<Plan['targets']>[number];

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
  /** Notes for the whole plan document, e.g. that IAM Identity Center users are not covered. */
  notes: string[];
  asOf: string | null;
  /** Accounts by the highest severity their plans cover; plans likewise, critical first. */
  accounts: AccountPlans[];
  /** Findings whose procedure is not in the catalogue (they get no plan). */
  unknownProcedures: { ruleId: string; procedure: string }[];
}

/** The header of every plan: credwarden writes text and commands, people run them. */
export const PLAN_HEADER =
  'credwarden never executes these plans: it only writes text and AWS CLI commands. Review every step, then run it yourself with credentials that are allowed to make the change.';

/** The reset procedure for IAM Identity Center users, who are not IAM users. */
export const IDENTITY_CENTER_RESET_URL = 'https://docs.aws.amazon.com/singlesignon/latest/userguide/resetuserpwd.html';

/**
 * Shown once in every report and plan file: the credential report lists IAM users and the
 * root user only, so Identity Center users (and their passwords and MFA) are not covered.
 */
export const IDENTITY_CENTER_NOTE = `IAM Identity Center users are not IAM users: they are not in the credential report, so credwarden neither checks nor plans for them. To reset an Identity Center user's password, follow ${IDENTITY_CENTER_RESET_URL}.`;
