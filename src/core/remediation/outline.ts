/**
 * A scan's plans, one account at a time. What every report needs of a plan (its id, its
 * procedures and targets, how it resolves each finding, what the planner knew) is computed as
 * the account goes through the pipeline; a plan's text (steps, commands, notes, links) is made
 * only when a report shows one principal's whole plan, because a scan of a large organisation
 * states each procedure's text once and never needs most plans written out.
 */
import { severityRank, type Account, type AccountResult, type Finding, type Plan, type Principal } from '../../model/index.js';
import { toResultPlan, planId } from './attach.js';
import { principalFacts, type PrincipalFacts } from './facts.js';
import { exactCopy, outlinePrincipal, planPrincipal, type ScanAccess } from './planner.js';
import type { Catalogue } from './types.js';
import { localeOrder } from '../util/order.js';
import { timesOfPrincipals, type PrincipalTimes } from '../report/times.js';

/**
 * A principal's plan without its text: the parts of the result's `Plan` that campaigns, tallies
 * and the compact result read, and (from a scan) the planner's facts, from which the text is made
 * again. A whole `Plan` is an outline too.
 */
export interface PlanOutline extends Pick<Plan, 'id' | 'accountId' | 'principal' | 'procedures' | 'targets'> {
  /**
   * The plan's findings, by fingerprint. A scan's outline lists the findings themselves (the
   * plan stage names their plan); how the plan resolves each is text, in the whole plan's findings.
   */
  findings: readonly Pick<Plan['findings'][number], 'fingerprint'>[];
  /** What the planner knew of the principal; unknown for a plan read from a result. */
  facts?: PrincipalFacts;
}

/** One account's plans, and the plan each of its findings names. */
export interface PlannedAccount {
  /**
   * The plan id each finding names (`remediation.planId`), by the index of the findings given;
   * undefined for a finding that names none. Beside the findings rather than in copies of them:
   * {@link namePlans} writes them into findings their owner may change.
   */
  planIds: (string | undefined)[];
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
  /** Its plan's id, once outlined. */
  planId?: string;
}

/** A principal's planned findings as they are gathered, with what the planner needs to know of them. */
interface PrincipalGroup {
  findings: Finding[];
  top: number;
  /** A finding's procedure finishes a rotation: its rule fires only when both keys are active. */
  bothKeysActive: boolean;
  /** Its row of the account's report, and the row's times. */
  principal?: Principal;
  times?: PrincipalTimes;
  work?: PrincipalWork;
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
  const groups = new Map<string, PrincipalGroup>();
  // The group (a principal's planned findings) of each finding, by index: undefined when unplanned.
  const groupOf = new Array<PrincipalGroup | undefined>(findings.length);
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i]!;
    if (finding.status !== 'open') continue;
    const procedure = catalogue.get(finding.remediation.procedure);
    if (procedure === undefined) continue;
    let group = groups.get(finding.principal.arn);
    if (!group) groups.set(finding.principal.arn, (group = { findings: [], top: Number.POSITIVE_INFINITY, bothKeysActive: false }));
    group.findings.push(finding);
    group.top = Math.min(group.top, severityRank(finding.severity));
    if (!group.bothKeysActive && procedure.handles.includes('finish-key-rotation')) group.bothKeysActive = true;
    groupOf[i] = group;
  }
  if (groups.size === 0) return { planIds: new Array<undefined>(findings.length).fill(undefined), outlines: [], plans: () => [] };
  const asOf = options.asOf ?? result.asOf ?? result.reportGeneratedTime ?? null;
  // The snapshot entry of each planned principal (the last row of its ARN, as a map keeps it).
  const principals = account.principals;
  const times = timesOfPrincipals(principals);
  for (let i = 0; i < principals.length; i++) {
    const group = groups.get(principals[i]!.arn);
    if (group) {
      group.principal = principals[i];
      group.times = times[i];
    }
  }
  const work: PrincipalWork[] = [];
  for (const group of groups.values()) {
    // Kept (by the outline) until the account's reports are written: an array of its own size.
    const findings = exactCopy(group.findings);
    const snapshot = group.principal ? { account, principal: group.principal, times: group.times } : undefined;
    const facts = principalFacts(findings, asOf, snapshot, {
      bothKeysActive: group.bothKeysActive,
    });
    work.push((group.work = { findings, facts, top: group.top }));
  }
  work.sort(comparePrincipals);
  const outlines = work.map((w) => outline(w, catalogue));
  const unplannedId = unplannedPlanIds(outlines);
  const planIds = new Array<string | undefined>(findings.length);
  for (let i = 0; i < findings.length; i++) {
    const group = groupOf[i];
    planIds[i] = group === undefined ? unplannedId(findings[i]!) : group.work!.planId;
  }
  let plans: Plan[] | undefined;
  return {
    planIds,
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
  const { procedures, targets } = outlinePrincipal(work.findings, work.facts, catalogue);
  const findings = work.findings;
  work.planId = planId(accountId, principal.arn);
  const id = work.planId;
  const facts = work.facts;
  const named = { type: principal.type, name: principal.name, arn: principal.arn };
  // Literals in the result's member order: a conditional spread would copy the object again.
  return targets
    ? { id, accountId, principal: named, procedures, targets, findings, facts }
    : { id, accountId, principal: named, procedures, findings, facts };
}

/** Highest severity first, then root before users, then by name (as `comparePlans`). */
function comparePrincipals(a: PrincipalWork, b: PrincipalWork): number {
  const pa = a.facts.principal;
  const pb = b.facts.principal;
  return (
    a.top - b.top || (pa.type === pb.type ? 0 : pa.type === 'root' ? -1 : 1) || (pa.name === pb.name ? 0 : localeOrder(pa.name, pb.name))
  );
}
