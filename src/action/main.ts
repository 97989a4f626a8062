/**
 * Entry point of the GitHub Action (action.yml runs `node dist/src/action/main.js`).
 * Reads the INPUT_* variables, runs `credwarden scan` in-process (annotations go
 * to stdout, the job summary to $GITHUB_STEP_SUMMARY), then writes the outputs
 * to $GITHUB_OUTPUT and exits with the scan's exit code.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { ScanResult } from '../model/index.js';
import { EXIT } from '../model/index.js';
import { findFormatter } from '../core/format/registry.js';
import { run } from '../cli/run.js';
import { processIO, type CliIO } from '../cli/io.js';
import { actionFormats, actionOutputDir, scanArguments, type ActionInputs } from './inputs.js';
import { actionOutputs, githubOutputText } from './outputs.js';

/**
 * The action's inputs from the environment: INPUT_FAIL_ON (or INPUT_FAIL-ON, as
 * JavaScript actions get it) becomes `fail-on`. No input name has an underscore.
 */
export function inputsFromEnv(env: Readonly<Record<string, string | undefined>>): ActionInputs {
  const inputs: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('INPUT_') && value !== undefined) inputs[key.slice('INPUT_'.length).toLowerCase().replace(/_/g, '-')] = value;
  }
  return inputs;
}

/** On the first scheduled run there is no previous result yet: scan without a baseline. */
function withoutMissingBaseline(inputs: ActionInputs, io: CliIO): ActionInputs {
  const baseline = inputs.baseline?.trim();
  if (!baseline || existsSync(resolve(io.cwd, baseline))) return inputs;
  io.stdout(
    `::notice title=credwarden::No baseline at ${baseline.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')} (first run?): scanning without one, gating on fail-on\n`,
  );
  return { ...inputs, baseline: '', 'fail-on-new': 'false' };
}

/** Runs the action with `io` (tests pass a fake one). Returns the exit code. */
export async function runAction(io: CliIO): Promise<number> {
  const inputs = withoutMissingBaseline(inputsFromEnv(io.env), io);
  const code = await run(scanArguments(inputs), io);
  const dir = resolve(io.cwd, actionOutputDir(inputs));
  const resultPath = join(dir, 'credwarden.json');
  if (code === EXIT.usage || !existsSync(resultPath)) return code;
  const result = JSON.parse(readFileSync(resultPath, 'utf8')) as ScanResult;
  const paths: Record<string, string> = {};
  for (const format of actionFormats(inputs)) {
    const extension = findFormatter(format)?.extension;
    const path = join(dir, `credwarden.${extension}`);
    if (format !== 'github' && existsSync(path)) paths[format] = path;
  }
  const outputFile = io.env.GITHUB_OUTPUT;
  if (outputFile) appendFileSync(outputFile, githubOutputText(actionOutputs(result, paths, code), randomUUID().replace(/-/g, '')));
  return code;
}

/** Process entry point. */
export async function main(): Promise<void> {
  process.exitCode = await runAction(processIO());
}

// Run when executed directly (node dist/src/action/main.js), not when imported by tests.
if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) await main();
