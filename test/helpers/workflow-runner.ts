/**
 * A local stand-in for a GitHub Actions runner, for the workflow tests: it runs a job's steps as
 * GitHub does, as far as that is possible without GitHub.
 * - `run:` steps go through `bash -e {0}` (`shell: bash`: `bash --noprofile --norc -eo pipefail {0}`),
 *   with `${{ }}` expressions substituted, in the job's workspace, with GITHUB_OUTPUT, GITHUB_ENV,
 *   GITHUB_STEP_SUMMARY and GITHUB_* variables.
 * - `if:` conditions are evaluated (status functions, `&&`, `||`, `==`, `!=`, `!`, parentheses);
 *   without a status function a step runs only while the job succeeds, as on GitHub.
 * - credwarden's own action (`uses: ./` or `credwarden/credwarden@…`) runs action.yml's composite
 *   steps: its `run:` step (the committed bundle) with the INPUT_* variables of its `env:`, and
 *   its upload step; its outputs are read back from $GITHUB_OUTPUT.
 * - Other actions are simulated by what they do to the workspace (cache, artifacts, AWS
 *   credentials pointing at the sandbox). An action it does not know fails the run, so a
 *   workflow cannot pass here by using something this runner ignores.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import picomatch from 'picomatch';
import { parse } from 'yaml';

/** A step of a workflow or of action.yml. */
export interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  run?: string;
  shell?: string;
}

/** A workflow job. */
export interface Job {
  needs?: string | string[];
  if?: string;
  strategy?: { matrix?: Record<string, unknown[]> };
  steps: Step[];
}

export interface Workflow {
  jobs: Record<string, Job>;
}

interface ActionYaml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { steps: Step[] };
}

/** What one step did. */
export interface StepRecord {
  name: string;
  outcome: 'success' | 'failure' | 'skipped';
  exitCode?: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/** Machine state shared by jobs of one simulated workflow run: artifacts, caches, SARIF uploads. */
export interface RunnerState {
  dir: string;
  runId: string;
  artifacts: Map<string, string>;
  caches: Map<string, string>;
  sarifUploads: string[];
}

export interface JobOptions {
  /** The job's workspace (a checkout, when the job checks out). */
  workspace: string;
  state: RunnerState;
  matrix?: Record<string, unknown>;
  /** Where credwarden's action is checked out (action.yml and its bundle): $GITHUB_ACTION_PATH. */
  actionPath: string;
  /** Environment set by aws-actions/configure-aws-credentials (the sandbox's endpoint and keys). */
  awsEnv?: Record<string, string>;
}

export interface JobResult {
  result: 'success' | 'failure';
  steps: StepRecord[];
  summary: string;
}

export function loadYaml<T>(path: string): T {
  return parse(readFileSync(path, 'utf8')) as T;
}

export function newRunnerState(dir: string, runId = '1001'): RunnerState {
  mkdirSync(dir, { recursive: true });
  return { dir, runId, artifacts: new Map(), caches: new Map(), sarifUploads: [] };
}

// ---------------------------------------------------------------- expressions

type Value = string | boolean | number;

interface Context {
  lookup(path: string): Value;
  status: { failed: boolean };
  workspace: string;
}

function truthy(value: Value): boolean {
  return value !== '' && value !== false && value !== 0;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(&&|\|\||==|!=|!|\(|\)|,|'(?:[^']|'')*'|[A-Za-z_][\w.-]*|\d+)/y;
  let index = 0;
  while (index < text.length) {
    if (/^\s*$/.test(text.slice(index))) break;
    re.lastIndex = index;
    const match = re.exec(text);
    if (!match) throw new Error(`runner: cannot read expression at '${text.slice(index)}'`);
    tokens.push(match[1] as string);
    index = re.lastIndex;
  }
  return tokens;
}

