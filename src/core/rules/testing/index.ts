import type { Diagnostic, RuleCasesFile } from '../../../model/index.js';
import { InputError } from '../../../model/index.js';
import type { RuleDefinition } from '../definition.js';
import type { Sourced } from '../settings.js';
import { prepareCases, type PreparedCase } from './prepare.js';
import { runCase, type CaseResult } from './run.js';

export type { CaseResult, FindingDetail } from './run.js';
export type { PreparedCase, ExpectedAt } from './prepare.js';
export { parseCaseTable } from './table.js';
export { formatRulesTestText } from './text.js';
export { formatRulesTestJunit } from './junit.js';

/** A rule and its case table, if it has one. */
export interface RuleUnderTest {
  definition: RuleDefinition;
  /** Where the table is, or would be: named in the warning when it is missing. */
  tableFile: string;
  table?: Sourced<RuleCasesFile>;
}

/** The outcome of one rule's table. */
export interface RuleTestResult {
  ruleId: string;
  ruleFile: string;
  tableFile: string;
  cases: CaseResult[];
  /**
   * Coverage problems: no table, no valid case, no invalid case. Warnings, or errors
   * (which fail the run) in strict mode.
   */
  coverage: Diagnostic[];
}

/** The outcome of `credwarden rules test`. */
export interface RulesTestReport {
  results: RuleTestResult[];
  strict: boolean;
}

/**
 * Runs the valid/invalid cases of every rule. Every case of every table is checked before
 * any runs, so bad tables are reported whole, together with `loadProblems` (problems found
 * while reading the tables).
 * @throws InputError with every problem of every table (bad parameters, cells, findings, facts)
 */
export function testRules(
  rules: readonly RuleUnderTest[],
  options: { strict: boolean },
  loadProblems: readonly Diagnostic[] = [],
): RulesTestReport {
  const diagnostics: Diagnostic[] = [...loadProblems];
  const prepared = rules.map((rule) => {
    if (!rule.table) return { rule, cases: [] as PreparedCase[] };
    const { cases, diagnostics: problems } = prepareCases(rule.definition, rule.table);
    diagnostics.push(...problems);
    return { rule, cases };
  });
  if (diagnostics.length > 0) throw new InputError(diagnostics, 'invalid rule case tables');
  const results = prepared.map(({ rule, cases }) => ({
    ruleId: rule.definition.rule.id,
    ruleFile: rule.definition.file,
    tableFile: rule.tableFile,
    cases: rule.table ? cases.map((c) => runCase(rule.definition, rule.table as Sourced<RuleCasesFile>, c)) : [],
    coverage: coverage(rule, options.strict),
  }));
  return { results, strict: options.strict };
}

/** Whether the run fails: a case failed, or (strict) a rule's coverage is incomplete. */
export function rulesTestFailed(report: RulesTestReport): boolean {
  return report.results.some((r) => r.cases.some((c) => !c.passed) || r.coverage.some((d) => d.severity === 'error'));
}

function coverage(rule: RuleUnderTest, strict: boolean): Diagnostic[] {
  const severity = strict ? 'error' : 'warning';
  const id = rule.definition.rule.id;
  if (!rule.table) {
    return [
      {
        severity,
        file: rule.tableFile,
        message: `rule '${id}' has no case table`,
        suggestion: `add ${rule.tableFile} with valid and invalid cases (docs/rules.md, "Testing a rule")`,
      },
    ];
  }
  const { value, source } = rule.table;
  const problems: Diagnostic[] = [];
  if (value.valid.length === 0)
    problems.push({ severity, ...source.locate('/valid'), message: `rule '${id}' has no valid case: nothing shows that it stays quiet` });
  if (value.invalid.length === 0)
    problems.push({ severity, ...source.locate('/invalid'), message: `rule '${id}' has no invalid case: nothing shows that it fires` });
  return problems;
}
