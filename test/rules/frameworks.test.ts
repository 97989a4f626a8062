import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInRulesDir, loadFrameworks, loadPack, loadRuleDefinitions, loadRuleset } from '../../src/collectors/files/rules.js';
import { catalogueProblems, parseFramework, type FrameworkFile } from '../../src/core/rules/frameworks.js';
import { buildRuleset } from '../../src/core/rules/ruleset.js';
import { InputError } from '../../src/model/index.js';
import { frameworkMatrices } from '../../src/core/format/controls.js';
import { cli, tempDir } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

const catalogues = loadFrameworks();
const byId = new Map<string, FrameworkFile>(catalogues.map((c) => [c.value.id, c.value]));
const definitions = loadRuleDefinitions(builtInRulesDir(), true);

describe('framework catalogues (frameworks/*.yaml)', () => {
  it('list every control of CIS 3.0 and 5.0 section 1 and every Security Hub IAM control', () => {
    const ids = (fw: string) => byId.get(fw)?.controls.map((c) => c.id);
    expect(ids('cis-aws-3.0')).toEqual(Array.from({ length: 22 }, (_, i) => `1.${i + 1}`));
    expect(ids('cis-aws-5.0')).toEqual(Array.from({ length: 21 }, (_, i) => `1.${i + 1}`));
    expect(ids('aws-security-hub')).toEqual(Array.from({ length: 28 }, (_, i) => `IAM.${i + 1}`));
  });

  it('agree with the rules: every mapping both ways, every pinned parameter with a direction', () => {
    expect(catalogueProblems(catalogues, definitions)).toEqual([]);
  });

  it('catch a rule mapping the catalogue does not list, and a control naming a rule that does not map to it', () => {
    const rule = definitions.find((d) => d.rule.id === 'root-access-key-exists')!;
    const moved = { ...rule, rule: { ...rule.rule, frameworks: { 'cis-aws-3.0': ['1.8'] } } };
    const problems = catalogueProblems(catalogues, [moved]).map((d) => d.message);
    expect(problems).toContain(
      "rule 'root-access-key-exists' maps to CIS 3.0 1.8, but frameworks/cis-aws-3.0.yaml does not list it under that control's rules",
    );
    expect(problems.some((m) => m.includes("CIS 3.0 1.4 lists rule 'root-access-key-exists', which does not map to it"))).toBe(true);
  });

  it('reject a control that is both evaluated and out of scope, with file and line', () => {
    const text =
      'id: cis-aws-3.0\ntitle: t\nlabel: l\nsection: s\nsource: https://example.com\ncontrols:\n  - id: "1.1"\n    title: x\n    outOfScope: y\n    rules: { root-mfa-disabled: }\n';
    let error: unknown;
    try {
      parseFramework(text, 'frameworks/cis-aws-3.0.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).diagnostics[0]).toMatchObject({ file: 'frameworks/cis-aws-3.0.yaml', line: 7 });
  });

  it("state each framework's own parameters in its pack, quoted in docs/rules.md", () => {
    const docs = readFileSync('docs/rules.md', 'utf8').replace(/\s+/g, ' ');
    for (const fw of ['cis-aws-3.0', 'cis-aws-5.0', 'aws-security-hub'] as const) {
      // The CIS packs are the benchmarks' own settings; Security Hub has no pack of its own.
      const pack = fw === 'aws-security-hub' ? undefined : loadPack(fw).value;
      for (const control of byId.get(fw)!.controls)
        for (const [rule, params] of Object.entries(control.rules ?? {}))
          for (const [name, pinned] of Object.entries(params ?? {})) {
            if (pack) expect(pack.rules[rule]?.parameters?.[name], `${fw} ${control.id} ${rule}.${name}`).toBe(pinned.value);
            // The framework's own words set the value: a non-zero number appears in them.
            if (typeof pinned.value === 'number' && pinned.value !== 0) expect(pinned.quote).toContain(String(pinned.value));
            expect(docs.includes(pinned.quote), `docs/rules.md cites "${pinned.quote}"`).toBe(true);
          }
    }
  });
});

describe('deviations: parameters looser than the framework never pass', () => {
  const pack = (id: string) => loadPack(id);
  const frameworks = catalogues.map((c) => c.value);
  const rule = (packId: string, id: string) =>
    buildRuleset({ definitions, pack: pack(packId), frameworks }).rules.find((r) => r.id === id)!;

  it('the recommended grace window deviates from CIS 1.13 / 1.12; the CIS packs do not', () => {
    const controls = rule('recommended', 'two-active-access-keys').deviations.map((d) => `${d.framework} ${d.control}`);
    expect(controls).toEqual(['cis-aws-3.0 1.13', 'cis-aws-5.0 1.12']);
    expect(rule('recommended', 'two-active-access-keys').deviations[0]!.text).toBe(
      'two-active-access-keys evaluated with graceDays 7; CIS 3.0 1.13 allows no grace window for two active keys (graceDays 0)',
    );
    expect(rule('cis-aws-3.0', 'two-active-access-keys').deviations).toEqual([]);
    expect(rule('cis-aws-5.0', 'two-active-access-keys').deviations).toEqual([]);
  });

  it('a config maxAgeDays of 120 deviates from CIS 1.14 and Security Hub IAM.3; 60 does not', () => {
    const dir = tempDir();
    const config = (days: number) => {
      const path = join(dir, `c${days}.yaml`);
      writeFileSync(path, `pack: cis-aws-3.0\nrules:\n  access-key-not-rotated:\n    parameters: { maxAgeDays: ${days} }\n`);
      return loadRuleset({ configPath: path }).ruleset.rules.find((r) => r.id === 'access-key-not-rotated')!;
    };
    expect(config(120).deviations.map((d) => `${d.framework} ${d.control}`)).toEqual([
      'cis-aws-3.0 1.14',
      'cis-aws-5.0 1.13',
      'aws-security-hub IAM.3',
    ]);
    expect(config(60).deviations).toEqual([]);
  });

  it('a key pair inside the grace window reads "deviates" on 1.13, never passed, in the result and the matrix', async () => {
    const dir = tempDir();
    const header =
      'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
    const root =
      '<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,N/A,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';
    const bot =
      'deploy-bot,arn:aws:iam::123456789012:user/deploy-bot,2026-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2026-10-01T00:00:00+00:00,2026-10-31T00:00:00+00:00,us-east-1,ecr,true,2026-10-27T00:00:00+00:00,2026-10-31T00:00:00+00:00,us-east-1,ecs,false,N/A,false,N/A';
    writeFileSync(join(dir, '123456789012.csv'), `${header}\n${root}\n${bot}\n`);
    const run = await cli(['scan', '--from', dir, '--as-of', '2026-11-01T00:00:00Z', '--format', 'json', '--quiet']);
    const result = readResultText(run.stdout);
    expect(result.rules.find((r) => r.id === 'two-active-access-keys')?.status).toBe('deviates');
    const cis = frameworkMatrices(result).find((m) => m.id === 'cis-aws-3.0')!;
    const row = cis.controls.find((c) => c.id === '1.13')!;
    expect(row.status).toBe('deviates');
    expect(row.detail).toContain('CIS 3.0 1.13 allows no grace window');
    // Security Hub has no such control: nothing deviates there.
    expect(
      frameworkMatrices(result)
        .find((m) => m.id === 'aws-security-hub')!
        .controls.some((c) => c.status === 'deviates'),
    ).toBe(false);
    const md = await cli(['scan', '--from', dir, '--as-of', '2026-11-01T00:00:00Z', '--format', 'markdown', '--quiet']);
    const line = md.stdout.split('\n').find((l) => l.startsWith('| CIS 3.0 1.13 '))!;
    expect(line).toContain('deviates');
    expect(line).not.toContain('passed');
  });

  it('coverage is stated as a count, and a rule outside the pack reads "not evaluated" with the reason', async () => {
    const run = await cli(['scan', '--from', 'examples/org', '--format', 'markdown', '--quiet']);
    expect(run.stdout).toContain('CIS Amazon Web Services Foundations Benchmark v3.0.0, 1 Identity and Access Management: 22 controls;');
    const line = run.stdout.split('\n').find((l) => l.startsWith('| CIS 3.0 1.6 '))!;
    expect(line).toContain('not evaluated');
    expect(line).toContain('root-hardware-mfa not in pack recommended');
  });
});