/** Evaluates a GitHub expression (the subset that the workflows use; anything else throws). */
export function evaluate(text: string, context: Context): Value {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => tokens[at++] as string;
  const expect = (token: string) => {
    if (next() !== token) throw new Error(`runner: expected '${token}' in ${text}`);
  };
  const primary = (): Value => {
    const token = next();
    if (token === undefined) throw new Error(`runner: unexpected end of ${text}`);
    if (token === '(') {
      const value = or();
      expect(')');
      return value;
    }
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (/^\d+$/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (peek() === '(') {
      next();
      const args: Value[] = [];
      while (peek() !== ')') {
        args.push(or());
        if (peek() === ',') next();
      }
      expect(')');
      return call(token, args, context);
    }
    return context.lookup(token);
  };
  const unary = (): Value => (peek() === '!' ? (next(), !truthy(unary())) : primary());
  const compare = (): Value => {
    const left = unary();
    if (peek() === '==' || peek() === '!=') {
      const op = next();
      const right = unary();
      const equal = String(left).toLowerCase() === String(right).toLowerCase();
      return op === '==' ? equal : !equal;
    }
    return left;
  };
  const and = (): Value => {
    let value = compare();
    while (peek() === '&&') {
      next();
      const right = compare();
      value = truthy(value) ? right : value;
    }
    return value;
  };
  function or(): Value {
    let value = and();
    while (peek() === '||') {
      next();
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  }
  const value = or();
  if (at !== tokens.length) throw new Error(`runner: unexpected '${peek()}' in ${text}`);
  return value;
}

function call(name: string, args: Value[], context: Context): Value {
  switch (name) {
    case 'always':
      return true;
    case 'success':
      return !context.status.failed;
    case 'failure':
      return context.status.failed;
    case 'cancelled':
      return false;
    case 'hashFiles': {
      const files = args.flatMap((pattern) => globFiles(context.workspace, String(pattern)));
      return files.length > 0 ? `hash-of-${files.length}-files` : '';
    }
    default:
      throw new Error(`runner: unknown function ${name}()`);
  }
}

/** `${{ … }}` in a string, substituted. */
export function substitute(text: string, context: Context): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => String(evaluate(expression, context)));
}

function conditionHolds(condition: string | undefined, context: Context): boolean {
  if (condition === undefined) return !context.status.failed;
  const expression = condition.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const withStatus = /\b(always|success|failure|cancelled)\(/.test(expression) ? expression : `success() && (${expression})`;
  return truthy(evaluate(withStatus, context));
}

// ---------------------------------------------------------------- files

/** Files below `cwd` that match a glob, relative, sorted. */
export function globFiles(cwd: string, pattern: string): string[] {
  const isMatch = picomatch(pattern);
  const walk = (dir: string, prefix: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
          const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
          if (entry.name === '.git') return [];
          return entry.isDirectory() ? walk(join(dir, entry.name), relative) : isMatch(relative) ? [relative] : [];
        })
      : [];
  return walk(cwd, '').sort();
}

/** Parses a $GITHUB_OUTPUT file (heredoc and `name=value` forms). */
export function readOutputFile(path: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  if (!existsSync(path)) return outputs;
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([\w-]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value: string[] = [];
      while (i + 1 < lines.length && lines[++i] !== heredoc[2]) value.push(lines[i] ?? '');
      outputs[heredoc[1] as string] = value.join('\n');
      continue;
    }
    const plain = /^([\w-]+)=(.*)$/.exec(line);
    if (plain) outputs[plain[1] as string] = plain[2] as string;
  }
  return outputs;
}

// ---------------------------------------------------------------- steps

let fileCounter = 0;
function stepFiles(state: RunnerState): { output: string; env: string; summary: string } {
  const n = ++fileCounter;
  const files = { output: join(state.dir, `output-${n}`), env: join(state.dir, `env-${n}`), summary: join(state.dir, `summary-${n}`) };
  for (const file of Object.values(files)) writeFileSync(file, '');
  return files;
}

/**
 * Runs a step's script as GitHub does. Asynchronous, so that a sandbox served by this same
 * process keeps answering while the step runs.
 */
async function runShell(
  script: string,
  shell: string | undefined,
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  // GitHub's defaults: `bash -e {0}` when no shell is named, the stricter form for `shell: bash`.
  if (shell !== undefined && shell !== 'bash') throw new Error(`runner: shell ${shell} is not simulated`);
  const scriptFile = join(env.RUNNER_TEMP ?? cwd, `step-${++fileCounter}.sh`);
  writeFileSync(scriptFile, script);
  const args = shell === 'bash' ? ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile] : ['-e', scriptFile];
  const child = spawn('bash', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => void (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => void (stderr += text));
  const code = await new Promise<number>((done) => child.on('close', (status) => done(status ?? 1)));
  return { code, stdout, stderr };
}

