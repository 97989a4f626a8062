import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { expect, it, describe } from 'vitest';
import type { Account, Finding } from '../../src/model/index.js';
import { parseCredentialReport } from '../../src/core/report/parse.js';
import { buildRuleset } from '../../src/core/rules/ruleset.js';
import { parsePack } from '../../src/core/rules/settings.js';
import { evaluateAccount } from '../../src/core/engine/evaluate.js';
import type { RuleDefinition } from '../../src/core/rules/definition.js';
import type { ReportColumn } from '../../src/core/report/columns.js';
import { reportCsv } from './reports.js';

type Row = Partial<Record<ReportColumn, string | boolean>>;

interface Case {
  name: string;
  rows: Row[];
  params?: Record<string, unknown>;
  asOf?: string;
  accountFacts?: Record<string, unknown>;
  principalFacts?: Record<string, Record<string, unknown>>;
  findings?: { principal: string; credential?: string | null }[];
}

/** A rule's valid/invalid table, as in test/rules/cases/<id>.yaml. */
export interface CaseTable {
  asOf: string;
  valid: Case[];
  invalid: Case[];
}

const RELATIVE = /^T([+-])(\d+(?:\.\d+)?)([dhm])$/;
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

/** Resolves `T-90d`, `T+2h`… against the as-of time, so boundary cases read plainly. */
function resolveTime(value: string | boolean, asOfMs: number): string {
  if (typeof value === 'boolean') return String(value);
  const match = RELATIVE.exec(value);
  if (!match) return value;
  const [, sign, amount, unit] = match;
  const delta = Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return new Date(asOfMs + (sign === '-' ? -delta : delta)).toISOString();
}

/** Evaluates one rule (alone, with optional parameters) on the rows of a case. */
export function runCase(definition: RuleDefinition, table: CaseTable, testCase: Case): Finding[] {
  const asOf = testCase.asOf ?? table.asOf;
  const asOfMs = Date.parse(asOf);
  const rows = testCase.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, resolveTime(v, asOfMs)])));
  const report = parseCredentialReport(reportCsv(rows), `${testCase.name}.csv`);
  const params = testCase.params ? `\n    parameters: ${JSON.stringify(testCase.params)}` : '';
  const pack = parsePack(`id: test\ndescription: test\nrules:\n  ${definition.rule.id}:${params || ' {}'}\n`, 'test-pack.yaml');
  const ruleset = buildRuleset({ definitions: [definition], pack });
  const principals = report.principals.map((p) => ({ ...p, ...(testCase.principalFacts?.[p.name] ? { facts: testCase.principalFacts[p.name] } : {}) }));
  const account: Account = { id: report.accountId, reportGeneratedTime: asOf, principals, ...(testCase.accountFacts ? { facts: testCase.accountFacts } : {}) };
  return evaluateAccount(account, ruleset);
}

/** Registers vitest cases for a rule's valid/invalid table, ESLint RuleTester style. */
export function testRuleTable(definition: RuleDefinition, tablePath: string): void {
  const table = parseYaml(readFileSync(tablePath, 'utf8')) as CaseTable;
  describe(definition.rule.id, () => {
    it('has at least one valid and one invalid case', () => {
      expect(table.valid.length).toBeGreaterThan(0);
      expect(table.invalid.length).toBeGreaterThan(0);
    });
    for (const testCase of table.valid) {
      it(`valid: ${testCase.name}`, () => {
        expect(runCase(definition, table, testCase)).toEqual([]);
      });
    }
    for (const testCase of table.invalid) {
      it(`invalid: ${testCase.name}`, () => {
        const findings = runCase(definition, table, testCase);
        const actual = findings.map((f) => ({ principal: f.principal.name, credential: f.credential }));
        const expected = (testCase.findings ?? []).map((f) => ({ principal: f.principal, credential: f.credential ?? null }));
        expect(actual).toEqual(expected);
        for (const finding of findings) expect(finding.message).not.toMatch(/\{\{/);
      });
    }
  });
}
