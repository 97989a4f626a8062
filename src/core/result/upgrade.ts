import type { Finding, Plan, RuleSummary, ScanResult } from '../../model/index.js';
import { planId } from '../remediation/attach.js';
import { withRuleStatuses } from '../engine/coverage.js';

/** Version 1 did not record where rules were decided: no rule of it may look passed. */
export const V1_COVERAGE_UNKNOWN =
  'unknown: written by an older credwarden (result schema 1) that did not record where rules were evaluated; scan again to know';

/** A version 1 finding's embedded plan (schemas/legacy/result-v1.schema.json): one copy per finding. */
interface V1FindingPlan extends Omit<Plan, 'id' | 'accountId' | 'principal' | 'findings'> {
  header: string;
  resolution: string;
  covers: string[];
}

/** The parts of a version 1 result that differ from version 2. */
export interface ScanResultV1 extends Omit<ScanResult, 'schemaVersion' | 'rules' | 'plans' | 'findings' | 'resolved'> {
  schemaVersion: 1;
  rules?: Omit<RuleSummary, 'status' | 'evaluatedAccounts' | 'notEvaluated'>[];
  findings: FindingV1[];
  resolved?: FindingV1[];
}

type FindingV1 = Omit<Finding, 'remediation'> & { remediation: { procedure: string; plan?: V1FindingPlan; [k: string]: unknown } };

/**
 * Upgrades a version 1 result (already validated against its schema) to version 2: the plan
 * copied into each finding becomes one entry per principal in `plans`, and each finding names
 * it by id. Findings without an embedded plan keep none. Rules get a status: failed with an
 * open finding, else not-evaluated in every account, since version 1 did not record where
 * they were decided. Pure.
 */
export function upgradeResultV1(v1: ScanResultV1): ScanResult {
  const plans = new Map<string, Plan>();
  const findings = v1.findings.map((finding) => {
    const { plan, ...remediation } = finding.remediation;
    if (!plan) return { ...finding, remediation: { procedure: remediation.procedure } };
    const id = planId(finding.accountId, finding.principal.arn);
    const entry = plans.get(id) ?? newPlan(id, finding, plan);
    entry.findings.push({ fingerprint: finding.fingerprint, resolution: plan.resolution });
    plans.set(id, entry);
    return { ...finding, remediation: { procedure: remediation.procedure, planId: id } };
  });
  const { schemaVersion: _v1, rules: _rules, resolved, findings: _findings, ...rest } = v1;
  return {
    ...rest,
    schemaVersion: 2,
    rules: withRuleStatuses(unknownCoverage(v1), v1.summary, v1.findings),
    findings,
    plans: [...plans.values()],
    // A resolved finding's plan was the baseline's: it has no plan in this result.
    ...(resolved ? { resolved: resolved.map((f) => ({ ...f, remediation: { procedure: f.remediation.procedure } })) } : {}),
  };
}

function unknownCoverage(v1: ScanResultV1): RuleSummary[] {
  const rules = [...(v1.rules ?? [])];
  // Rules seen only in findings (a version 1 result may list no rules) get an entry too.
  for (const f of v1.findings) {
    if (!rules.some((r) => r.id === f.ruleId))
      rules.push({ id: f.ruleId, title: f.title, severity: f.severity, parameters: {}, frameworks: f.frameworks });
  }
  const notEvaluated = v1.accounts.filter((a) => a.status !== 'skipped').map((a) => ({ accountId: a.id, reason: V1_COVERAGE_UNKNOWN }));
  return rules.map((rule) => ({ ...rule, status: 'not-evaluated', evaluatedAccounts: 0, notEvaluated }));
}

function newPlan(id: string, finding: FindingV1, plan: V1FindingPlan): Plan {
  const { actors, administrators, goals, procedures, notes, steps, alternatives, verification, links } = plan;
  return {
    id,
    accountId: finding.accountId,
    principal: finding.principal,
    actors,
    administrators,
    goals,
    procedures,
    notes,
    steps,
    alternatives,
    verification,
    links,
    findings: [],
  };
}
