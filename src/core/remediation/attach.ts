import type { Finding, Plan, ScanResult } from '../../model/index.js';
import { sha256Id } from '../util/hash.js';
import { comparePlans, planFindings, type PlanOptions } from './planner.js';
import type { AccountPlans, Catalogue, PlanSet, PrincipalPlan, Procedure } from './types.js';
import { IDENTITY_CENTER_NOTE, PLAN_HEADER } from './types.js';

/**
 * A principal's merged plan as the result holds it (schema v2, top-level `plans`): once per
 * principal, named by its findings' `remediation.planId`. Defined by the result schema (`Plan`).
 */
export type ResultPlan = Plan;

/** The parts of a principal's merged plan that the result keeps. */
export type PlanBody = Pick<
  PrincipalPlan,
  | 'access'
  | 'actors'
  | 'administrators'
  | 'goals'
  | 'procedures'
  | 'notes'
  | 'steps'
  | 'alternatives'
  | 'verification'
  | 'links'
  | 'targets'
>;

/**
 * The body every form of a plan shares (the planner's, the result's, a version 1 finding's
 * embedded copy), copied field by field so nothing else of the source leaks in.
 */
export function planBody(plan: PlanBody): PlanBody {
  const { access, actors, administrators, goals, procedures, notes, steps, alternatives, verification, links, targets } = plan;
  return {
    ...(access ? { access } : {}),
    actors,
    administrators,
    goals,
    procedures,
    notes,
    steps,
    alternatives,
    verification,
    links,
    ...(targets ? { targets } : {}),
  };
}

/**
 * The id of a principal's plan: derived from the account and the ARN only, so a principal
 * keeps its plan id from one scan to the next (64 bits: no collision at organisation scale).
 */
export function planId(accountId: string, arn: string): string {
  return sha256Id('plan-', `${accountId}\u0000${arn}`, 16);
}

/**
 * Returns a copy of the result with every principal's concrete plan in `plans`, and
 * each planned finding naming it in `remediation.planId`. Findings without a plan
 * (waived, or an unknown procedure) name none, so calling it again after waivers are
 * applied corrects the plans. Pure.
 */
export function attachPlans(result: ScanResult, catalogue: Catalogue, options: PlanOptions = {}): ScanResult {
  return embedPlans(result, planFindings(result, catalogue, options), catalogue);
}

/**
 * The procedures `ids` name, once each and ordered by id, as the result holds them: each
 * procedure's constant text, stated once however many plans use it. Where a procedure was read
 * from stays out (a path on the scanning machine).
 */
export function usedProcedures(catalogue: Catalogue, ids: Iterable<string>): ResultProcedure[] {
  return [...new Set(ids)].sort().flatMap((id) => {
    const procedure = catalogue.get(id);
    if (!procedure) return [];
    const { source: _source, ...text } = procedure;
    return [text];
  });
}

/** A procedure as the result holds it (`procedures`): the catalogue entry without its source path. */
export type ResultProcedure = Omit<Procedure, 'source'>;

/**
 * Puts an already computed plan set into the result: the `plans` list, the findings' plan ids
 * and, given the catalogue, the procedures the plans use.
 */
export function embedPlans(result: ScanResult, set: PlanSet, catalogue?: Catalogue): ScanResult {
  const plans: ResultPlan[] = [];
  const idByFingerprint = new Map<string, string>();
  // In account-id order, so that merging shards (disjoint accounts) gives the single-run list;
  // readers order plans by severity themselves.
  for (const account of [...set.accounts].sort((a, b) => a.accountId.localeCompare(b.accountId))) {
    for (const plan of account.plans) {
      const id = planId(plan.accountId, plan.principal.arn);
      plans.push(toResultPlan(id, plan));
      for (const ref of plan.findings) idByFingerprint.set(ref.fingerprint, id);
    }
  }
  const procedures = catalogue
    ? usedProcedures(
        catalogue,
        plans.flatMap((p) => p.procedures),
      )
    : undefined;
  return {
    ...result,
    findings: result.findings.map((finding) => withPlanId(finding, idByFingerprint.get(finding.fingerprint))),
    plans,
    ...(procedures && procedures.length > 0 ? { procedures } : {}),
  };
}

