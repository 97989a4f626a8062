import type { Plan, ScanResult } from '../../model/index.js';
import { planFindings, type PlanOptions } from './planner.js';
import type { AccountPlans, Catalogue, PlanSet, PrincipalPlan } from './types.js';
import { PLAN_HEADER } from './types.js';

/** The parts of a principal's merged plan that every finding of that principal carries. */
type PlanBody = Pick<PrincipalPlan, 'actors' | 'administrators' | 'goals' | 'procedures' | 'notes' | 'steps' | 'alternatives' | 'verification' | 'links'>;

/**
 * The plan embedded in one finding's `remediation.plan`: its principal's merged plan, plus how
 * it resolves this finding. Defined by the result schema (`Plan`), so the contract has one source.
 */
export type FindingPlan = Plan;

/** The shared plan body, copied field by field so nothing else of the source leaks in. */
function planBody(plan: PlanBody): PlanBody {
  const { actors, administrators, goals, procedures, notes, steps, alternatives, verification, links } = plan;
  return { actors, administrators, goals, procedures, notes, steps, alternatives, verification, links };
}

/**
 * Returns a copy of the result in which every planned finding carries its concrete
 * plan in `remediation.plan`. Findings without a plan (waived, or an unknown
 * procedure) carry none, so calling it again after waivers are applied corrects
 * the plans. Pure.
 */
export function attachPlans(result: ScanResult, catalogue: Catalogue, options: PlanOptions = {}): ScanResult {
  return embedPlans(result, planFindings(result, catalogue, options));
}

/** Embeds an already computed plan set into the result's findings. */
export function embedPlans(result: ScanResult, plans: PlanSet): ScanResult {
  const byFingerprint = new Map<string, FindingPlan>();
  for (const account of plans.accounts) {
    for (const plan of account.plans) {
      const covers = plan.findings.map((f) => f.fingerprint);
      for (const ref of plan.findings) byFingerprint.set(ref.fingerprint, toFindingPlan(plans.header, plan, ref.resolution, covers));
    }
  }
  return {
    ...result,
    findings: result.findings.map((finding) => {
      const plan = byFingerprint.get(finding.fingerprint);
      if (plan) return { ...finding, remediation: { ...finding.remediation, plan } };
      // Re-planning after waivers: a finding that no longer gets a plan loses its old one.
      if (finding.remediation.plan === undefined) return finding;
      const { plan: _stale, ...remediation } = finding.remediation;
      return { ...finding, remediation };
    }),
  };
}

function toFindingPlan(header: string, plan: PrincipalPlan, resolution: string, covers: string[]): FindingPlan {
  return { header, resolution, ...planBody(plan), covers };
}

/**
 * Rebuilds the plan set from the plans embedded in a result's findings, without a
 * catalogue: what the Markdown report shows is exactly what the JSON result holds.
 * Findings without an embedded plan are skipped.
 */
export function plansFromResult(result: ScanResult): PlanSet {
  const byPrincipal = new Map<string, { finding: ScanResult['findings'][number]; plan: FindingPlan }[]>();
  for (const finding of result.findings) {
    const plan: FindingPlan | undefined = finding.remediation.plan;
    if (!plan || !Array.isArray(plan.steps)) continue;
    const key = `${finding.accountId}\u0000${finding.principal.arn}`;
    const group = byPrincipal.get(key);
    if (group) group.push({ finding, plan });
    else byPrincipal.set(key, [{ finding, plan }]);
  }
  const accounts = new Map<string, AccountPlans>();
  for (const entries of byPrincipal.values()) {
    const { finding, plan } = entries[0]!;
    const account = accounts.get(finding.accountId) ?? { accountId: finding.accountId, accountName: finding.accountName ?? null, plans: [] };
    account.plans.push({
      accountId: finding.accountId,
      accountName: finding.accountName ?? null,
      principal: finding.principal,
      ...planBody(plan),
      findings: entries.map((e) => ({ ruleId: e.finding.ruleId, severity: e.finding.severity, credential: e.finding.credential, fingerprint: e.finding.fingerprint, message: e.finding.message, resolution: e.plan.resolution })),
    });
    accounts.set(finding.accountId, account);
  }
  const sorted = [...accounts.values()].sort((a, b) => a.accountId.localeCompare(b.accountId));
  for (const account of sorted) {
    account.plans.sort((a, b) => (a.principal.type !== b.principal.type ? (a.principal.type === 'root' ? -1 : 1) : a.principal.name.localeCompare(b.principal.name)));
  }
  return { header: PLAN_HEADER, asOf: result.asOf, accounts: sorted, unknownProcedures: [] };
}

/**
 * The plans to show for a result in a report: the embedded ones when the result
 * carries them (as every scan does), else plans computed with `catalogue` from the
 * findings' evidence (e.g. for a result written by an older version).
 */
export function plansForReport(result: ScanResult, catalogue: Catalogue): PlanSet {
  const embedded = result.findings.some((f) => f.remediation.plan !== undefined);
  return embedded ? plansFromResult(result) : planFindings(result, catalogue);
}
