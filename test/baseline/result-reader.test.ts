import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import resultSchema from '../../schemas/result.schema.json' with { type: 'json' };
import type { ScanResult } from '../../src/model/index.js';
import { parseResult } from '../../src/core/result/parse.js';
import { cli, tempDir } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

/** A result written by credwarden before schema v2: every finding carries a copy of its principal's plan. */
const V1 = 'test/fixtures/results/example-org.v1.json';
const AS_OF = ['--as-of', '2026-06-01T00:00:00Z'];

function v2(): Promise<ScanResult> {
  return cli(['scan', '--from', 'examples/org', '--format', 'json', ...AS_OF]).then((run) => readResultText(run.stdout));
}

describe('reading a version 1 result', () => {
  it('upgrades it: one plan per principal in `plans`, each finding naming its plan, no copies', () => {
    const text = readFileSync(V1, 'utf8');
    const old = JSON.parse(text) as { findings: { principal: { arn: string }; remediation: { plan?: unknown } }[] };
    const upgraded = parseResult(text, V1);
    expect(upgraded.schemaVersion).toBe(2);
    const principals = new Set(old.findings.filter((f) => f.remediation.plan).map((f) => f.principal.arn));
    expect(upgraded.plans.map((p) => p.principal.arn).sort()).toEqual([...principals].sort());
    const ids = new Set(upgraded.plans.map((p) => p.id));
    for (const finding of upgraded.findings) {
      expect(Object.keys(finding.remediation).sort()).toEqual(['planId', 'procedure']);
      expect(ids.has(finding.remediation.planId!)).toBe(true);
    }
    const covered = upgraded.plans.flatMap((p) => p.findings.map((f) => f.fingerprint)).sort();
    expect(covered).toEqual(upgraded.findings.map((f) => f.fingerprint).sort());
    const validate = new Ajv({ strict: false }).compile(resultSchema);
    expect(validate(upgraded), JSON.stringify(validate.errors)).toBe(true);
  });

  it('never shows a rule of it as passed: version 1 did not record where rules were evaluated', () => {
    const upgraded = parseResult(readFileSync(V1, 'utf8'), V1);
    expect(upgraded.rules.length).toBeGreaterThan(0);
    for (const rule of upgraded.rules) {
      expect(rule.status).toBe((upgraded.summary.byRule[rule.id] ?? 0) > 0 ? 'failed' : 'not-evaluated');
      expect(rule.notEvaluated.map((n) => n.accountId)).toEqual(upgraded.accounts.map((a) => a.id));
      expect(rule.notEvaluated[0]!.reason).toMatch(/older credwarden \(result schema 1\).*scan again/);
    }
  });

  it('holds the plans its findings carried, once per principal, named as a fresh version 2 scan names them', async () => {
    // The plans are the ones the old credwarden wrote (procedures change between versions): each
    // upgraded plan is exactly the copy its findings carried, and each finding its resolution.
    const text = readFileSync(V1, 'utf8');
    const old = JSON.parse(text) as {
      findings: { fingerprint: string; remediation: { plan?: Record<string, unknown> & { resolution: string } } }[];
    };
    const upgraded = parseResult(text, V1);
    const byId = new Map(upgraded.plans.map((p) => [p.id, p]));
    for (const [i, finding] of upgraded.findings.entries()) {
      const copy = old.findings[i]!.remediation.plan;
      if (!copy) continue;
      const plan = byId.get(finding.remediation.planId!)!;
      for (const key of ['actors', 'goals', 'procedures', 'steps', 'alternatives', 'verification', 'links'] as const)
        expect(plan[key], key).toEqual(copy[key]);
      expect(plan.findings).toContainEqual({ fingerprint: finding.fingerprint, resolution: copy.resolution });
    }
    const fresh = await v2();
    expect(upgraded.plans.map((p) => p.id)).toEqual(fresh.plans.map((p) => p.id));
    expect(upgraded.findings.map((f) => f.remediation)).toEqual(fresh.findings.map((f) => f.remediation));
  });

  it('diffs against a version 2 result of the same scan: nothing changed', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'new.json'), JSON.stringify(await v2()));
    const run = await cli(['diff', V1, join(dir, 'new.json'), '--format', 'json']);
    expect(run.code).toBe(0);
    const diff = JSON.parse(run.stdout) as { added: unknown[]; resolved: unknown[]; changed: unknown[]; unchanged: number };
    expect([diff.added, diff.resolved, diff.changed]).toEqual([[], [], []]);
    expect(diff.unchanged).toBeGreaterThan(0);
  });

  it('serves as --baseline: every finding is existing', async () => {
    const run = await cli(['scan', '--from', 'examples/org', '--format', 'json', ...AS_OF, '--baseline', V1]);
    const result = readResultText(run.stdout);
    expect(result.schemaVersion).toBe(2);
    expect(result.findings.every((f) => f.baseline === 'existing')).toBe(true);
    expect(result.resolved).toEqual([]);
  });

  it('merges into a version 2 result', async () => {
    const run = await cli(['merge', V1, '--format', 'json']);
    expect(run.code).toBe(0);
    const merged = readResultText(run.stdout);
    expect(merged.schemaVersion).toBe(2);
    expect(merged.plans).toEqual(parseResult(readFileSync(V1, 'utf8'), V1).plans);
    expect(run.stdout).not.toContain('"plan":');
  });

  it('is planned from the plans it carries', async () => {
    const run = await cli(['plan', V1, '--format', 'json']);
    expect(run.code).toBe(0);
    const set = JSON.parse(run.stdout) as { accounts: { plans: unknown[] }[] };
    expect(set.accounts.flatMap((a) => a.plans)).toHaveLength(parseResult(readFileSync(V1, 'utf8'), V1).plans.length);
  });
});

