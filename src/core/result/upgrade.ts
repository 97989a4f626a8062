import type { Finding, Plan, RuleSummary, ScanResult } from '../../model/index.js';
import { planBody, planId } from '../remediation/attach.js';
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

/** A version 1 finding: its plan copied in. */
export type FindingV1 = Omit<Finding, 'remediation'> & { remediation: { procedure: string; plan?: V1FindingPlan; [k: string]: unknown } };

/**
 * Upgrades a version 1 result (already validated against its schema) to version 2: the plan
 * copied into each finding becomes one entry per principal in `plans`, and each finding names
 * it by id. Findings without an embedded plan keep none. Rules get a status: failed with an
 * open finding, else not-evaluated in every account, since version 1 did not record where
 * they were decided. Pure. (The result reader upgrades a streamed result with {@link V1Upgrade}.)
 */
export function upgradeResultV1(v1: ScanResultV1): ScanResult {
  const upgrade = new V1Upgrade();
  const findings = v1.findings.map((f) => upgrade.finding(f));
  const resolved = v1.resolved?.map((f) => upgradeResolvedV1(f));
  const { findings: _findings, resolved: _resolved, ...header } = v1;
  return { ...upgrade.header(header), findings, plans: upgrade.plans(), ...(resolved ? { resolved } : {}) };
}

/** A version 1 finding as listed among the resolved: its plan was the baseline's, not this result's. */
export function upgradeResolvedV1(finding: FindingV1): Finding {
  return { ...finding, remediation: { procedure: finding.remediation.procedure } };
}

/**
 * A version 1 result upgraded a finding at a time, as the reader streams it. Plans are gathered
 * by principal (version 1 repeated them in every finding), and the rules seen in findings are
 * remembered (a version 1 result may list no rules): both are small next to the findings.
 */
export class V1Upgrade {
  private readonly plansById = new Map<string, Plan>();
  private readonly waivedByRule = new Map<string, number>();
  private readonly seenRules = new Map<string, Pick<RuleSummary, 'title' | 'severity' | 'frameworks'>>();

  /** One finding of version 1 as version 2. */
  finding(finding: FindingV1): Finding {
    if (finding.status === 'waived') this.waivedByRule.set(finding.ruleId, (this.waivedByRule.get(finding.ruleId) ?? 0) + 1);
    if (!this.seenRules.has(finding.ruleId))
      this.seenRules.set(finding.ruleId, { title: finding.title, severity: finding.severity, frameworks: finding.frameworks });
    const { plan, ...remediation } = finding.remediation;
    if (!plan) return { ...finding, remediation: { procedure: remediation.procedure } };
    const id = planId(finding.accountId, finding.principal.arn);
    const entry = this.plansById.get(id) ?? newPlan(id, finding, plan);
    entry.findings.push({ fingerprint: finding.fingerprint, resolution: plan.resolution });
    this.plansById.set(id, entry);
    return { ...finding, remediation: { procedure: remediation.procedure, planId: id } };
  }

  /** The plans gathered from the findings, once each. */
  plans(): Plan[] {
    return [...this.plansById.values()];
  }

  /** The header (everything but findings and resolved) as version 2, after every finding was read. */
  header(v1: Omit<ScanResultV1, 'findings' | 'resolved'>): Omit<ScanResult, 'findings' | 'plans' | 'resolved'> {
    const { schemaVersion: _v1, rules: _rules, ...rest } = v1;
    return { ...rest, schemaVersion: 2, rules: withRuleStatuses(this.unknownCoverage(v1), v1.summary, this.waived()) };
  }

  /** The waived findings by rule, as withRuleStatuses counts them. */
  private *waived(): Generator<{ ruleId: string; status: 'waived' }> {
    for (const [ruleId, count] of this.waivedByRule) for (let i = 0; i < count; i++) yield { ruleId, status: 'waived' };
  }

  private unknownCoverage(v1: Pick<ScanResultV1, 'rules' | 'accounts'>): RuleSummary[] {
    const rules: Omit<RuleSummary, 'status' | 'evaluatedAccounts' | 'notEvaluated'>[] = [...(v1.rules ?? [])];
    // Rules seen only in findings (a version 1 result may list no rules) get an entry too.
    const listed = new Set(rules.map((r) => r.id));
    for (const [id, rule] of this.seenRules) if (!listed.has(id)) rules.push({ id, ...rule, parameters: {} });
    const notEvaluated = v1.accounts.filter((a) => a.status !== 'skipped').map((a) => ({ accountId: a.id, reason: V1_COVERAGE_UNKNOWN }));
    return rules.map((rule) => ({ ...rule, status: 'not-evaluated', evaluatedAccounts: 0, notEvaluated }));
  }
}

function newPlan(id: string, finding: FindingV1, plan: V1FindingPlan): Plan {
  return { id, accountId: finding.accountId, principal: finding.principal, ...planBody(plan), findings: [] };
}
