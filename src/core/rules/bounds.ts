/**
 * Parameter bounds: a rule's parameter may declare the fact it is a threshold for
 * (`parameters.<name>.bounds: key.ageDays`). Reports read a rule's threshold for a fact from
 * that declaration (RuleSummary `bounds`), never from the parameter's name, so a rule of one's
 * own with any parameter name gets the same charts. The declaration is checked against the
 * condition, so it cannot say what the rule does not do.
 */
import type { Diagnostic, RuleFile } from '../../model/index.js';
import type { YamlSource } from '../yaml/source.js';
import { didYouMean } from '../util/suggest.js';

/** The comparisons that make a parameter a threshold of a fact. */
const ORDERING = ['gt', 'gte', 'lt', 'lte'] as const;

/**
 * Each parameter's declared fact, by parameter name (undefined when none declares one): what
 * a rule summary carries as `bounds`.
 */
export function declaredBounds(rule: Pick<RuleFile, 'parameters'>): Record<string, string> | undefined {
  const entries = Object.entries(rule.parameters ?? {}).flatMap(([name, p]) => (typeof p?.bounds === 'string' ? [[name, p.bounds]] : []));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/**
 * The facts the condition compares with each parameter by an ordering (gt, gte, lt, lte), by
 * parameter name, wherever the comparison is (under all, any, not and quantifiers).
 */
export function orderedComparisons(condition: unknown): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.fact === 'string') {
      for (const op of ORDERING) {
        const param = (record[op] as { param?: unknown } | undefined)?.param;
        if (typeof param !== 'string') continue;
        const facts = out.get(param) ?? new Set<string>();
        facts.add(record.fact);
        out.set(param, facts);
      }
      return;
    }
    for (const value of Object.values(record)) visit(value);
  };
  visit(condition);
  return out;
}

/** Each declared bound must name a fact the condition compares with that parameter by an ordering. */
export function checkBounds(rule: RuleFile, source: YamlSource, diagnostics: Diagnostic[]): void {
  const compared = orderedComparisons(rule.condition);
  for (const [name, param] of Object.entries(rule.parameters ?? {})) {
    if (param === null || typeof param !== 'object' || typeof param.bounds !== 'string') continue;
    const facts = [...(compared.get(name) ?? [])];
    if (facts.includes(param.bounds)) continue;
    diagnostics.push({
      severity: 'error',
      ...source.locate(`/parameters/${name}/bounds`),
      message: `parameter '${name}' bounds '${param.bounds}', but the condition does not compare '${param.bounds}' with it (gt, gte, lt or lte { param: ${name} })`,
      suggestion:
        facts.length > 0
          ? (didYouMean(param.bounds, facts) ?? `the condition compares '${name}' with: ${facts.join(', ')}`)
          : `compare a fact with { param: ${name} } in the condition, or remove 'bounds'`,
    });
  }
}
