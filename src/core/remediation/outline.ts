/**
 * A scan's plans, one account at a time. What every report needs of a plan (its id, its
 * procedures and targets, how it resolves each finding, what the planner knew) is computed as
 * the account goes through the pipeline; a plan's text (steps, commands, notes, links) is made
 * only when a report shows one principal's whole plan, because a scan of a large organisation
 * states each procedure's text once and never needs most plans written out.
 */
import { severityRank, type Account, type AccountResult, type Finding, type Plan, type Principal } from '../../model/index.js';
import { toResultPlan, planId, withPlanId } from './attach.js';
import { principalFacts, type PrincipalFacts } from './facts.js';
import { outlinePrincipal, planPrincipal, type ScanAccess } from './planner.js';
import type { Catalogue } from './types.js';
import { localeOrder } from '../util/order.js';

/**
 * A principal's plan without its text: the parts of the result's `Plan` that campaigns, tallies
 * and the compact result read, and (from a scan) the planner's facts, from which the text is made
 * again. A whole `Plan` is an outline too.
 */
export interface PlanOutline extends Pick<Plan, 'id' | 'accountId' | 'principal' | 'procedures' | 'targets' | 'findings'> {
  /** What the planner knew of the principal; unknown for a plan read from a result. */
  facts?: PrincipalFacts;
}

/** One account's planned findings and plans. */
export interface PlannedAccount {
  /** The findings, each planned one naming its plan (`remediation.planId`). */
  findings: Finding[];
  /** One outline per principal with open findings, in the result's plan order. */
  outlines: PlanOutline[];
  /** The whole plans, in the same order: made on the first call, then kept. */
  plans: () => Plan[];
}

/** One principal's open findings and the planner's facts about it. */
interface PrincipalWork {
  findings: Finding[];
  facts: PrincipalFacts;
  /** Rank of its highest severity (0 for critical), for the plan order. */
  top: number;
}

/**
 * Plans one scanned account: one plan per principal with open findings whose procedure is in
 * the catalogue, ordered like {@link planFindings} orders an account's plans (highest severity
 * first, root before users, then by name). Pure; the same account gives the same plans as
 * `attachPlans` on a result holding only that account.
 */
export function planAccount(
  account: Account,
  result: Pick<AccountResult, 'asOf' | 'reportGeneratedTime'>,
  findings: readonly Finding[],
  catalogue: Catalogue,
  options: { asOf: string | null; access: ScanAccess },
): PlannedAccount {
  const groups = new Map<string, Finding[]>();
  // The group (a principal's planned findings) of each finding, by index: undefined when unplanned.
  const groupOf = new Array<Finding[] | undefined>(findings.length);
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i]!;
    if (finding.status !== 'open' || !catalogue.has(finding.remediation.procedure)) continue;
    let group = groups.get(finding.principal.arn);
    if (group) group.push(finding);
    else groups.set(finding.principal.arn, (group = [finding]));
    groupOf[i] = group;
  }
  if (groups.size === 0) return { findings: findings.map((f) => withPlanId(f, undefined)), outlines: [], plans: () => [] };
  const asOf = options.asOf ?? result.asOf ?? result.reportGeneratedTime ?? null;
  const principals = new Map<string, Principal>();
  for (const principal of account.principals) if (groups.has(principal.arn)) principals.set(principal.arn, principal);
  const work: PrincipalWork[] = [];
  for (const [arn, group] of groups) {
    const principal = principals.get(arn);
    const bothKeysActive = group.some((f) => catalogue.get(f.remediation.procedure)?.handles.includes('finish-key-rotation'));
    const facts = principalFacts(group, asOf, principal ? { account, principal } : undefined, { bothKeysActive });
    work.push({ findings: group, facts, top: Math.min(...group.map((f) => severityRank(f.severity))) });
  }
  work.sort(comparePrincipals);
  const outlines = work.map((w) => outline(w, catalogue));
  const idOfGroup = new Map<Finding[], string>();
  work.forEach((w, i) => idOfGroup.set(w.findings, outlines[i]!.id));
  const unplannedId = unplannedPlanIds(outlines);
  let plans: Plan[] | undefined;
  return {
    findings: findings.map((f, i) => {
      const group = groupOf[i];
      return withPlanId(f, group ? idOfGroup.get(group) : unplannedId(f));
    }),
    outlines,
    plans: () =>
      (plans ??= work.map((w, i) => toResultPlan(outlines[i]!.id, planPrincipal(w.findings, w.facts, catalogue, options.access)))),
  };
}

/**
 * The plan a finding left out of the plans (waived, or its procedure unknown) names: that of a
 * planned finding with the same fingerprint (a duplicate report row), else none. A planned
 * finding names its principal's plan, the only one holding its fingerprint (the fingerprint
 * includes the ARN the findings are grouped by). The index is made only when first needed.
 */
function unplannedPlanIds(outlines: readonly PlanOutline[]): (finding: Finding) => string | undefined {
  let idByFingerprint: Map<string, string> | undefined;
  return (finding) => {
    if (!idByFingerprint) {
      idByFingerprint = new Map();
      for (const o of outlines) for (const ref of o.findings) idByFingerprint.set(ref.fingerprint, o.id);
    }
    return idByFingerprint.get(finding.fingerprint);
  };
}

/** The outlines of a slice's plans: the scan's when it made them, else the whole plans read from a result. */
export function planOutlines(slice: { outlines?: readonly PlanOutline[]; plans: readonly Plan[] }): readonly PlanOutline[] {
  return slice.outlines ?? slice.plans;
}

function outline(work: PrincipalWork, catalogue: Catalogue): PlanOutline {
  const { principal, accountId } = work.facts;
  const { procedures, targets, findings } = outlinePrincipal(work.findings, work.facts, catalogue);
  return {
    id: planId(accountId, principal.arn),
    accountId,
    principal: { type: principal.type, name: principal.name, arn: principal.arn },
    procedures,
    ...(targets ? { targets } : {}),
    findings,
    facts: work.facts,
  };
}

/** Highest severity first, then root before users, then by name (as `comparePlans`). */
function comparePrincipals(a: PrincipalWork, b: PrincipalWork): number {
  const pa = a.facts.principal;
  const pb = b.facts.principal;
  return a.top - b.top || (pa.type === pb.type ? 0 : pa.type === 'root' ? -1 : 1) || localeOrder(pa.name, pb.name);
}
