/**
 * Every workflow's jobs, run step by step the way GitHub runs them (test/helpers/workflow-runner.ts):
 * credwarden's steps go through the action's entry point (the bundle that action.yml runs) with
 * INPUT_* and GITHUB_* variables, live scans against the sandbox organisation, the history step
 * under `bash -e` pushing to a local origin, and the merge job on the shard jobs' artifacts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FIXTURE_PATH, loadFixture, startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { freshActionCheckout } from '../helpers/action-checkout.js';
import { tempDir } from '../helpers/cli.js';
import { loadYaml, newRunnerState, runJob, type JobOptions, type Workflow } from '../helpers/workflow-runner.js';

const ROOT = resolve(import.meta.dirname, '../..');
const AUDIT_ROLE = 'CredwardenAudit';

let box: SandboxHandle | undefined;
let actionPath = '';
let awsEnv: Record<string, string> = {};

beforeAll(async () => {
  actionPath = freshActionCheckout();
  // The demo organisation, with the audit role that the example workflows assume in each member account.
  const fixture = loadFixture(join(ROOT, DEMO_FIXTURE_PATH));
  for (const account of fixture.accounts)
    if (account.id !== fixture.managementAccountId) account.roles = [...(account.roles ?? []), AUDIT_ROLE];
  box = await startSandbox({ fixture });
  awsEnv = {
    AWS_ENDPOINT_URL: box.endpoint,
    AWS_ACCESS_KEY_ID: box.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: box.credentials.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}, 120_000);

afterAll(async () => {
  await box?.close();
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A user's repository (waivers.yaml committed) with an origin that pushes land in. */
function userRepository(): { origin: string; clone: () => string } {
  const dir = tempDir();
  const origin = join(dir, 'origin.git');
  git(dir, 'init', '-q', '--bare', '-b', 'main', origin);
  const seed = join(dir, 'seed');
  git(dir, 'clone', '-q', `file://${origin}`, seed);
  writeFileSync(join(seed, 'waivers.yaml'), 'waivers: []\n');
  git(seed, 'add', '.');
  git(seed, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'seed');
  git(seed, 'push', '-q', 'origin', 'main');
  let n = 0;
  // Each run gets a fresh shallow checkout, as actions/checkout does.
  const clone = () => {
    const workspace = join(dir, `workspace-${++n}`);
    git(dir, 'clone', '-q', '--depth=1', `file://${origin}`, workspace);
    return workspace;
  };
  return { origin, clone };
}

function workflow(path: string): Workflow {
  return loadYaml<Workflow>(join(ROOT, path));
}

function options(workspace: string, state: JobOptions['state'], extra: Partial<JobOptions> = {}): JobOptions {
  return { workspace, state, actionPath, awsEnv, ...extra };
}

describe('the workflows use only what exists', () => {
  it('no workflow installs credwarden from a registry, and every credwarden step pins its action', () => {
    const files = [
      ...readdirSync(join(ROOT, '.github/workflows')).map((f) => `.github/workflows/${f}`),
      ...readdirSync(join(ROOT, 'examples/workflows')).map((f) => `examples/workflows/${f}`),
    ];
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(text, file).not.toMatch(/npx\s+(--yes\s+)?credwarden|npm (i|install)\s+(-g\s+)?credwarden/);
      for (const uses of text.matchAll(/uses:\s*(credwarden\/credwarden\S*)/g)) expect(uses[1], file).toMatch(/@(v\d+|[0-9a-f]{40})$/);
    }
  });
});

