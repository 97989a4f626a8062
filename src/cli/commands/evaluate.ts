import { Command } from 'commander';
import { resolve } from 'node:path';
import { INPUT_LIMITS, readInputFile } from '../../collectors/files/input.js';
import { parseSnapshot } from '../../core/snapshot.js';
import type { CliIO } from '../io.js';
import { checkEvaluationOptions, evaluationOptions, type EvaluationOptions } from '../options.js';
import { asOfBeforeReports, printWarnings, rulesetFor, runPipeline } from '../pipeline.js';
import { checkReportOptions, reportOptions, shardSnapshot, type ReportOptions } from '../reporting.js';

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
    const { gateExit } = await runPipeline(
      loaded,
      options,
      io,
      async (pipeline) => {
        for (const account of snapshot.accounts) await pipeline.account(account);
        for (const outcome of snapshot.skippedAccounts ?? []) pipeline.outcome(outcome);
      },
      shard ? { shard } : {},
    );
    setExitCode(gateExit);
  });
}
