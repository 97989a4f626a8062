import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planFindings } from '../../src/core/remediation/index.js';
import { renderPlansJson, renderPlansMarkdown } from '../../src/core/format/plans/render.js';
import { scanExampleOrg, builtInCatalogue } from './helpers.js';

/*
 * Golden files of the plans for the example organisation (examples/org/), scanned
 * through the real pipeline. After an intended change, regenerate them with
 *   UPDATE_GOLDEN=1 npx vitest run test/remediation/golden.test.ts
 * and review the diff like code.
 */
const GOLDEN = join(process.cwd(), 'test/remediation/golden');

function matchGolden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(existsSync(path), `${name} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('plans for the example organisation', () => {
  const { snapshot, result } = scanExampleOrg();
  const plans = planFindings(result, builtInCatalogue(), { accounts: snapshot.accounts });

  it('match the Markdown golden file', () => {
    matchGolden('example-org.md', renderPlansMarkdown(plans));
  });

  it('match the JSON golden file', () => {
    matchGolden('example-org.json', renderPlansJson(plans));
  });

  it('match the golden file without the snapshot (evidence only, as from a saved result)', () => {
    matchGolden('example-org.evidence-only.md', renderPlansMarkdown(planFindings(result, builtInCatalogue())));
  });

  it('plan every open finding of the example organisation', () => {
    const planned = new Set(plans.accounts.flatMap((a) => a.plans.flatMap((p) => p.findings.map((f) => f.fingerprint))));
    expect(result.findings.length).toBeGreaterThan(10);
    for (const finding of result.findings.filter((f) => f.status === 'open'))
      expect(planned.has(finding.fingerprint), finding.ruleId).toBe(true);
    expect(plans.unknownProcedures).toEqual([]);
  });
});