function baseEnv(options: JobOptions, files: { output: string; env: string; summary: string }): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: options.state.dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_RUN_ID: options.state.runId,
    GITHUB_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: options.state.dir,
    NO_COLOR: '1',
    ...(options.awsEnv
      ? {}
      : { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' }),
  };
}

function isCredwardenAction(uses: string): boolean {
  return uses === './' || /^credwarden\/credwarden@/.test(uses);
}

/** Runs credwarden's composite action (action.yml) with the step's `with:` values. */
async function runCredwardenAction(
  step: Step,
  given: Record<string, string>,
  options: JobOptions,
  jobEnv: Record<string, string>,
  summaryParts: string[],
): Promise<StepRecord> {
  const action = loadYaml<ActionYaml>(join(options.actionPath, 'action.yml'));
  for (const name of Object.keys(given))
    if (!(name in action.inputs)) throw new Error(`runner: ${step.uses} has no input '${name}' (step ${step.name ?? step.id})`);
  const inputs = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ''])), ...given };
  const stepOutputs: Record<string, Record<string, string>> = {};
  const status = { failed: false };
  let record: StepRecord = { name: step.name ?? step.uses ?? '', outcome: 'success', stdout: '', stderr: '', outputs: {} };
  const context: Context = {
    status,
    workspace: options.workspace,
    lookup: (path) => {
      const [scope, ...rest] = path.split('.');
      if (scope === 'inputs') return inputs[rest.join('.')] ?? '';
      if (scope === 'steps' && rest[1] === 'outputs') return stepOutputs[rest[0] as string]?.[rest.slice(2).join('.')] ?? '';
      if (path === 'github.action_path') return options.actionPath;
      throw new Error(`runner: unknown context ${path} in action.yml`);
    },
  };
  for (const inner of action.runs.steps) {
    if (!conditionHolds(inner.if, context)) continue;
    if (inner.uses?.startsWith('actions/setup-node@')) continue; // the test runs on Node 20 already
    if (inner.uses?.startsWith('actions/upload-artifact@')) {
      uploadArtifact(withValues(inner, context), options);
      continue;
    }
    if (inner.run === undefined) throw new Error(`runner: action.yml step ${inner.name} is not simulated`);
    const files = stepFiles(options.state);
    const env = {
      ...baseEnv(options, files),
      ...jobEnv,
      GITHUB_ACTION_PATH: options.actionPath,
      ...Object.fromEntries(Object.entries(inner.env ?? {}).map(([k, v]) => [k, substitute(String(v), context)])),
    };
    const outcome = await runShell(substitute(inner.run, context), inner.shell, env, options.workspace);
    const outputs = readOutputFile(files.output);
    if (inner.id) stepOutputs[inner.id] = outputs;
    summaryParts.push(readFileSync(files.summary, 'utf8'));
    record = { ...record, exitCode: outcome.code, stdout: outcome.stdout, stderr: outcome.stderr };
    if (outcome.code !== 0) status.failed = true;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, output]) => [name, substitute(output.value, context)]));
  return { ...record, outcome: status.failed ? 'failure' : 'success', outputs };
}

function withValues(step: Step, context: Context): Record<string, string> {
  return Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), context)]));
}

function uploadArtifact(values: Record<string, string>, options: JobOptions): void {
  const name = values.name ?? 'artifact';
  const source = resolve(options.workspace, values.path ?? '.');
  if (options.state.artifacts.has(name)) throw new Error(`runner: artifact ${name} uploaded twice (upload-artifact@v4 refuses that)`);
  if (!existsSync(source)) {
    if (values['if-no-files-found'] === 'error') throw new Error(`runner: no files for artifact ${name}`);
    return;
  }
  const target = join(options.state.dir, 'artifacts', name);
  cpSync(source, target, { recursive: true });
  options.state.artifacts.set(name, target);
}

