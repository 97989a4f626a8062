import type { ScanResult } from '../../model/index.js';
import { planFindings, type PlanOptions } from './planner.js';
import type { Catalogue, PlanSet, PrincipalPlan } from './types.js';

/** The plan embedded in one finding's `remediation.plan`: its principal's merged plan, plus how it resolves this finding. */
export interface FindingPlan {
  header: string;
  /** How the merged plan resolves this particular finding. */
  resolution: string;
  actors: PrincipalPlan['actors'];
  administrators: string[];
  goals: string[];
  notes: string[];
  steps: PrincipalPlan['steps'];
  alternatives: PrincipalPlan['alternatives'];
  verification: string[];
  links: PrincipalPlan['links'];
  /** Fingerprints of every finding the same plan resolves (this one included). */
  covers: string[];
}

/**
 * Returns a copy of the result in which every planned finding carries its concrete
 * plan in `remediation.plan`. Findings without a plan (waived, or an unknown
 * procedure) are left as they are. Pure.
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
      return plan ? { ...finding, remediation: { ...finding.remediation, plan: plan as unknown as Record<string, unknown> } } : finding;
    }),
  };
}

function toFindingPlan(header: string, plan: PrincipalPlan, resolution: string, covers: string[]): FindingPlan {
  return {
    header,
    resolution,
    actors: plan.actors,
    administrators: plan.administrators,
    goals: plan.goals,
    notes: plan.notes,
    steps: plan.steps,
    alternatives: plan.alternatives,
    verification: plan.verification,
    links: plan.links,
    covers,
  };
}
