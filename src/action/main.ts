/**
 * Entry point of the GitHub Action. action.yml runs the committed bundle of this file
 * (`dist-action/index.mjs`, built by `npm run build:action`), so the action needs no install.
 * Reads the INPUT_* variables, runs the `command` input's credwarden command in-process
 * (annotations go to stdout, the job summary to $GITHUB_STEP_SUMMARY), then writes the
 * outputs to $GITHUB_OUTPUT and exits with the command's exit code.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { ScanResult } from '../model/index.js';
import { EXIT } from '../model/index.js';
import { findFormatter } from '../core/format/registry.js';
import { run } from '../cli/run.js';
import { processIO, type CliIO } from '../cli/io.js';
import { quietSdkNodeVersionWarning } from '../cli/main.js';
import {
  ACTION_COMMANDS,
  actionCommand,
  actionFormats,
  actionOutputDir,
  mergeArguments,
  publishArguments,
  scanArguments,
  trendArguments,
  trendExtension,
  type ActionInputs,
} from './inputs.js';
import { actionOutputs, githubOutputText } from './outputs.js';
import { expandResults } from './results.js';

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

/** A workflow command's message, escaped so that it stays one line. */
function commandText(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** On the first scheduled run there is no previous result yet: run without a baseline. */
function withoutMissingBaseline(inputs: ActionInputs, io: CliIO): ActionInputs {
  const baseline = inputs.baseline?.trim();
  if (!baseline || existsSync(resolve(io.cwd, baseline))) return inputs;
  io.stdout(`::notice title=credwarden::No baseline at ${commandText(baseline)} (first run?): running without one, gating on fail-on\n`);
  return { ...inputs, baseline: '', 'fail-on-new': 'false' };
}

function writeOutputs(io: CliIO, outputs: Readonly<Record<string, string>>): void {
  const outputFile = io.env.GITHUB_OUTPUT;
  if (outputFile) appendFileSync(outputFile, githubOutputText(outputs, randomUUID().replace(/-/g, '')));
}

/** After `scan` or `merge`: the counts and report paths of the result in the output folder. */
function reportOutputs(inputs: ActionInputs, io: CliIO, code: number): void {
  const dir = resolve(io.cwd, actionOutputDir(inputs));
  const resultPath = join(dir, 'credwarden.json');
  if (code === EXIT.usage || !existsSync(resultPath)) return writeOutputs(io, { 'exit-code': String(code) });
  const result = JSON.parse(readFileSync(resultPath, 'utf8')) as ScanResult;
  const paths: Record<string, string> = {};
  for (const format of actionFormats(inputs)) {
    const extension = findFormatter(format)?.extension;
    const path = join(dir, `credwarden.${extension}`);
    if (format !== 'github' && existsSync(path)) paths[format] = path;
  }
  writeOutputs(io, actionOutputs(result, paths, code));
}

/** `trend`: one file per format in the output folder; the Markdown one also goes to the job summary. */
async function runTrend(inputs: ActionInputs, io: CliIO): Promise<number> {
  const dir = resolve(io.cwd, actionOutputDir(inputs));
  mkdirSync(dir, { recursive: true });
  const pathOf = (format: string) => join(dir, `credwarden-trend.${trendExtension(format)}`);
  const paths: Record<string, string> = {};
  for (const args of trendArguments(inputs, expandResults(inputs.results, io.cwd), pathOf)) {
    const code = await run(args, io);
    const format = args[args.indexOf('--format') + 1] as string;
    if (code !== EXIT.ok) {
      writeOutputs(io, { 'exit-code': String(code) });
      return code;
    }
    paths[`${format}-report`] = pathOf(format);
  }
  const summary = io.env.GITHUB_STEP_SUMMARY;
  if (summary) appendFileSync(summary, `${readFileSync(pathOf('markdown'), 'utf8')}\n`);
  writeOutputs(io, { ...paths, 'exit-code': String(EXIT.ok) });
  return EXIT.ok;
}

/** `publish`: the one result of the `results` input, to Security Hub. */
async function runPublish(inputs: ActionInputs, io: CliIO): Promise<number> {
  const results = expandResults(inputs.results, io.cwd);
  if (results.length !== 1) {
    io.stdout(`::error title=credwarden::publish needs exactly one JSON result in the results input (got ${results.length})\n`);
    return EXIT.usage;
  }
  const code = await run(publishArguments(withoutMissingBaseline(inputs, io), results[0] as string), io);
  writeOutputs(io, { 'exit-code': String(code) });
  return code;
}

/** Runs the action with `io` (tests pass a fake one). Returns the exit code. */
export async function runAction(io: CliIO): Promise<number> {
  const inputs = inputsFromEnv(io.env);
  switch (actionCommand(inputs)) {
    case 'scan': {
      const scanInputs = withoutMissingBaseline(inputs, io);
      const code = await run(scanArguments(scanInputs), io);
      reportOutputs(scanInputs, io, code);
      return code;
    }
    case 'merge': {
      const code = await run(mergeArguments(inputs, expandResults(inputs.results, io.cwd)), io);
      reportOutputs(inputs, io, code);
      return code;
    }
    case 'trend':
      return runTrend(inputs, io);
    case 'publish':
      return runPublish(inputs, io);
    default:
      io.stdout(
        `::error title=credwarden::unknown command input '${commandText(inputs.command ?? '')}': use one of ${ACTION_COMMANDS.join(', ')}\n`,
      );
      return EXIT.usage;
  }
}

/** Process entry point. */
export async function main(): Promise<void> {
  quietSdkNodeVersionWarning();
  process.exitCode = await runAction(processIO());
}