/** Simulates a third-party action by its effect. */
function runOtherAction(uses: string, values: Record<string, string>, options: JobOptions, jobEnv: Record<string, string>): void {
  const [name] = uses.split('@');
  switch (name) {
    case 'actions/checkout':
    case 'actions/setup-node':
      return; // the workspace is a checkout already; the runner runs Node 20
    case 'aws-actions/configure-aws-credentials':
      if (!options.awsEnv) throw new Error('runner: AWS credentials asked for, but the test gave no sandbox');
      Object.assign(jobEnv, options.awsEnv, { AWS_REGION: values['aws-region'] ?? 'us-east-1' });
      return;
    case 'actions/cache/restore': {
      const keys = [values.key ?? '', ...(values['restore-keys'] ?? '').split('\n').filter(Boolean)];
      const hit = keys.map((key) => [...options.state.caches.entries()].find(([k]) => k.startsWith(key))).find(Boolean);
      if (hit) cpSync(hit[1], resolve(options.workspace, values.path ?? ''), { recursive: true });
      return;
    }
    case 'actions/cache/save': {
      const target = join(options.state.dir, 'caches', values.key ?? '');
      cpSync(resolve(options.workspace, values.path ?? ''), target, { recursive: true });
      options.state.caches.set(values.key ?? '', target);
      return;
    }
    case 'actions/upload-artifact':
      return uploadArtifact(values, options);
    case 'actions/download-artifact': {
      const isMatch = picomatch(values.pattern ?? '*');
      for (const [artifact, dir] of options.state.artifacts)
        if (isMatch(artifact)) cpSync(dir, join(resolve(options.workspace, values.path ?? '.'), artifact), { recursive: true });
      return;
    }
    case 'github/codeql-action/upload-sarif': {
      const file = resolve(options.workspace, values.sarif_file ?? '');
      JSON.parse(readFileSync(file, 'utf8'));
      options.state.sarifUploads.push(file);
      return;
    }
    default:
      throw new Error(`runner: action ${uses} is not simulated`);
  }
}

/** Runs one job of a workflow. */
export async function runJob(job: Job, options: JobOptions): Promise<JobResult> {
  const jobEnv: Record<string, string> = {};
  const outputs: Record<string, Record<string, string>> = {};
  const status = { failed: false };
  const records: StepRecord[] = [];
  const summaryParts: string[] = [];
  const context: Context = {
    status,
    workspace: options.workspace,
    lookup: (path) => {
      const [scope, ...rest] = path.split('.');
      if (scope === 'steps' && rest[1] === 'outputs') return outputs[rest[0] as string]?.[rest.slice(2).join('.')] ?? '';
      if (scope === 'steps' && rest[1] === 'outcome') return records.find((r) => r.name === rest[0])?.outcome ?? '';
      if (scope === 'matrix') return String(options.matrix?.[rest.join('.')] ?? '');
      if (path === 'github.run_id') return options.state.runId;
      if (path === 'github.workspace') return options.workspace;
      throw new Error(`runner: unknown context ${path}`);
    },
  };
  for (const step of job.steps) {
    const name = step.name ? substitute(step.name, context) : (step.uses ?? 'run');
    if (!conditionHolds(step.if, context)) {
      records.push({ name, outcome: 'skipped', stdout: '', stderr: '', outputs: {} });
      continue;
    }
    let record: StepRecord;
    if (step.uses && isCredwardenAction(step.uses)) {
      record = await runCredwardenAction(step, withValues(step, context), options, jobEnv, summaryParts);
    } else if (step.uses) {
      runOtherAction(step.uses, withValues(step, context), options, jobEnv);
      record = { name, outcome: 'success', stdout: '', stderr: '', outputs: {} };
    } else {
      const files = stepFiles(options.state);
      const env = {
        ...baseEnv(options, files),
        ...jobEnv,
        ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), context)])),
      };
      const outcome = await runShell(substitute(step.run ?? '', context), step.shell, env, options.workspace);
      summaryParts.push(readFileSync(files.summary, 'utf8'));
      record = {
        name,
        outcome: outcome.code === 0 ? 'success' : 'failure',
        exitCode: outcome.code,
        stdout: outcome.stdout,
        stderr: outcome.stderr,
        outputs: readOutputFile(files.output),
      };
    }
    records.push({ ...record, name });
    if (step.id) outputs[step.id] = record.outputs;
    if (record.outcome === 'failure') status.failed = true;
  }
  return { result: status.failed ? 'failure' : 'success', steps: records, summary: summaryParts.join('') };
}