/** The finding naming `id` as its plan, or naming none (re-planning after waivers drops a stale id). */
export function withPlanId(finding: Finding, id: string | undefined): Finding {
  if (finding.remediation.planId === id) return finding;
  // A remediation has only these two members (schema): a literal, not a rest copy (slow, and per finding).
  const { procedure } = finding.remediation;
  return { ...finding, remediation: id === undefined ? { procedure } : { procedure, planId: id } };
}

/**
 * Names each finding's plan in place: `planIds[i]` (or none) becomes `findings[i].remediation.planId`.
 * Only for findings their holder owns, such as the scan pipeline's (made by its evaluate stage,
 * copied by every stage that changes one): a scan plans every account's findings, and a copy
 * of each finding to add one member was a tenth of the plan stage's time and garbage. A
 * finding made with the member present (see evaluate.ts) keeps its shape.
 */
export function namePlans(findings: readonly Finding[], planIds: readonly (string | undefined)[]): void {
  for (let i = 0; i < findings.length; i++) {
    const remediation = findings[i]!.remediation;
    if (remediation.planId !== planIds[i]) remediation.planId = planIds[i];
  }
}

/** A principal's plan as the result (schema v2) holds it. */
export function toResultPlan(id: string, plan: PrincipalPlan): ResultPlan {
  return {
    id,
    accountId: plan.accountId,
    principal: plan.principal,
    ...planBody(plan),
    findings: plan.findings.map((f) => ({ fingerprint: f.fingerprint, resolution: f.resolution })),
  };
}

/**
 * Rebuilds the plan set from the result's `plans`, without a catalogue: what the Markdown
 * report shows is exactly what the JSON result holds. A plan's findings are looked up by
 * fingerprint; those not in the result (e.g. a hand-edited file) are left out.
 */
export function plansFromResult(result: ScanResult): PlanSet {
  const byFingerprint = new Map(result.findings.map((f) => [f.fingerprint, f]));
  const names = new Map(result.accounts.map((a) => [a.id, a.name ?? null]));
  const accounts = new Map<string, AccountPlans>();
  for (const plan of result.plans) {
    const findings = plan.findings.flatMap((ref) => {
      const f = byFingerprint.get(ref.fingerprint);
      return f
        ? [
            {
              ruleId: f.ruleId,
              severity: f.severity,
              credential: f.credential,
              fingerprint: f.fingerprint,
              message: f.message,
              resolution: ref.resolution,
            },
          ]
        : [];
    });
    const accountName = names.get(plan.accountId) ?? byFingerprint.get(plan.findings[0]?.fingerprint ?? '')?.accountName ?? null;
    const account = accounts.get(plan.accountId) ?? { accountId: plan.accountId, accountName, plans: [] };
    account.plans.push({ accountId: plan.accountId, accountName, principal: plan.principal, ...planBody(plan), findings });
    accounts.set(plan.accountId, account);
  }
  for (const account of accounts.values()) account.plans.sort(comparePlans);
  const sorted = [...accounts.values()].sort((a, b) => comparePlans(a.plans[0]!, b.plans[0]!) || a.accountId.localeCompare(b.accountId));
  return { header: PLAN_HEADER, notes: [IDENTITY_CENTER_NOTE], asOf: result.asOf, accounts: sorted, unknownProcedures: [] };
}

/**
 * The plans to show for a result in a report: the ones the result carries (as every scan
 * does), else, given a catalogue, plans computed from the findings' evidence.
 */
export function plansForReport(result: ScanResult, catalogue?: Catalogue): PlanSet {
  return result.plans.length > 0 || catalogue === undefined ? plansFromResult(result) : planFindings(result, catalogue);
}
