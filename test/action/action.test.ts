import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { runAction } from '../../src/action/main.js';
import { scanArguments } from '../../src/action/inputs.js';
import { cli, tempDir } from '../helpers/cli.js';
import { freshActionCheckout } from '../helpers/action-checkout.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface ActionYaml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: {
    using: string;
    steps: { id?: string; if?: string; uses?: string; with?: Record<string, string>; env?: Record<string, string>; run?: string }[];
  };
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYaml;
const scanStep = action.runs.steps.find((s) => s.id === 'scan');
const uploadStep = action.runs.steps.find((s) => s.id === 'upload');
/** Inputs that steps other than the scan read (Node setup, the artifact upload). */
const OTHER_STEP_INPUTS = ['node-version', 'upload-artifact', 'artifact-name', 'artifact-retention-days'];

/** The scan step's environment with `${{ inputs.x }}` filled from the defaults and `given`. */
function stepEnv(given: Record<string, string>): Record<string, string> {
  const values = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ''])), ...given };
  return Object.fromEntries(
    Object.entries(scanStep?.env ?? {}).map(([k, v]) => [
      k,
      v.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => values[name] ?? ''),
    ]),
  );
}

/** Parses a $GITHUB_OUTPUT file written in the heredoc form. */
function readOutputs(path: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([\w-]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    while (lines[++i] !== delimiter) value.push(lines[i] ?? '');
    outputs[name as string] = value.join('\n');
  }
  return outputs;
}

function fakeRunner(env: Record<string, string>) {
  const cwd = tempDir();
  const files = { output: join(cwd, 'github_output'), summary: join(cwd, 'step_summary') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { ...env, GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary },
    cwd,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    now: () => new Date('2026-11-02T00:00:00Z'),
  };
  return { io, cwd, files, out: () => ({ stdout, stderr }) };
}

describe('action.yml', () => {
  it('is a composite action that runs the committed bundle, without installing anything', () => {
    expect(scanStep?.run).toBe('node "$GITHUB_ACTION_PATH/dist-action/index.mjs"');
    expect(action.runs.steps.map((s) => s.run ?? '').join('\n')).not.toMatch(/npm|npx|yarn|pnpm/);
  });

  it('is a composite action whose scan step passes every input', () => {
    expect(action.runs.using).toBe('composite');
    const passed = Object.values(scanStep?.env ?? {}).map((v) => /inputs\.([\w-]+)/.exec(v)?.[1]);
    expect(passed.sort()).toEqual(
      Object.keys(action.inputs)
        .filter((i) => !OTHER_STEP_INPUTS.includes(i))
        .sort(),
    );
    for (const [key, value] of Object.entries(scanStep?.env ?? {}))
      expect(key).toBe(`INPUT_${(/inputs\.([\w-]+)/.exec(value)?.[1] ?? '').toUpperCase().replace(/-/g, '_')}`);
  });

  it('declares outputs that the scan step writes, and the uploaded artifact', () => {
    for (const [name, output] of Object.entries(action.outputs)) {
      expect(output.value).toBe(name === 'artifact-id' ? '${{ steps.upload.outputs.artifact-id }}' : `\${{ steps.scan.outputs.${name} }}`);
    }
  });

  it('uploads the reports folder (HTML report included by default) as an artifact, also when the gate fails', () => {
    expect(action.inputs.formats?.default?.split(',')).toContain('html');
    expect(uploadStep?.uses).toMatch(/^actions\/upload-artifact@v4$/);
    expect(uploadStep?.if).toContain('always()');
    expect(uploadStep?.if).toContain("inputs.upload-artifact == 'true'");
    expect(uploadStep?.with).toMatchObject({ name: '${{ inputs.artifact-name }}', path: '${{ inputs.output-dir }}' });
  });

  it('a from input of only separators reaches the CLI as an empty --from, which it refuses, never as a live scan', async () => {
    const args = scanArguments({ from: ' , ', formats: 'json' });
    expect(args.slice(0, 3)).toEqual(['scan', '--from', '']);
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--from/);
  });

  it('turns inputs into scan arguments', () => {
    expect(
      scanArguments({
        from: 'a, b',
        org: 'true',
        'fail-on': 'high',
        'fail-on-new': 'false',
        formats: 'markdown csv',
        'role-name': 'Audit',
      }),
    ).toEqual([
      'scan',
      '--from',
      'a',
      '--from',
      'b',
      '--fail-on',
      'high',
      '--role-name',
      'Audit',
      '--org',
      '--format',
      'json',
      '--format',
      'sarif',
      '--format',
      'github',
      '--format',
      'markdown',
      '--format',
      'csv',
      '--output-dir',
      'credwarden-reports',
      '--no-color',
    ]);
  });
});

