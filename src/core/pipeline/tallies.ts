import type { AccountResult, Finding, RuleSummary, Severity, Summary, WaiverOutcome } from '../../model/index.js';
import { SEVERITIES } from '../../model/index.js';
import { ruleStatus, type RuleCoverage } from '../engine/coverage.js';
import { planOutlines, type ResultProcedure } from '../remediation/index.js';
import type { AccountSlice, RuleDefinition, Tallies } from './types.js';

/** A {@link TallyCounter}'s counts as data (structured-cloneable: it crosses threads). */
export interface SavedCounts {
  total: number;
  open: number;
  fresh: number;
  withBaseline: boolean;
  openBySeverity: Record<Severity, number>;
  waivedBySeverity: Record<Severity, number>;
  newOpen: Record<Severity, number>;
  byRule: ReadonlyMap<string, number>;
  waivedByRule: ReadonlyMap<string, number>;
  procedureIds: ReadonlySet<string>;
  accounts: Summary['accounts'];
  resolved: number;
  plannedPrincipals: number;
  plans: number;
}

/** Zero per severity. */
export function bySeverity(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

/**
 * Counts a run account by account: the summary, open and waived findings by rule and
 * severity, the gate's counts. Every count is a sum, so the tallies never depend on the
 * order in which accounts arrive.
 */
export class TallyCounter {
  private total = 0;
  private open = 0;
  private fresh = 0;
  private withBaseline = false;
  private readonly openBySeverity = bySeverity();
  private readonly waivedBySeverity = bySeverity();
  private readonly newOpen = bySeverity();
  private readonly byRule = new Map<string, number>();
  private readonly waivedByRule = new Map<string, number>();
  private readonly procedureIds = new Set<string>();
  private readonly accounts = { scanned: 0, failed: 0, skipped: 0 };
  private resolved = 0;
  private plannedPrincipals = 0;
  private plans = 0;

  /** Adds one account's slice. */
  add(slice: AccountSlice): void {
    if (slice.account) this.accounts[slice.account.status]++;
    const planned = new Set<string>();
    for (const finding of slice.findings) this.finding(finding, planned);
    this.plannedPrincipals += planned.size;
    const plans = planOutlines(slice);
    this.plans += plans.length;
    for (const plan of plans) for (const id of plan.procedures) this.procedureIds.add(id);
    this.resolved += slice.resolved?.length ?? 0;
  }

  private finding(finding: Finding, planned: Set<string>): void {
    this.total++;
    if (finding.baseline !== undefined) this.withBaseline = true;
    if (finding.baseline === 'new') this.fresh++;
    if (finding.status !== 'open') {
      this.waivedBySeverity[finding.severity]++;
      this.waivedByRule.set(finding.ruleId, (this.waivedByRule.get(finding.ruleId) ?? 0) + 1);
      return;
    }
    this.open++;
    this.openBySeverity[finding.severity]++;
    if (finding.baseline === 'new') this.newOpen[finding.severity]++;
    this.byRule.set(finding.ruleId, (this.byRule.get(finding.ruleId) ?? 0) + 1);
    planned.add(finding.principal.arn);
    // A plan is made again from its findings and the procedures stated once (result v3): the
    // planner looks up each open finding's own procedure, even when it picks another.
    this.procedureIds.add(finding.remediation.procedure);
  }

  /** What was counted so far, as data: another counter (another thread's) absorbs it. */
  save(): SavedCounts {
    return {
      total: this.total,
      open: this.open,
      fresh: this.fresh,
      withBaseline: this.withBaseline,
      openBySeverity: this.openBySeverity,
      waivedBySeverity: this.waivedBySeverity,
      newOpen: this.newOpen,
      byRule: this.byRule,
      waivedByRule: this.waivedByRule,
      procedureIds: this.procedureIds,
      accounts: this.accounts,
      resolved: this.resolved,
      plannedPrincipals: this.plannedPrincipals,
      plans: this.plans,
    };
  }

  /** Adds another counter's counts (every count is a sum, so the order of absorbing does not matter). */
  absorb(other: SavedCounts): void {
    this.total += other.total;
    this.open += other.open;
    this.fresh += other.fresh;
    this.withBaseline ||= other.withBaseline;
    for (const s of SEVERITIES) {
      this.openBySeverity[s] += other.openBySeverity[s];
      this.waivedBySeverity[s] += other.waivedBySeverity[s];
      this.newOpen[s] += other.newOpen[s];
    }
    for (const [id, n] of other.byRule) this.byRule.set(id, (this.byRule.get(id) ?? 0) + n);
    for (const [id, n] of other.waivedByRule) this.waivedByRule.set(id, (this.waivedByRule.get(id) ?? 0) + n);
    for (const id of other.procedureIds) this.procedureIds.add(id);
    this.accounts.scanned += other.accounts.scanned;
    this.accounts.failed += other.accounts.failed;
    this.accounts.skipped += other.accounts.skipped;
    this.resolved += other.resolved;
    this.plannedPrincipals += other.plannedPrincipals;
    this.plans += other.plans;
  }

  /** The summary of what was added (`byRule` in rule-id order). */
  summary(): Summary {
    const byRule = Object.fromEntries([...this.byRule.entries()].sort(([a], [b]) => a.localeCompare(b)));
    return {
      total: this.total,
      open: this.open,
      waived: this.total - this.open,
      ...(this.withBaseline ? { new: this.fresh } : {}),
      bySeverity: { ...this.openBySeverity },
      byRule,
      accounts: { ...this.accounts },
    };
  }

  /** The procedure ids the plans and the open findings name (each once). */
  procedures(): ReadonlySet<string> {
    return this.procedureIds;
  }

  /**
   * The tallies, given each rule's coverage, the waiver outcomes and the procedures the plans
   * use. A rule's status counts its open and waived findings and its deviations (ruleStatus).
   */
  tallies(
    rules: readonly RuleDefinition[],
    coverageOf: (ruleId: string) => RuleCoverage,
    extra: { waivers?: readonly WaiverOutcome[]; withBaseline: boolean; procedures?: readonly ResultProcedure[] },
  ): Tallies {
    const summary = this.summary();
    const ruleSummaries: RuleSummary[] = rules.map(({ deviations, ...rule }) => {
      const coverage = coverageOf(rule.id);
      const verdict = { open: summary.byRule[rule.id] ?? 0, waived: this.waivedByRule.get(rule.id) ?? 0, deviations: deviations ?? [] };
      // The result's key order: the definition, status, deviations, then the coverage.
      return {
        ...rule,
        status: ruleStatus(verdict, coverage),
        ...(deviations && deviations.length > 0 ? { deviations } : {}),
        ...coverage,
      };
    });
    return {
      summary,
      rules: ruleSummaries,
      ...(extra.waivers ? { waivers: extra.waivers } : {}),
      waivedBySeverity: { ...this.waivedBySeverity },
      gate: { open: { ...this.openBySeverity }, newOpen: { ...this.newOpen } },
      ...(extra.withBaseline ? { resolved: this.resolved } : {}),
      plannedPrincipals: this.plannedPrincipals,
      plans: this.plans,
      ...(extra.procedures ? { procedures: extra.procedures } : {}),
    };
  }
}

/** Accounts of a status, for a summary computed outside the counter. */
export function countAccounts(accounts: readonly AccountResult[]): Summary['accounts'] {
  const count = (status: AccountResult['status']) => accounts.filter((a) => a.status === status).length;
  return { scanned: count('scanned'), failed: count('failed'), skipped: count('skipped') };
}
