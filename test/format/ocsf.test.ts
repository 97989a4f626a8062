import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ocsfFormatter } from '../../src/core/format/ocsf.js';
import { renderToString } from '../../src/core/format/types.js';
import { generateUsersCsv } from '../../src/sandbox/generate.js';
import type { ScanResult } from '../../src/model/index.js';
import { cli, tempDir } from '../helpers/cli.js';
import { CONTEXT, EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE, injectionResult, scanResult } from './helpers.js';
import { readResultText } from '../helpers/result.js';

/**
 * The OCSF validator of the shared checkout (py-ocsf-models, maintained by another team):
 * OCSF_VALIDATOR, else ../shared/ocsf/validate.py beside the checkout (CI), else /work/shared.
 */
function validatorPath(): string {
  const candidates = [
    process.env.OCSF_VALIDATOR,
    resolve('..', 'shared', 'ocsf', 'validate.py'),
    resolve('..', '..', 'shared', 'ocsf', 'validate.py'),
    '/work/shared/ocsf/validate.py',
  ];
  const found = candidates.find((p): p is string => typeof p === 'string' && existsSync(p));
  if (!found) throw new Error(`OCSF validator not found (set OCSF_VALIDATOR); looked in ${candidates.filter(Boolean).join(', ')}`);
  return found;
}

function validate(file: string): { code: number | null; out: string } {
  const run = spawnSync('python3', [validatorPath(), file], { encoding: 'utf8', timeout: 600_000 });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

function ocsfText(result: ScanResult): string {
  return renderToString(ocsfFormatter.format(result, CONTEXT));
}

type Event = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('--format ocsf', () => {
  it("the example organisation's output passes the OCSF validator, and says what each finding is", async () => {
    const dir = tempDir();
    const file = join(dir, 'org.ocsf.json');
    const run = await cli([...EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE, '--format', 'ocsf', '--output', file, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const { code, out } = validate(file);
    expect(out).toMatch(/ocsf 1\.5\.0 models: \d+ valid, 0 invalid/);
    expect(code, out).toBe(0);

    const events = JSON.parse((await import('node:fs')).readFileSync(file, 'utf8')) as Event[];
    const detections = events.filter((e) => e.class_uid === 2004);
    const compliance = events.filter((e) => e.class_uid === 2003);
    const json = readResultText((await cli([...EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE, '--format', 'json', '--quiet'])).stdout);
    expect(detections).toHaveLength(json.findings.length + (json.resolved ?? []).length);
    const scanned = json.accounts.filter((a) => a.status !== 'skipped').length;
    expect(compliance).toHaveLength(json.rules.length * scanned);

    // Status and severity ids follow the finding: open is New, waived Suppressed, resolved Resolved (a Close activity).
    const byUid = new Map(detections.map((e) => [e.finding_info.uid as string, e]));
    for (const f of json.findings) {
      const event = byUid.get(`credwarden/${f.fingerprint}`) as Event;
      expect(event.status_id).toBe(f.status === 'open' ? 1 : 3);
      expect(event.severity_id).toBe({ critical: 5, high: 4, medium: 3, low: 2, info: 1 }[f.severity]);
      expect(event.cloud.account.uid).toBe(f.accountId);
      expect(event.resources[0].owner.uid).toBe(f.principal.arn);
      expect(event.unmapped.compliance.requirements).toEqual(
        expect.arrayContaining(f.frameworks['cis-aws-3.0'].map((id) => `CIS AWS Foundations Benchmark v3.0.0/${id}`)),
      );
      expect(event.type_uid).toBe(200401);
    }
    expect(json.findings.some((f) => f.status === 'waived')).toBe(true);
    const resolved = detections.filter((e) => e.status_id === 4);
    expect(resolved).toHaveLength((json.resolved ?? []).length);
    expect(resolved.every((e) => e.activity_id === 3 && e.type_uid === 200403)).toBe(true);

    // A Compliance Finding per rule and account carries the rule's status there.
    for (const event of compliance) {
      const ruleId = event.compliance.checks[0].uid as string;
      const accountId = event.cloud.account.uid as string;
      const open = json.findings.filter((f) => f.ruleId === ruleId && f.accountId === accountId && f.status === 'open').length;
      const rule = json.rules.find((r) => r.id === ruleId);
      const undecided = rule?.notEvaluated.some((n) => n.accountId === accountId);
      const waived = json.findings.filter((f) => f.ruleId === ruleId && f.accountId === accountId && f.status === 'waived').length;
      // Parameters looser than a framework's (rule deviations) are a warning, never a pass.
      const deviates = (rule?.deviations ?? []).length > 0 && waived === 0;
      const expected = open > 0 ? 3 : undecided || deviates ? 2 : undefined;
      if (expected !== undefined) expect(event.compliance.status_id, `${ruleId} ${accountId}`).toBe(expected);
      else expect([1, 99]).toContain(event.compliance.status_id);
    }
    // Saved reports cannot decide the recovery rules: they are warnings, never passes.
    expect(compliance.filter((e) => e.compliance.checks[0].uid === 'no-recovery-path').every((e) => e.compliance.status_id === 2)).toBe(
      true,
    );
  });

  it('a large generated organisation streams event by event and passes the validator', async () => {
    const dir = tempDir();
    const reports = join(dir, 'reports');
    mkdirSync(reports);
    const generatedAt = Date.parse('2026-06-01T00:00:00Z');
    for (let i = 0; i < 60; i++) {
      const accountId = String(200_000_000_000 + i);
      writeFileSync(
        join(reports, `${accountId}-acct-${i}.2026-06-01T000000Z.csv`),
        generateUsersCsv({ accountId, users: 120, seed: 3, generatedAt }),
      );
    }
    const result = await scanResult(reports);
    expect(result.findings.length).toBeGreaterThan(3000);
    let pieces = 0;
    let largest = 0;
    let text = '';
    for (const chunk of ocsfFormatter.format(result, CONTEXT)) {
      pieces++;
      largest = Math.max(largest, chunk.length);
      text += chunk;
    }
    // One piece per event, plus the opening and closing brackets and the separator between two
    // of the 60 accounts (written account by account); none larger than one event.
    const events = result.findings.length + result.rules.length * 60;
    expect(pieces).toBe(events + 2 + 59);
    expect(largest).toBeLessThan(20_000);
    const file = join(dir, 'large.ocsf.json');
    writeFileSync(file, text);
    const { code, out } = validate(file);
    expect(out).toContain(`${events} valid, 0 invalid`);
    expect(code, out).toBe(0);
  }, 600_000);

  it('hostile principal names stay data: valid JSON that the validator accepts', async () => {
    const dir = tempDir();
    const file = join(dir, 'hostile.ocsf.json');
    writeFileSync(file, ocsfText(await injectionResult()));
    const { code, out } = validate(file);
    expect(code, out).toBe(0);
  });

  it('an empty result is an empty array', async () => {
    const result = await scanResult('examples/org');
    expect(ocsfText({ ...result, findings: [], rules: [], resolved: [] })).toBe('[]\n');
  });
});