describe('the action against the example organisation', () => {
  it('writes outputs, annotations, the job summary and the reports, and fails the gate', async () => {
    const runner = fakeRunner(stepEnv({ from: join(ROOT, 'examples/org'), 'fail-on': 'critical', formats: 'markdown,csv,junit,html' }));
    const code = await runAction(runner.io);
    expect(code).toBe(1);
    const outputs = readOutputs(runner.files.output);
    expect(outputs).toMatchObject({
      critical: '2',
      high: '2',
      medium: '12',
      low: '2',
      info: '0',
      open: '18',
      waived: '0',
      new: '0',
      'exit-code': '1',
    });
    for (const format of ['json', 'sarif', 'markdown', 'csv', 'junit', 'html']) {
      const path = outputs[`${format}-report`];
      expect(path && existsSync(path), `${format} report`).toBe(true);
    }
    // Every output the entry point writes is declared, and every declared one but the upload step's artifact id is written.
    expect(
      Object.keys(action.outputs)
        .filter((k) => k !== 'artifact-id')
        .sort(),
    ).toEqual(Object.keys(outputs).sort());
    expect(outputs).toMatchObject({ 'accounts-scanned': '4', 'accounts-failed': '0' });
    const { stdout } = runner.out();
    expect(stdout.split('\n').filter((l) => l.startsWith('::error ')).length).toBe(4);
    expect(stdout).toContain('::notice title=credwarden summary::18 open finding(s)');
    expect(readFileSync(runner.files.summary, 'utf8')).toMatch(/^## credwarden: ⚠️ 18 open findings/);
  });

  it('uses the baseline when it exists and scans without it on the first run', async () => {
    const first = fakeRunner(
      stepEnv({ from: join(ROOT, 'examples/org'), baseline: 'previous.json', 'fail-on-new': 'true', 'fail-on': 'none' }),
    );
    expect(await runAction(first.io)).toBe(0);
    expect(first.out().stdout).toContain('::notice title=credwarden::No baseline at previous.json');
    const previous = readOutputs(first.files.output)['json-report'] as string;
    const second = fakeRunner(stepEnv({ from: join(ROOT, 'examples/org'), baseline: previous, 'fail-on-new': 'true' }));
    expect(await runAction(second.io)).toBe(0);
    expect(readOutputs(second.files.output)).toMatchObject({ new: '0', resolved: '0', 'exit-code': '0' });
  });

  // The step exactly as action.yml runs it, on the bundle (built fresh from the sources: see freshActionCheckout).
  it('runs the scan step command from action.yml', { timeout: 120_000 }, () => {
    const runner = fakeRunner({});
    let status = 0;
    let stdout: string;
    try {
      stdout = execFileSync('bash', ['-c', scanStep?.run ?? 'false'], {
        cwd: runner.cwd,
        env: {
          PATH: process.env.PATH ?? '',
          GITHUB_ACTION_PATH: freshActionCheckout(),
          GITHUB_OUTPUT: runner.files.output,
          GITHUB_STEP_SUMMARY: runner.files.summary,
          ...stepEnv({ from: join(ROOT, 'examples/org') }),
        },
        encoding: 'utf8',
      });
    } catch (error) {
      const failed = error as { status: number; stdout: string };
      status = failed.status;
      stdout = failed.stdout;
    }
    // The default gate is `high`, and the example organisation has high findings.
    expect(status).toBe(1);
    expect(readOutputs(runner.files.output)).toMatchObject({ critical: '2', 'exit-code': '1' });
    expect(stdout).toMatch(/^::error title=/m);
    expect(readFileSync(runner.files.summary, 'utf8')).toContain('## credwarden:');
  });
});

describe('the command input', () => {
  it('merge: the shard results (a glob, as a shell would expand it) merged, with outputs of the merged result', async () => {
    const shards = fakeRunner({});
    for (const shard of ['1/2', '2/2']) {
      const runner = fakeRunner(
        stepEnv({
          from: join(ROOT, 'examples/org'),
          shard,
          'fail-on': 'none',
          formats: '',
          'output-dir': join(shards.cwd, 'shards', shard[0] as string),
        }),
      );
      expect(await runAction(runner.io)).toBe(0);
    }
    const merge = fakeRunner(
      stepEnv({ command: 'merge', results: join(shards.cwd, 'shards/*/credwarden.json'), 'fail-on': 'critical', formats: 'csv' }),
    );
    expect(await runAction(merge.io)).toBe(1);
    expect(readOutputs(merge.files.output)).toMatchObject({ critical: '2', 'accounts-scanned': '4', 'exit-code': '1' });
    expect(existsSync(readOutputs(merge.files.output)['csv-report'] ?? '')).toBe(true);
  });

  it('merge refuses a missing shard result (a glob that matches nothing stays as written)', async () => {
    const merge = fakeRunner(stepEnv({ command: 'merge', results: 'nowhere/*/credwarden.json' }));
    expect(await runAction(merge.io)).toBe(2);
    expect(readOutputs(merge.files.output)).toEqual({ 'exit-code': '2' });
  });

  it('trend: Markdown to the job summary, HTML to the output folder', async () => {
    const trend = fakeRunner(
      stepEnv({
        command: 'trend',
        results: `${join(ROOT, 'reports/examples/baseline.json')} ${join(ROOT, 'reports/examples/credwarden.json')}`,
        formats: 'html',
      }),
    );
    expect(await runAction(trend.io)).toBe(0);
    const outputs = readOutputs(trend.files.output);
    expect(readFileSync(outputs['html-report'] ?? '', 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    expect(readFileSync(trend.files.summary, 'utf8')).toMatch(/^## credwarden trend \(2 scans\)/);
  });

  it('publish: one result to Security Hub (dry run), and an unknown command is refused', async () => {
    const publish = fakeRunner(stepEnv({ command: 'publish', results: join(ROOT, 'reports/examples/credwarden.json'), 'dry-run': 'true' }));
    expect(await runAction(publish.io)).toBe(0);
    expect(readOutputs(publish.files.output)).toEqual({ 'exit-code': '0' });
    const unknown = fakeRunner(stepEnv({ command: 'deploy' }));
    expect(await runAction(unknown.io)).toBe(2);
    expect(unknown.out().stdout).toMatch(/^::error title=credwarden::unknown command input 'deploy'/);
  });
});
