import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import type { ScanResult, Snapshot } from '../../model/index.js';
import { parseSnapshot } from '../../core/snapshot.js';
import { snapshotMismatch } from '../../core/snapshot-match.js';
import { planFindings, plansFromResult } from '../../core/remediation/index.js';
import { renderPlansJson, renderPlansMarkdown } from '../../core/format/plans/render.js';
import { collectFromFiles } from '../../collectors/files/reports.js';
import { loadCatalogue } from '../../collectors/files/procedures.js';
import { INPUT_LIMITS, readInputFile } from '../../collectors/files/input.js';
import { readResultFile } from '../../collectors/files/results.js';
import type { CliIO } from '../io.js';
import { terminalText } from '../../core/util/escape.js';
import { writeFileAtomic } from '../io.js';
import { collect, collectPaths, evaluationOptions, checkEvaluationOptions, type EvaluationOptions } from '../options.js';
import { evaluate, printWarnings, rulesetFor } from '../pipeline.js';
import { UsageError } from '../errors.js';
import { didYouMean } from '../../core/util/suggest.js';

/** Options of `credwarden plan`. */
export interface PlanCommandOptions extends EvaluationOptions {
  from?: string[];
  snapshot?: string;
  /** Plan from a snapshot of another scan anyway (--snapshot-mismatch-ok). */
  snapshotMismatchOk?: boolean;
  procedures?: string[];
  principal?: string;
  account?: string;
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
    .option(
      '--from <path...>',
      'scan these saved credential reports instead of reading a result (several after one --from, or repeated)',
      collectPaths('--from'),
    )
    .option('--snapshot <file>', 'the snapshot of the saved result (scan --save-snapshot): gives the planner every key slot')
    .option('--snapshot-mismatch-ok', 'plan even when --snapshot comes from another scan (other accounts or report times) than the result')
    .option('--procedures <dir>', 'your own or overriding procedures (repeatable; default: ./.credwarden/procedures when present)', collect)
    .option('--principal <name|arn>', "only this principal's full plan: an IAM user name, <root_account>, or an ARN")
    .option('--account <id>', 'with --principal: only in this account')
    .addOption(new Option('--format <name>', 'plan format').choices(['markdown', 'json']).default('markdown'))
    .option('-o, --output <file>', 'write the plans to this file instead of stdout');
  for (const option of evaluationOptions()) if (SCAN_OPTIONS.has(option.long ?? '')) command.addOption(option);
  return command.action(async (file: string | undefined, raw: Omit<PlanCommandOptions, 'planFormat'> & { format: string }) => {
    const options: PlanCommandOptions = { ...raw, format: [], color: false, planFormat: raw.format as 'markdown' | 'json' };
    if ((file === undefined) === (options.from === undefined || options.from.length === 0)) {
      throw new UsageError(
        'give either a saved result file or --from PATH',
        'e.g. credwarden plan result.json, or credwarden plan --from examples/org/',
      );
    }
    checkEvaluationOptions(options);
    if (options.account !== undefined && options.principal === undefined)
      throw new UsageError(
        '--account only narrows --principal',
        'e.g. credwarden plan result.json --principal alice --account 123456789012',
      );
    const catalogue = loadCatalogue(options.procedures ?? [], io.cwd);
    const { result: whole, snapshot } = file !== undefined ? await readSaved(file, options, io) : scan(options, io);
    const replan = file === undefined || snapshot !== undefined || options.procedures !== undefined || whole.plans.length === 0;
    const result = options.principal === undefined ? whole : onlyPrincipal(whole, options.principal, options.account);
    const plans = replan ? planFindings(result, catalogue, snapshot ? { accounts: snapshot.accounts } : {}) : plansFromResult(result);
    // Nobody renders Markdown in a terminal: there, placeholders read <ACCESS_KEY_ID_1>, not &lt;…&gt;.
    const terminal = !options.output && io.stdoutIsTTY;
    // Markdown quotes names from the reports, and is read in a terminal or a CI log: shown visibly, never obeyed.
    const text = options.planFormat === 'json' ? renderPlansJson(plans) : terminalText(renderPlansMarkdown(plans, { terminal }));
    if (options.output) writeFileAtomic(resolve(io.cwd, options.output), text);
    else io.stdout(text);
  });
}

/**
 * The result narrowed to one principal (by name or ARN, optionally in one account): its findings
 * and its plan, so one principal's full plan is cheap to print from an organisation's result.
 * @throws UsageError naming the closest principal when none matches
 */
function onlyPrincipal(result: ScanResult, principal: string, account: string | undefined): ScanResult {
  const matches = (p: { name: string; arn: string }, accountId: string) =>
    (p.arn === principal || p.name === principal) && (account === undefined || accountId === account);
  const findings = result.findings.filter((f) => matches(f.principal, f.accountId));
  if (findings.length === 0) {
    const names = new Set(result.findings.filter((f) => account === undefined || f.accountId === account).map((f) => f.principal.name));
    const close = didYouMean(principal, names);
    throw new UsageError(
      `no finding of principal '${principal}'${account === undefined ? '' : ` in account ${account}`} in this result, so it has no plan`,
      close ?? 'give an IAM user name, <root_account> (with --account), or an ARN from the result',
      false,
    );
  }
  return { ...result, findings, plans: result.plans.filter((p) => matches(p.principal, p.accountId)) };
}

function scan(options: PlanCommandOptions, io: CliIO): { result: ScanResult; snapshot: Snapshot } {
  const loaded = rulesetFor(options, io, options.procedures ?? []);
  const { snapshot, warnings } = collectFromFiles(
    (options.from ?? []).map((p) => resolve(io.cwd, p)),
    { asOfGiven: options.asOf !== undefined },
  );
  printWarnings(warnings, options, io);
  return { result: evaluate(snapshot, loaded, options), snapshot };
}

/**
 * A saved result, and its snapshot when given. Without --snapshot or --procedures the
 * plans the result carries are used as they are (the scan made them with the whole
 * snapshot); otherwise they are planned again from the findings.
 */
async function readSaved(file: string, options: PlanCommandOptions, io: CliIO): Promise<{ result: ScanResult; snapshot?: Snapshot }> {
  const result = await readResultFile(resolve(io.cwd, file), file);
  if (!options.snapshot) return { result };
  const snapshot = parseSnapshot(
    readInputFile(resolve(io.cwd, options.snapshot), 'snapshot file', options.snapshot, { maxBytes: INPUT_LIMITS.snapshot }),
    options.snapshot,
  );
  // A snapshot of another scan changes who can act and which administrators a plan names.
  const differences = snapshotMismatch(result, snapshot);
  if (differences.length > 0 && !options.snapshotMismatchOk)
    throw new UsageError(
      `${options.snapshot} is not the snapshot of ${file}: ${differences.join('; ')}`,
      'pass the snapshot saved by the same scan (scan --save-snapshot), or --snapshot-mismatch-ok to plan from it anyway',
    );
  if (differences.length > 0 && !options.quiet)
    io.stderr(`credwarden: warning: ${options.snapshot} is not the snapshot of ${file}: ${differences.join('; ')}\n`);
  return { result, snapshot };
}