describe("credwarden's own CI: the action job", () => {
  it('scans two shards, merges them and shows the trend, through the action as GitHub runs it', { timeout: 300_000 }, async () => {
    const job = workflow('.github/workflows/ci.yml').jobs.action;
    expect(job).toBeDefined();
    const workspace = tempDir();
    symlinkSync(join(ROOT, 'examples'), join(workspace, 'examples'));
    const state = newRunnerState(join(tempDir(), 'runner'));
    const result = await runJob(job!, options(workspace, state));
    const failed = result.steps.filter((s) => s.outcome !== 'success');
    expect(failed.map((s) => `${s.name}: ${s.stderr.slice(-800)} ${s.stdout.slice(-800)}`)).toEqual([]);
    const merge = result.steps.find((s) => s.name === 'Merge the shards');
    expect(merge?.outputs).toMatchObject({ critical: '2', 'accounts-scanned': '4', 'accounts-failed': '0', 'exit-code': '0' });
    expect(existsSync(join(state.dir, 'artifacts/credwarden-ci-reports/credwarden.html'))).toBe(false); // html not requested
    expect(existsSync(join(state.dir, 'artifacts/credwarden-ci-reports/credwarden.xml'))).toBe(true);
    expect(result.summary).toMatch(/## credwarden/);
  });
});

describe('examples/workflows/scheduled-scan.yml', () => {
  it(
    'first and second night: scan the organisation live, keep the history on its branch, show the trend, gate on new findings',
    { timeout: 600_000 },
    async () => {
      const job = workflow('examples/workflows/scheduled-scan.yml').jobs.scan!;
      const repository = userRepository();
      const state = newRunnerState(join(tempDir(), 'runner'), '1001');

      // Night one: no baseline and no history branch yet. The gate (fail-on high) fails the scan step,
      // and every later step still runs: the history reaches the branch.
      const first = await runJob(job, options(repository.clone(), state));
      const byName = (name: string) => first.steps.find((s) => s.name === name);
      expect(byName('Scan the organisation')?.outcome).toBe('failure');
      expect(byName('Scan the organisation')?.outputs['exit-code']).toBe('1');
      expect(byName('Scan the organisation')?.outputs['accounts-scanned']).toMatch(/^[1-9]\d*$/);
      for (const step of ['Add the result to the history branch', 'Trend over the history', 'Keep this result as the next baseline'])
        expect({ step, outcome: byName(step)?.outcome, stderr: byName(step)?.stderr }).toMatchObject({ step, outcome: 'success' });
      expect(state.sarifUploads).toHaveLength(1);
      const history = git(repository.origin, 'ls-tree', '-r', '--name-only', 'credwarden-history').trim().split('\n');
      expect(history).toHaveLength(1);
      expect(history[0]).toMatch(/^results\/\d{4}-\d{2}-\d{2}T\d{6}Z\.json$/);
      expect(first.summary).toMatch(/^## credwarden trend \(1 scan/m); // the trend in the job summary
      expect(existsSync(join(state.dir, 'artifacts/credwarden-trend-1001/credwarden-trend.html'))).toBe(true);
      expect(existsSync(join(state.dir, 'artifacts/credwarden-reports-1001/credwarden.html'))).toBe(true);

      // Night two: the cached result is the baseline, nothing is new, so the gate passes; the
      // branch gains a second result on top of the first.
      state.runId = '1002';
      const second = await runJob(job, options(repository.clone(), state));
      expect(second.steps.filter((s) => s.outcome !== 'success').map((s) => `${s.name}: ${s.stderr}`)).toEqual([]);
      expect(second.steps.find((s) => s.name === 'Scan the organisation')?.outputs).toMatchObject({ new: '0', 'exit-code': '0' });
      expect(git(repository.origin, 'ls-tree', '-r', '--name-only', 'credwarden-history').trim().split('\n')).toHaveLength(2);
      expect(git(repository.origin, 'rev-list', '--count', 'credwarden-history').trim()).toBe('2');
    },
  );
});

describe('examples/workflows/sharded-scan.yml', () => {
  it('four shard jobs scan live, the merge job merges their artifacts into one gated result', { timeout: 600_000 }, async () => {
    const jobs = workflow('examples/workflows/sharded-scan.yml').jobs;
    const repository = userRepository();
    const state = newRunnerState(join(tempDir(), 'runner'), '2001');
    const shardJob = jobs.shard!;
    const scanned: number[] = [];
    for (const shard of shardJob.strategy?.matrix?.shard ?? []) {
      const result = await runJob(shardJob, options(repository.clone(), state, { matrix: { shard } }));
      expect(result.steps.filter((s) => s.outcome !== 'success').map((s) => `${s.name}: ${s.stderr}`)).toEqual([]);
      scanned.push(Number(result.steps.find((s) => /^Scan shard/.test(s.name))?.outputs['accounts-scanned']));
    }
    expect(scanned).toHaveLength(4);
    const workspace = join(tempDir(), 'merge');
    mkdirSync(workspace);
    const merge = await runJob(jobs.merge!, options(workspace, state));
    const step = merge.steps.find((s) => s.name === 'Merge the shards (fails if one is missing)');
    // The demo organisation has high findings: the merged gate fails, and SARIF is uploaded all the same.
    expect(step?.outputs).toMatchObject({ 'exit-code': '1', 'accounts-scanned': String(scanned.reduce((a, b) => a + b, 0)) });
    expect(merge.steps.find((s) => s.name === 'Upload SARIF to code scanning')?.outcome).toBe('success');
    expect(state.sarifUploads).toEqual([join(workspace, 'credwarden-reports/credwarden.sarif')]);
    expect(state.artifacts.has('credwarden-reports')).toBe(true);
  });
});
