/**
 * Remediation: the catalogue of procedures, the planner that turns findings into
 * concrete per-principal plans, and the renderers. Everything here is pure.
 */
export type * from './types.js';
export { PLAN_HEADER } from './types.js';
export { BUILT_IN_PROCEDURES, LINKS } from './procedures/index.js';
export { buildCatalogue, builtInCatalogue, mergeProcedure, type ProcedureOverride } from './catalogue.js';
export { parseProcedureFile } from './overrides.js';
export { planFindings, planPrincipal, RECENT_USE_DAYS, type PlanOptions } from './planner.js';
export { attachPlans, embedPlans, planId, plansForReport, plansFromResult, withPlanId, type ResultPlan } from './attach.js';
export { renderPlansMarkdown, renderPlansJson, type MarkdownPlanOptions } from './render.js';
