import { Command } from 'commander';
import { resolve } from 'node:path';
import { INPUT_LIMITS, readInputFile } from '../../collectors/files/input.js';
import { parseSnapshot } from '../../core/snapshot.js';
import type { CliIO } from '../io.js';
import { checkEvaluationOptions, evaluationOptions, type EvaluationOptions } from '../options.js';
import { asOfBeforeReports, evaluate, printWarnings, withPlans, formatContext, rulesetFor } from '../pipeline.js';
import {
  checkReportOptions,
  gateOf,
  refineResult,
  reportGate,
  reportOptions,
  shardSnapshot,
  writeReportSet,
  type ReportOptions,
} from '../reporting.js';

/** `credwarden evaluate SNAPSHOT`: re-run the rules on saved evidence. */
export function evaluateCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  const command = new Command('evaluate')
    .description('evaluate the rules on a saved snapshot (from scan --save-snapshot): same evidence, same findings')
    .argument('<snapshot>', 'snapshot JSON file');
  for (const option of [...evaluationOptions(), ...reportOptions()]) command.addOption(option);
  return command.action(async (file: string, options: EvaluationOptions & ReportOptions) => {
    options.format ??= [];
    checkEvaluationOptions(options);
    const shard = checkReportOptions(options);
    const loaded = rulesetFor(options, io);
    const snapshot = shardSnapshot(
      parseSnapshot(readInputFile(resolve(io.cwd, file), 'snapshot file', file, { maxBytes: INPUT_LIMITS.snapshot }), file),
      shard,
    );
    printWarnings(asOfBeforeReports(snapshot.accounts, options.asOf), options, io);
    const result = withPlans(await refineResult(evaluate(snapshot, loaded, options), loaded, options, io, shard), snapshot.accounts, io);
    const gate = gateOf(result, options, loaded.config?.value.failOn);
    await writeReportSet(result, (color) => formatContext(loaded, color), options, io, gate);
    setExitCode(reportGate(gate, io));
  });
}
