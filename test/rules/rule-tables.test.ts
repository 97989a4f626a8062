import { describe, expect, it } from 'vitest';
import { builtInRulesDir } from '../../src/collectors/files/rules.js';
import { loadRulesUnderTest } from '../../src/collectors/files/rule-cases.js';
import { formatRulesTestText, testRules } from '../../src/core/rules/testing/index.js';
import { cli } from '../helpers/cli.js';

// The built-in rules' tables run through the tester users get (`credwarden rules test`),
// so the tester the project trusts is the one it ships.
const loaded = loadRulesUnderTest(builtInRulesDir(), true);
const report = testRules(loaded.rules, { strict: true }, loaded.diagnostics);

describe('built-in rule case tables (rules/tests/*.cases.yaml)', () => {
  it.each(report.results.map((r) => [r.ruleId, r] as const))('%s: every case passes, with valid and invalid cases', (_id, result) => {
    const single = formatRulesTestText({ results: [result], strict: true });
    expect(result.coverage, single).toEqual([]);
    expect(result.cases.filter((c) => !c.passed).length, single).toBe(0);
    expect(result.cases.length).toBeGreaterThanOrEqual(2);
  });

  it('pass through the command, in strict mode', async () => {
    const { code, stdout, stderr } = await cli(['rules', 'test', '--strict']);
    expect(stderr).toBe('');
    expect(stdout).toMatch(new RegExp(`^${report.results.length} rules, \\d+ cases: \\d+ passed, 0 failed$`, 'm'));
    expect(code).toBe(0);
  });
});
