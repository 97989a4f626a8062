import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtInRulesDir, loadRuleDefinitions } from '../../src/collectors/files/rules.js';
import { testRuleTable } from '../helpers/rule-tester.js';

const casesDir = fileURLToPath(new URL('./cases/', import.meta.url));
const definitions = loadRuleDefinitions(builtInRulesDir(), true);

describe('every built-in rule ships a valid/invalid table', () => {
  it.each(definitions.map((d) => d.rule.id))('%s', (id) => {
    expect(existsSync(join(casesDir, `${id}.yaml`))).toBe(true);
  });
});

for (const definition of definitions) {
  const table = join(casesDir, `${definition.rule.id}.yaml`);
  if (existsSync(table)) testRuleTable(definition, table);
}
