import type { Finding, Plan, ScanResult } from '../../model/index.js';
import { planId } from '../remediation/attach.js';

/** A version 1 finding's embedded plan (schemas/legacy/result-v1.schema.json): one copy per finding. */
interface V1FindingPlan extends Omit<Plan, 'id' | 'accountId' | 'principal' | 'findings'> {
  header: string;
  resolution: string;
  covers: string[];
}

/** The parts of a version 1 result that differ from version 2. */
export interface ScanResultV1 extends Omit<ScanResult, 'schemaVersion' | 'rules' | 'plans' | 'findings' | 'resolved'> {
  schemaVersion: 1;
  rules?: ScanResult['rules'];
  findings: FindingV1[];
  resolved?: FindingV1[];
}

type FindingV1 = Omit<Finding, 'remediation'> & { remediation: { procedure: string; plan?: V1FindingPlan; [k: string]: unknown } };

/**
 * Upgrades a version 1 result (already validated against its schema) to version 2: the plan
 * copied into each finding becomes one entry per principal in `plans`, and each finding names
 * it by id. Findings without an embedded plan keep none. Pure.
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
  const { schemaVersion: _v1, rules, resolved, findings: _findings, ...rest } = v1;
  return {
    ...rest,
    schemaVersion: 2,
    rules: rules ?? [],
    findings,
    plans: [...plans.values()],
    // A resolved finding's plan was the baseline's: it has no plan in this result.
    ...(resolved ? { resolved: resolved.map((f) => ({ ...f, remediation: { procedure: f.remediation.procedure } })) } : {}),
  };
}

function newPlan(id: string, finding: FindingV1, plan: V1FindingPlan): Plan {
  const { actors, administrators, goals, procedures, notes, steps, alternatives, verification, links } = plan;
  return { id, accountId: finding.accountId, principal: finding.principal, actors, administrators, goals, procedures, notes, steps, alternatives, verification, links, findings: [] };
}
