import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectFromFiles } from '../../src/collectors/files/reports.js';
import { loadRuleset } from '../../src/collectors/files/rules.js';
import { loadCatalogue } from '../../src/collectors/files/procedures.js';
import { assembleResult, ScanPipeline, STAGES, type AccountSlice } from '../../src/core/pipeline/index.js';
import { planId } from '../../src/core/remediation/index.js';
import type { Account, Finding } from '../../src/model/index.js';
import { cli, tempDir } from '../helpers/cli.js';

const { snapshot } = collectFromFiles([resolve('examples/org')]);
const loaded = loadRuleset({});
const AS_OF = '2026-11-01T12:00:00Z';

function run(accounts: readonly Account[]) {
  const slices: AccountSlice[] = [];
  const pipeline = new ScanPipeline(
    { ruleset: loaded.ruleset, toolVersion: 't', asOf: AS_OF, catalogue: loadCatalogue([], process.cwd()) },
    (slice) => slices.push(slice),
  );
  for (const account of accounts) pipeline.account({ ...account, facts: { rootMfa: 'virtual', recoveryInputs: { big: 'x' } } });
  pipeline.outcome({ id: '444444444444', status: 'skipped', reason: 'account state is SUSPENDED' });
  const tallies = pipeline.finish();
  return { slices, tallies, result: assembleResult(pipeline.header, slices, tallies) };
}

describe('ScanPipeline', () => {
  it('runs the stages in the documented order', () => {
    expect(STAGES.map((s) => s.name)).toEqual(['evaluate', 'waive', 'compareWithBaseline', 'plan']);
  });

  it('emits one slice per account, each with only its own findings and plans', () => {
    const { slices } = run(snapshot.accounts);
    expect(slices.map((s) => s.id)).toEqual([...snapshot.accounts.map((a) => a.id), '444444444444']);
    for (const slice of slices) {
      expect(slice.findings.every((f) => f.accountId === slice.id)).toBe(true);
      expect(slice.plans.every((p) => p.accountId === slice.id)).toBe(true);
      const planned = new Set(slice.plans.map((p) => p.id));
      expect(slice.findings.filter((f) => f.status === 'open').every((f) => planned.has(f.remediation.planId ?? ''))).toBe(true);
    }
    expect(slices.flatMap((s) => s.findings).length).toBeGreaterThan(0);
  });

  it('gives the same tallies and result whatever order the accounts arrive in', () => {
    const forward = run(snapshot.accounts);
    const backward = run([...snapshot.accounts].reverse());
    expect(JSON.stringify(backward.tallies)).toEqual(JSON.stringify(forward.tallies));
    expect(JSON.stringify(backward.result)).toEqual(JSON.stringify(forward.result));
    expect(forward.tallies.summary.accounts).toEqual({ scanned: 4, failed: 0, skipped: 1 });
  });

  it("names each open finding's plan (its principal's), in the slices and in the JSON result", async () => {
    const { slices } = run(snapshot.accounts);
    const open = slices.flatMap((s) => s.findings).filter((f) => f.status === 'open');
    expect(open.length).toBeGreaterThan(5);
    for (const f of open) expect(f.remediation.planId).toBe(planId(f.accountId, f.principal.arn));
    const dir = tempDir();
    const file = join(dir, 'snapshot.json');
    writeFileSync(file, JSON.stringify(snapshot));
    const { code } = await cli(['evaluate', file, '--as-of', AS_OF, '--format', 'json', '--output', join(dir, 'r.json'), '--quiet']);
    expect(code).toBe(0);
    const written = new Map<string, unknown>();
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (value && typeof value === 'object') {
        const item = value as Record<string, unknown>;
        if (typeof item.fingerprint === 'string' && 'ruleId' in item) written.set(item.fingerprint, item.planId);
        else Object.values(item).forEach(collect);
      }
    };
    collect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')));
    expect(written.size).toBe(slices.flatMap((s) => s.findings).length);
    for (const f of open as Finding[]) expect(written.get(f.fingerprint)).toBe(f.remediation.planId);
  });

  it('reports account facts without the raw collector inputs', () => {
    const scanned = run(snapshot.accounts).result.accounts.filter((a) => a.status === 'scanned');
    expect(scanned.map((a) => a.facts)).toEqual(scanned.map(() => ({ rootMfa: 'virtual' })));
  });
});

describe('reports of a run', () => {
  it('are byte-identical whatever order the accounts arrive in (spools joined in account-id order)', async () => {
    const dir = tempDir();
    const forward = join(dir, 'forward.json');
    const backward = join(dir, 'backward.json');
    writeFileSync(forward, JSON.stringify(snapshot));
    writeFileSync(backward, JSON.stringify({ ...snapshot, accounts: [...snapshot.accounts].reverse() }));
    const outputs: Record<string, string>[] = [];
    for (const [name, file] of [
      ['f', forward],
      ['b', backward],
    ] as const) {
      const out = join(dir, name);
      const { code, stderr } = await cli([
        'evaluate',
        file,
        '--as-of',
        AS_OF,
        '--format',
        'json,csv,markdown,sarif,junit,text,html,asff',
        '--output-dir',
        out,
        '--quiet',
      ]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      outputs.push(Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')])));
    }
    expect(Object.keys(outputs[0] ?? {}).length).toBeGreaterThanOrEqual(8);
    expect(outputs[1]).toEqual(outputs[0]);
  });
});
