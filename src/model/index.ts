/**
 * The data model shared by every layer. Generated types come from schemas/*.schema.json
 * (run `npm run gen:types`); hand-written types live beside them.
 */
export type { Snapshot, Account, Principal, Password, AccessKey, Certificate, AccountOutcome, Facts } from './generated/snapshot.js';
export type {
  ScanResult,
  Finding,
  Severity,
  Credential,
  Frameworks,
  RuleSummary,
  NotEvaluated,
  Deviation,
  FrameworkCoverage,
  AccountResult,
  Summary,
  Remediation,
  Principal as FindingPrincipal,
  WaiverOutcome,
  Plan,
  PlanStep,
  Actor,
} from './generated/result.js';
export type { RuleFile, Condition, Comparison, Quantifier, Operand, Parameter, FrameworkMappings } from './generated/rule.js';
export type { PackFile, RuleSettings } from './generated/pack.js';
export type { ConfigFile } from './generated/config.js';
export type { RuleCasesFile, ValidCase, InvalidCase, ExpectedFinding, Row as CaseRow } from './generated/rule-cases.js';
export type {
  ProcedureFile,
  ProcedureStep,
  StepReference,
  StepEntry,
  StepRole,
  Caution,
  CredentialAction,
  Link as ProcedureLink,
} from './generated/procedure.js';
export * from './diagnostics.js';

/** Severities from most to least severe. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

/** A map, not an object: a severity read from a file may be `constructor` or `__proto__`. */
const SEVERITY_RANK: ReadonlyMap<string, number> = new Map(SEVERITIES.map((s, i) => [s, i]));

/** The one severity order: 0 for critical … 4 for info; an unknown severity sorts last. */
export function severityRank(severity: string): number {
  return SEVERITY_RANK.get(severity) ?? SEVERITIES.length;
}

/** Framework keys used in every finding's `frameworks` map. */
export const FRAMEWORKS = ['cis-aws-3.0', 'cis-aws-5.0', 'aws-security-hub', 'aws-config'] as const;

/** Exit codes of the CLI; documented in `credwarden --help`. */
export const EXIT = {
  /** No finding at or above the gate. */
  ok: 0,
  /** Findings at or above --fail-on (or new findings with --fail-on-new). */
  findings: 1,
  /** Usage, configuration or input error. */
  usage: 2,
  /** Incomplete scan: some accounts failed (unless --allow-partial). */
  partial: 3,
} as const;
