import { Command, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ScanResult, Snapshot } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import { parseSnapshot } from '../../core/snapshot.js';
import { planFindings, renderPlansJson, renderPlansMarkdown } from '../../core/remediation/index.js';
import { collectFromFiles } from '../../collectors/files/reports.js';
import { loadCatalogue } from '../../collectors/files/procedures.js';
import type { CliIO } from '../io.js';
import { writeFileAtomic } from '../io.js';
import { collect, evaluationOptions, checkEvaluationOptions, type EvaluationOptions } from '../options.js';
import { evaluate, printWarnings, rulesetFor } from '../pipeline.js';
import { UsageError } from '../errors.js';

/** Options of `credwarden plan`. */
export interface PlanCommandOptions extends EvaluationOptions {
  from?: string[];
  snapshot?: string;
  procedures?: string[];
  planFormat: 'markdown' | 'json';
}

/** Evaluation options that make sense when `plan` runs a scan itself. */
const SCAN_OPTIONS = new Set(['--as-of', '--pack', '--rules', '--config', '--quiet']);

/**
 * `credwarden plan`: remediation plans from a saved result (`plan result.json`) or
 * from a scan (`plan --from PATH`). Writes text only; it never runs a command.
 */
export function planCommand(io: CliIO): Command {
  const command = new Command('plan')
    .description('write remediation plans (Markdown or JSON) from a saved JSON result or a scan; credwarden never runs them')
    .argument('[result]', 'a JSON result written by `scan --format json`')
    .option('--from <path>', 'scan these saved credential reports instead of reading a result (repeatable)', collect)
    .option('--snapshot <file>', 'the snapshot of the saved result (scan --save-snapshot): gives the planner every key slot')
    .option('--procedures <dir>', 'your own or overriding procedures (repeatable; default: ./.credwarden/procedures when present)', collect)
    .addOption(new Option('--format <name>', 'plan format').choices(['markdown', 'json']).default('markdown'))
    .option('-o, --output <file>', 'write the plans to this file instead of stdout');
  for (const option of evaluationOptions()) if (SCAN_OPTIONS.has(option.long ?? '')) command.addOption(option);
  return command.action(async (file: string | undefined, raw: Omit<PlanCommandOptions, 'planFormat'> & { format: string }) => {
    const options: PlanCommandOptions = { ...raw, format: [], color: false, planFormat: raw.format as 'markdown' | 'json' };
    if ((file === undefined) === (options.from === undefined || options.from.length === 0)) {
      throw new UsageError('give either a saved result file or --from PATH', 'e.g. credwarden plan result.json, or credwarden plan --from examples/org/');
    }
    checkEvaluationOptions(options);
    const catalogue = loadCatalogue(options.procedures ?? [], io.cwd);
    const { result, snapshot } = file !== undefined ? readSaved(file, options, io) : scan(options, io);
    const plans = planFindings(result, catalogue, snapshot ? { accounts: snapshot.accounts } : {});
    const text = options.planFormat === 'json' ? renderPlansJson(plans) : renderPlansMarkdown(plans);
    if (options.output) writeFileAtomic(resolve(io.cwd, options.output), text);
    else io.stdout(text);
  });
}

function scan(options: PlanCommandOptions, io: CliIO): { result: ScanResult; snapshot: Snapshot } {
  const loaded = rulesetFor(options, io);
  const { snapshot, warnings } = collectFromFiles((options.from ?? []).map((p) => resolve(io.cwd, p)));
  printWarnings(warnings, options, io);
  return { result: evaluate(snapshot, loaded, options), snapshot };
}

function readSaved(file: string, options: PlanCommandOptions, io: CliIO): { result: ScanResult; snapshot?: Snapshot } {
  const result = parseResult(readInput(file, 'result', io), file);
  if (!options.snapshot) return { result };
  return { result, snapshot: parseSnapshot(readInput(options.snapshot, 'snapshot', io), options.snapshot) };
}

function readInput(file: string, what: string, io: CliIO): string {
  const path = resolve(io.cwd, file);
  if (!existsSync(path)) throw new InputError([{ severity: 'error', file, message: `${what} file not found` }]);
  return readFileSync(path, 'utf8');
}

/** A saved JSON result; only the parts the planner reads are checked. */
function parseResult(text: string, file: string): ScanResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError([{ severity: 'error', file, message: `not valid JSON: ${(error as Error).message}`, suggestion: 'write it with `credwarden scan --format json --output FILE`' }]);
  }
  const ok = value !== null && typeof value === 'object' && Array.isArray((value as ScanResult).findings) && Array.isArray((value as ScanResult).accounts);
  if (!ok) throw new InputError([{ severity: 'error', file, pointer: '', message: 'not a credwarden result: expected `findings` and `accounts` arrays', suggestion: 'write it with `credwarden scan --format json --output FILE`' }]);
  return value as ScanResult;
}
