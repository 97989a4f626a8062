/**
 * Remediation: the catalogue of procedures (built from procedures/*.yaml and user files by
 * the caller) and the planner that turns findings into concrete per-principal plans. The plans'
 * renderers are formatters (core/format/plans/render.ts). Everything here is pure.
 */
export type * from './types.js';
export { IDENTITY_CENTER_NOTE, IDENTITY_CENTER_RESET_URL, PLAN_HEADER } from './types.js';
export { buildCatalogue, procedureFor, unknownProcedures, type CatalogueSources, type ProcedureSource } from './catalogue.js';
export { TEMPLATE_NAMES } from './template.js';
export {
  comparePlans,
  factsKey,
  outlinePrincipal,
  planFindings,
  planPrincipal,
  RECENT_USE_DAYS,
  type PlanOptions,
  type ScanAccess,
} from './planner.js';
export { planAccount, planOutlines, type PlanOutline, type PlannedAccount } from './outline.js';
export { emptySlot, principalFacts, type PrincipalFacts } from './facts.js';
export {
  attachPlans,
  embedPlans,
  namePlans,
  planId,
  plansForReport,
  plansFromResult,
  toResultPlan,
  usedProcedures,
  withPlanId,
  type ResultPlan,
  type ResultProcedure,
} from './attach.js';
