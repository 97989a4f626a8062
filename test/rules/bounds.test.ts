/**
 * Issue 18 item 7: no writer reads a rule's parameter by its literal name. Every built-in
 * parameter that is a threshold of a fact declares it (`bounds`), the declaration reaches the
 * rule summaries every report sees (the JSON result's rules), and reports read it there.
 */
import { describe, expect, it } from 'vitest';
import { builtInRulesDir, loadRuleDefinitions, loadRuleset } from '../../src/collectors/files/rules.js';
import { orderedComparisons } from '../../src/core/rules/bounds.js';
import { cli } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

const definitions = loadRuleDefinitions(builtInRulesDir(), true);

describe('built-in parameters declare the fact they bound', () => {
  const thresholds = definitions.flatMap(({ rule }) =>
    [...orderedComparisons(rule.condition).entries()].map(([param, facts]) => [`${rule.id}.${param}`, rule, param, [...facts]] as const),
  );

  it('finds the parameters that are thresholds (the table below is not empty)', () => {
    expect(thresholds.length).toBeGreaterThanOrEqual(14);
  });

  it.each(thresholds)('%s declares one of the facts it is compared with', (_id, rule, param, facts) => {
    expect(facts).toContain(rule.parameters?.[param]?.bounds);
  });

  it('no parameter that is not a threshold declares one', () => {
    for (const { rule } of definitions) {
      const compared = orderedComparisons(rule.condition);
      for (const [name, p] of Object.entries(rule.parameters ?? {}))
        if (p.bounds) expect(compared.has(name), `${rule.id}.${name}`).toBe(true);
    }
  });
});

describe('the declaration reaches the rule summaries', () => {
  it('compiled rules carry bounds by parameter name; rules without parameters carry none', () => {
    const rules = loadRuleset({ pack: 'complete', rulesDirs: [] }).ruleset.rules;
    expect(rules.find((r) => r.id === 'access-key-not-rotated')?.bounds).toEqual({ maxAgeDays: 'key.ageDays' });
    expect(rules.find((r) => r.id === 'password-policy-min-length')?.bounds).toEqual({
      minLength: 'account.facts.passwordPolicy.MinimumPasswordLength',
    });
    expect(rules.find((r) => r.id === 'root-mfa-disabled')).not.toHaveProperty('bounds');
  });

  it('the JSON result states them on its rules and reads them back', async () => {
    const run = await cli(['scan', '--from', 'examples/org', '--as-of', '2026-11-01T12:00:00Z', '--format', 'json', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const rule = run.stdout.split('\n').find((line) => line.startsWith('{"id":"access-key-not-rotated"'));
    expect(rule).toContain('"parameters":{"maxAgeDays":90},"bounds":{"maxAgeDays":"key.ageDays"}');
    const read = readResultText(run.stdout).rules.find((r) => r.id === 'access-key-not-rotated');
    expect(read?.bounds).toEqual({ maxAgeDays: 'key.ageDays' });
  });
});
