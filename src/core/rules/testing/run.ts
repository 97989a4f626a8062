import type { Credential, Finding, PackFile, RuleCasesFile, SourceLocation } from '../../../model/index.js';
import { evaluateAccount } from '../../engine/evaluate.js';
import { SUBJECT_SCOPES, type RuleDefinition } from '../definition.js';
import { resolveField } from '../fields.js';
import { buildRuleset, type CompiledRule, type Ruleset } from '../ruleset.js';
import type { Sourced } from '../settings.js';
import type { PreparedCase } from './prepare.js';

/** A finding that was expected and not reported, or reported and not expected. */
export interface FindingDetail {
  principal: string;
  credential: Credential;
  /** Where the case expects it (missing findings only). */
  location?: SourceLocation;
  /** The message of an unexpected finding. */
  message?: string;
  /** The rule's evidence fields and the fields its condition reads, for this principal and credential. */
  evidence?: Record<string, unknown>;
  /** Why a missing finding could not be reported at all, when that is the reason. */
  note?: string;
}

/** The outcome of one case. */
export interface CaseResult {
  case: PreparedCase;
  passed: boolean;
  missing: FindingDetail[];
  unexpected: FindingDetail[];
}

/**
 * Runs one prepared case: compiles the rule alone with the case's parameters, exactly as a
 * scan compiles it, evaluates the case's account with the scan engine, and compares the
 * findings with the expected ones (in any order).
 */
export function runCase(definition: RuleDefinition, table: Sourced<RuleCasesFile>, prepared: PreparedCase): CaseResult {
  const ruleset = rulesetOf(definition, table, prepared.params);
  const findings = evaluateAccount(prepared.account, ruleset);
  const unmatched = [...prepared.expected];
  const surplus: Finding[] = [];
  for (const finding of findings) {
    const i = unmatched.findIndex((e) => e.principal === finding.principal.name && e.credential === finding.credential);
    if (i >= 0) unmatched.splice(i, 1);
    else surplus.push(finding);
  }
  if (unmatched.length === 0 && surplus.length === 0) return { case: prepared, passed: true, missing: [], unexpected: [] };
  const explained = explain(definition, ruleset, prepared);
  // A missing finding has no message to show: what the rule saw (the evidence) says why.
  const missing = unmatched.map(({ principal, credential, location }) => {
    const { message: _none, ...detail } = explained(principal, credential);
    return { ...detail, location };
  });
  const unexpected = surplus.map((f) => ({ ...explained(f.principal.name, f.credential), message: f.message }));
  return { case: prepared, passed: false, missing, unexpected };
}

function rulesetOf(definition: RuleDefinition, table: Sourced<RuleCasesFile>, params: Record<string, unknown>): Ruleset {
  // The parameters were checked against the case table already (prepareCases), so the pack
  // below cannot be invalid and its source is only a formality.
  const pack: PackFile = {
    id: 'rules-test',
    description: `cases of ${definition.rule.id}`,
    rules: { [definition.rule.id]: { parameters: params as Record<string, string | number | boolean> } },
  };
  return buildRuleset({ definitions: [definition], pack: { value: pack, source: table.source } });
}

/**
 * Details of what the rule sees for one principal and credential: evaluates every subject
 * of the case as if the condition held, with evidence widened to the condition's fields.
 */
function explain(
  definition: RuleDefinition,
  ruleset: Ruleset,
  prepared: PreparedCase,
): (principal: string, credential: Credential) => FindingDetail {
  const explaining = ruleset.rules.map((rule) => explainingRule(rule, definition));
  const all = evaluateAccount(prepared.account, { ...ruleset, rules: explaining });
  return (principal, credential) => {
    const seen = all.find((f) => f.principal.name === principal && f.credential === credential);
    if (seen) return { principal, credential, message: seen.message, evidence: seen.evidence };
    return { principal, credential, note: `the rows give ${principal} no ${credential ?? 'such subject'} in use` };
  };
}

function explainingRule(rule: CompiledRule, definition: RuleDefinition): CompiledRule {
  const paths = [...new Set([...(definition.rule.evidence ?? []), ...conditionFields(definition.rule.condition)])];
  const readable = paths.filter((path) => SUBJECT_SCOPES[rule.subject].has(resolveField(path)?.scope ?? 'principal'));
  const getters = readable.map((path) => [path, resolveField(path)?.get] as const);
  return {
    ...rule,
    predicate: () => true,
    evidence: (frame) => Object.fromEntries(getters.map(([path, get]) => [path, get?.(frame) ?? null])),
  };
}

/** The fields a condition compares directly, not inside a quantifier (whose fields read each item). */
function conditionFields(node: unknown): string[] {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap(conditionFields);
  const record = node as Record<string, unknown>;
  if (typeof record.fact === 'string') return [record.fact];
  return [...conditionFields(record.all), ...conditionFields(record.any), ...conditionFields(record.not)];
}
