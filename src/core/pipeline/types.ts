/**
 * The data that flows through the scan pipeline (see ./index.ts): what is known before the
 * first account (the header), what one account gives (a slice), and the only state kept for
 * the whole organisation (the tallies).
 */
import type { AccountResult, Finding, Plan, RuleSummary, ScanResult, Severity, Summary, WaiverOutcome } from '../../model/index.js';
import type { PlanOutline, ResultProcedure, ScanAccess } from '../remediation/index.js';

/** A rule as it is known before any account is scanned: everything but its status and coverage. */
export type RuleDefinition = Omit<RuleSummary, 'status' | 'evaluatedAccounts' | 'notEvaluated'>;

/** What a report knows before the first account: the run's metadata and its rules. */
export interface RunHeader {
  /** Result schema version of the source (a scan writes the current one; merge keeps its inputs'). */
  schemaVersion: number;
  toolVersion: string;
  /** The --as-of override, or null when each account is evaluated at its own report time. */
  asOf: string | null;
  pack: string;
  rulesHash: string;
  rules: readonly RuleDefinition[];
  /** What no credential report covers, stated once in every report. */
  notes: readonly string[];
  shard?: { index: number; count: number };
  /** Every control of each framework catalogue and the rules that evaluate it (frameworks/*.yaml). */
  frameworkCoverage?: ScanResult['frameworkCoverage'];
  /** How the scan reached the accounts (plans say how to get there; a compact result re-plans with it). */
  access?: ScanAccess;
  /** The remediation procedure of each rule, by rule id (a compact result names it once per rule). */
  ruleProcedures?: Readonly<Record<string, string>>;
  /** Findings are compared with a baseline (they carry `baseline`, slices carry `resolved`). */
  withBaseline: boolean;
}

/**
 * One account's share of the result, complete: its outcome, its findings (sorted, waivers and
 * baseline applied, naming their plans), its plans and, with a baseline, the baseline's findings
 * that are gone. `account` is undefined only for findings of an account the result does not
 * list (a hand-edited or old merged result).
 */
export interface AccountSlice {
  id: string;
  account?: AccountResult;
  findings: readonly Finding[];
  /** The whole plans. A scan makes their text only when this is read: read {@link outlines} where they do. */
  plans: readonly Plan[];
  /**
   * What every report needs of each plan (ids, procedures, targets) and what the planner knew of
   * its principal, which a compact result (v3) stores instead of the plan's text. Undefined for a
   * slice of a result read from a file: its whole plans are the outlines (see `planOutlines`).
   */
  outlines?: readonly PlanOutline[];
  resolved?: readonly Finding[];
}

/** Open findings by severity, and those new since the baseline: what the gate counts. */
export interface GateCounts {
  open: Record<Severity, number>;
  newOpen: Record<Severity, number>;
}

/** The whole-organisation state of a run: counts, each rule's verdict, waiver outcomes. */
export interface Tallies {
  summary: Summary;
  /** Every rule with its status and coverage. */
  rules: readonly RuleSummary[];
  /** Every waiver and how it applied (only with --waivers). */
  waivers?: readonly WaiverOutcome[];
  warnings?: readonly string[];
  waivedBySeverity: Record<Severity, number>;
  gate: GateCounts;
  /** Baseline findings that are gone (undefined without a baseline). */
  resolved?: number;
  /** Principals with at least one open finding (each has one plan). */
  plannedPrincipals: number;
  /** Plans written. */
  plans: number;
  /** The procedures the plans use, once each, ordered by id (undefined when no plan was made). */
  procedures?: readonly ResultProcedure[];
}