describe('reading an invalid result', () => {
  async function rejected(content: string): Promise<string> {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), content);
    const run = await cli(['diff', 'bad.json', 'bad.json'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    return run.stderr;
  }

  it('names the file, line and JSON pointer of every problem', async () => {
    const result = await v2();
    const broken = {
      ...result,
      findings: result.findings.map((f, i) => (i === 1 ? { ...f, fingerprint: 7 } : f)),
      plans: [{ ...result.plans[0], id: undefined }],
    };
    const stderr = await rejected(JSON.stringify(broken, null, 2));
    expect(stderr).toMatch(/bad\.json:\d+:\d+ at \/findings\/1\/fingerprint: error: must be string/);
    expect(stderr).toMatch(/bad\.json:\d+:\d+ at \/plans\/0: error: missing required property 'id'/);
  });

  it('says how to regenerate a file that is not a result', async () => {
    expect(await rejected('{"findings": []}')).toMatch(
      /bad\.json: error: not a credwarden result: schemaVersion must be 1, 2 or 3 \(got nothing\) \(write it with `credwarden scan --format json/,
    );
    expect(await rejected('[1,')).toMatch(/bad\.json: error: not a credwarden result: the file does not hold a JSON object/);
    expect(await rejected('{"schemaVersion": 2, "findings": [')).toMatch(/bad\.json: error: not valid JSON: the file ends before/);
    expect(await rejected('{"schemaVersion": 2 "x"')).toMatch(/bad\.json: error: not valid JSON at byte 20 \(/);
    expect(await rejected('{"schemaVersion": tru3}')).toMatch(/bad\.json: error: not valid JSON at byte 21 \(/);
  });

  it('refuses a result from a newer credwarden', async () => {
    expect(await rejected('{"schemaVersion": 4}')).toMatch(
      /bad\.json at \/schemaVersion: error: result schemaVersion 4 is newer than this credwarden reads \(1 to 3\) \(upgrade credwarden\)/,
    );
  });

  it('reports a folder or a missing file as an input error', async () => {
    const dir = tempDir();
    expect((await cli(['diff', dir, dir])).stderr).toMatch(/result file is a folder, not a file/);
    expect((await cli(['merge', 'missing.json'])).stderr).toMatch(/missing\.json: error: result file not found/);
  });
});
