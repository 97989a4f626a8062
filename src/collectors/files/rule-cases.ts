import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostic } from '../../model/index.js';
import { parseCaseTable, type RuleUnderTest } from '../../core/rules/testing/index.js';
import { didYouMean } from '../../core/util/suggest.js';
import { packageRoot } from './package-root.js';
import { loadRuleDefinitions } from './rules.js';
import { readInputFile } from './input.js';

/** The folder, inside a rules folder, that holds the rules' case tables. */
export const CASES_FOLDER = 'tests';

/** A case table is named after its rule: `<rule-id>.cases.yaml` (or `.cases.yml`). */
const CASES_SUFFIX = /\.cases\.ya?ml$/;

/** Where the case table of a rule is, or would be: `<rules-dir>/tests/<rule-id>.cases.yaml`. */
export function caseTablePath(rulesDir: string, ruleId: string): string {
  return join(rulesDir, CASES_FOLDER, `${ruleId}.cases.yaml`);
}

/**
 * Reads the rules of `dir` and the case tables in `dir/tests/`, and pairs them. Files in
 * tests/ not named `*.cases.yaml` are left alone (fixtures, notes).
 * Problems of the tables (syntax, schema, a table of no rule) are returned, not thrown, so that
 * they can be reported together with the problems testRules finds in their cases.
 * @param label how a file is named in reports (built-in files are named relative to the package)
 * @throws InputError listing every problem of the rules themselves
 */
export function loadRulesUnderTest(
  dir: string,
  builtIn: boolean,
  label: (path: string) => string = (p) => p,
): { rules: RuleUnderTest[]; diagnostics: Diagnostic[] } {
  const name = builtIn ? (path: string) => relative(packageRoot(), path) : label;
  const definitions = loadRuleDefinitions(dir, builtIn);
  const ids = definitions.map((d) => d.rule.id);
  const tables = new Map<string, RuleUnderTest['table']>();
  const diagnostics: Diagnostic[] = [];
  for (const file of caseTableFiles(join(dir, CASES_FOLDER))) {
    const path = join(dir, CASES_FOLDER, file);
    const ruleId = file.replace(CASES_SUFFIX, '');
    if (!ids.includes(ruleId)) {
      const suggestion = didYouMean(ruleId, ids) ?? 'a case table is named after its rule: <rule-id>.cases.yaml';
      diagnostics.push({ severity: 'error', file: name(path), message: `case table of an unknown rule '${ruleId}'`, suggestion });
      continue;
    }
    const parsed = parseCaseTable(readInputFile(path, 'case table', name(path)), name(path));
    diagnostics.push(...parsed.diagnostics);
    if (parsed.table) tables.set(ruleId, parsed.table);
  }
  const rules = definitions.map((definition) => {
    const table = tables.get(definition.rule.id);
    return { definition, tableFile: name(caseTablePath(dir, definition.rule.id)), ...(table ? { table } : {}) };
  });
  return { rules, diagnostics };
}

function caseTableFiles(folder: string): string[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
  return readdirSync(folder)
    .filter((f) => CASES_SUFFIX.test(f) && statSync(join(folder, f)).isFile())
    .sort();
}
