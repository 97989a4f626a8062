import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

describe('credwarden plan', () => {
  it('plans a scan of saved reports as Markdown, with the never-executes header', async () => {
    const run = await cli(['plan', '--from', 'examples/org/']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# Remediation plans\n\n> credwarden never executes these plans/);
    expect(run.stdout).toContain('## 1. Root user — account 222222222222 (payments-prod)');
    expect(run.stdout).toContain('wherever a command below says `<ACCESS_KEY_ID_1>`');
  });

  it('in a terminal, prints placeholders as they are, without HTML escapes', async () => {
    const run = await cli(['plan', '--from', 'examples/org/'], { tty: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('wherever a command below says <ACCESS_KEY_ID_1>');
    expect(run.stdout).not.toMatch(/&lt;|&gt;/);
  });

  it('gives the same plans from a saved result and its snapshot as from the scan', async () => {
    const dir = tempDir();
    const scan = await cli([
      'scan',
      '--from',
      'examples/org/',
      '--format',
      'json',
      '--output',
      join(dir, 'result.json'),
      '--save-snapshot',
      join(dir, 'snap.json'),
    ]);
    expect(scan.code).toBe(0);
    const direct = await cli(['plan', '--from', 'examples/org/', '--format', 'json']);
    const saved = await cli(['plan', join(dir, 'result.json'), '--snapshot', join(dir, 'snap.json'), '--format', 'json']);
    expect(saved.code).toBe(0);
    expect(JSON.parse(saved.stdout)).toEqual(JSON.parse(direct.stdout));
    const evidenceOnly = await cli(['plan', join(dir, 'result.json'), '--format', 'json', '--output', join(dir, 'plans.json')]);
    expect(evidenceOnly.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'plans.json'), 'utf8')).accounts.length).toBeGreaterThan(0);
  });

  it("lists each principal's plan once in the JSON scan result, named by every planned finding", async () => {
    const scan = await cli(['scan', '--from', 'examples/org/', '--format', 'json']);
    const result = readResultText(scan.stdout);
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.plans.map((p) => p.principal.arn)).toEqual([...new Set(result.plans.map((p) => p.principal.arn))]);
    for (const f of result.findings) {
      const plan = result.plans.find((p) => p.id === f.remediation.planId);
      expect(plan?.principal.arn).toBe(f.principal.arn);
      expect(plan?.steps.length).toBeGreaterThan(0);
    }
  });

  it('plans a saved result with the plans it carries, the same as from the scan', async () => {
    const dir = tempDir();
    await cli(['scan', '--from', 'examples/org/', '--format', 'json', '--output', join(dir, 'result.json')]);
    const direct = await cli(['plan', '--from', 'examples/org/', '--format', 'json']);
    const saved = await cli(['plan', join(dir, 'result.json'), '--format', 'json']);
    expect(JSON.parse(saved.stdout)).toEqual({ ...JSON.parse(direct.stdout), unknownProcedures: [] });
  });

  it('applies procedure overrides from .credwarden/procedures', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.credwarden/procedures'), { recursive: true });
    writeFileSync(join(dir, '.credwarden/procedures/enable-user-mfa.yaml'), 'id: enable-user-mfa\nrunbook: https://wiki.example.com/mfa\n');
    const run = await cli(['plan', '--from', join(process.cwd(), 'examples/org/')], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('[Enable MFA for an IAM user: your runbook](https://wiki.example.com/mfa)');
  });

  it('reports an invalid procedure file with its line and exits 2', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'procs'));
    writeFileSync(join(dir, 'procs/rotate-access-key.yaml'), 'id: rotate-access-key\nrunbok: https://x\n');
    const run = await cli(['plan', '--from', join(process.cwd(), 'examples/org/'), '--procedures', 'procs'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/rotate-access-key\.yaml:2:1.*unknown property 'runbok' \(did you mean 'runbook'\?\)/);
    expect(run.stdout).toBe('');
  });

  it.each([
    [['plan'], /give either a saved result file or --from PATH/],
    [['plan', 'missing.json'], /result file not found/],
    [['plan', 'package.json'], /not a credwarden result/],
    [['plan', '--from', 'examples/org/', '--procedures', 'nowhere'], /procedures folder not found/],
    [['plan', '--from', 'examples/org/', '--format', 'html'], /Allowed choices are markdown, json/],
  ])('%s is a usage or input error (exit 2)', async (argv, message) => {
    const run = await cli(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});

describe('credwarden plan --principal: one full plan on demand', () => {
  it('prints only the named principal, by name or ARN, optionally in one account', async () => {
    const dir = tempDir();
    const scan = await cli(['scan', '--from', 'examples/org/', '--format', 'json', '--output', join(dir, 'result.json')]);
    expect(scan.code).toBe(0);
    const byName = await cli(['plan', join(dir, 'result.json'), '--principal', 'carol']);
    expect(byName.code).toBe(0);
    expect(byName.stdout).toContain('IAM user `carol`');
    expect(byName.stdout).toContain('**Steps**');
    expect(byName.stdout).not.toContain('IAM user `erin`');
    expect(byName.stdout).not.toContain('Root user');
    const byArn = await cli(['plan', join(dir, 'result.json'), '--principal', 'arn:aws:iam::222222222222:user/carol', '--format', 'json']);
    const set = JSON.parse(byArn.stdout) as { accounts: { plans: { principal: { name: string } }[] }[] };
    expect(set.accounts.flatMap((a) => a.plans.map((p) => p.principal.name))).toEqual(['carol']);
    const root = await cli(['plan', join(dir, 'result.json'), '--principal', '<root_account>', '--account', '222222222222']);
    expect(root.stdout).toContain('Root user — account 222222222222');
    expect(root.stdout).not.toContain('account 333333333333');
  });

  it('names the closest principal when none matches, with exit 2', async () => {
    const dir = tempDir();
    await cli(['scan', '--from', 'examples/org/', '--format', 'json', '--output', join(dir, 'result.json')]);
    const run = await cli(['plan', join(dir, 'result.json'), '--principal', 'carl']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no finding of principal 'carl'");
    expect(run.stderr).toContain('carol');
  });
});
