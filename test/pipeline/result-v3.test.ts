import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/index.js';
import { parseResult } from '../../src/core/result/parse.js';
import { cli, tempDir } from '../helpers/cli.js';
import { EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE } from '../format/helpers.js';

/** The example organisation's result as credwarden wrote it before v3 (schema v2, the same scan as reports/examples). */
const V2 = 'test/fixtures/results/example-org.v2.json';

async function exampleV3(): Promise<string> {
  const run = await cli([...EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE, '--format', 'json', '--quiet']);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

describe('result schema v3', () => {
  it('still reads version 2: every finding and plan, each finding naming a plan it lists', () => {
    const text = readFileSync(V2, 'utf8');
    const raw = JSON.parse(text) as { findings: unknown[]; plans: unknown[] };
    const v2 = parseResult(text, V2);
    expect(v2.findings).toHaveLength(raw.findings.length);
    expect(v2.plans).toHaveLength(raw.plans.length);
    const ids = new Set(v2.plans.map((p) => p.id));
    for (const f of v2.findings) if (f.remediation.planId) expect(ids.has(f.remediation.planId)).toBe(true);
  });

  it('states each procedure once and holds no plan text: far fewer bytes per finding than v2 held', async () => {
    const text = await exampleV3();
    const result = parseResult(text, 'v3.json');
    // What grows with the organisation: the accounts (findings and plans) in v3, findings and plans in v2.
    const v3Accounts = text.slice(text.indexOf('"accounts":[')).length;
    const v2Items = JSON.stringify(result.findings, null, 2).length + JSON.stringify(result.plans, null, 2).length;
    expect(v3Accounts).toBeLessThan(v2Items / 3);
    // A step's text appears once (in `procedures`), however many plans use it.
    expect(text.split('Create the replacement key for access key').length - 1).toBeLessThanOrEqual(1);
    expect(JSON.parse(text.split('\n', 1)[0]!.replace(/,$/, '}'))).toEqual({ schemaVersion: 3 });
  });

  it('renders the same reports when read back (merge) as when scanned, inline plans included', async () => {
    const dir = tempDir();
    const file = join(dir, 'result.json');
    writeFileSync(file, await exampleV3());
    const direct = await cli([...EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE, '--format', 'markdown', '--quiet']);
    const merged = await cli(['merge', file, '--format', 'markdown', '--quiet']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain('## Remediation plans');
    expect(merged.stdout).toBe(direct.stdout);
  });

  it('gives one principal its full plan, the same as planned from the reports', async () => {
    const dir = tempDir();
    const file = join(dir, 'result.json');
    const asOf = ['--as-of', '2026-11-01T12:00:00Z'];
    const scan = await cli(['scan', '--from', 'examples/org', ...asOf, '--format', 'json', '--output', file, '--quiet']);
    expect(scan.code, scan.stderr).toBe(0);
    const fromV3 = await cli(['plan', file, '--principal', 'terraform-ci']);
    const direct = await cli(['plan', '--from', 'examples/org', ...asOf, '--principal', 'terraform-ci']);
    expect(fromV3.code, fromV3.stderr).toBe(0);
    expect(fromV3.stdout).toContain('aws iam create-access-key --user-name=terraform-ci');
    expect(fromV3.stdout).toBe(direct.stdout);
  });

  it('refuses an account that comes before the rules it refers to, naming the regenerating command', () => {
    const bad = '{"schemaVersion":3,"accounts":[{"id":"111111111111","status":"scanned","findings":[],"plans":[]}],"rules":[]}';
    try {
      parseResult(bad, 'bad.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const [problem] = (error as InputError).diagnostics;
      expect(problem).toMatchObject({ file: 'bad.json', pointer: '/accounts/0' });
      expect(problem?.message).toContain('credwarden writes the rules first');
      expect(problem?.suggestion).toContain('credwarden scan --format json');
    }
  });
});
