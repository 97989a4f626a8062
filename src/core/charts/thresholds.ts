/**
 * Thresholds a chart draws, read from the rules' declarations: a parameter that declares the
 * fact it bounds (rule file `parameters.<name>.bounds`, RuleSummary `bounds`) is that fact's
 * threshold. Charts never look a parameter up by its name.
 */
import type { RuleSummary } from '../../model/index.js';

/** One rule's threshold of a fact: the parameter that bounds it and its value in force. */
export interface Threshold {
  ruleId: string;
  parameter: string;
  value: number;
}

/**
 * The numeric thresholds that `rules` declare for `fact`, in the rules' order (a rule may
 * declare several parameters for one fact: each counts).
 */
export function thresholdsOf(rules: readonly Pick<RuleSummary, 'id' | 'parameters' | 'bounds'>[], fact: string): Threshold[] {
  const out: Threshold[] = [];
  for (const rule of rules) {
    for (const [parameter, bounded] of Object.entries(rule.bounds ?? {})) {
      const value = rule.parameters[parameter];
      if (bounded === fact && typeof value === 'number' && Number.isFinite(value)) out.push({ ruleId: rule.id, parameter, value });
    }
  }
  return out;
}
