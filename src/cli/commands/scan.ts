import { Command } from 'commander';
import { resolve } from 'node:path';
import type { Snapshot } from '../../model/index.js';
import { serialiseSnapshot } from '../../core/snapshot.js';
import { collectFromFiles } from '../../collectors/files/reports.js';
import type { CliIO } from '../io.js';
import { writeFileAtomic } from '../io.js';
import { checkEvaluationOptions, collect, evaluationOptions, type EvaluationOptions } from '../options.js';
import { evaluate, withPlans, formatContext, printWarnings, rulesetFor } from '../pipeline.js';
import { checkReportOptions, refineResult, reportGate, reportOptions, shardSnapshot, writeReportSet, type ReportOptions } from '../reporting.js';
import { addAwsOptions, checkSourceConflicts, incompleteScanExit, type AwsScanOptions } from '../aws-options.js';
import type { LoadedRuleset } from '../../collectors/files/rules.js';

/** Options of `credwarden scan`. */
export interface ScanOptions extends EvaluationOptions, AwsScanOptions, ReportOptions {
  from?: string[];
  saveSnapshot?: string;
}

/** `credwarden scan`: collect credential reports, evaluate the rules, report and gate. */
export function scanCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  const command = new Command('scan')
    .description('scan saved credential reports (--from) or AWS, evaluate the rules, and report findings')
    .option('--from <path>', 'saved credential report CSV files or folders (repeatable); the account id comes from the ARNs', collect)
    .option('--save-snapshot <file>', 'also write the collected snapshot (JSON), for `credwarden evaluate` later');
  addAwsOptions(command);
  for (const option of [...evaluationOptions(), ...reportOptions()]) command.addOption(option);
  return command.action(async (options: ScanOptions) => {
    options.format ??= [];
    checkEvaluationOptions(options);
    checkSourceConflicts(options);
    const shard = checkReportOptions(options);
    const loaded = rulesetFor(options, io);
    const snapshot = shardSnapshot(await collectSnapshot(options, io, loaded), shard);
    const result = withPlans(refineResult(evaluate(snapshot, loaded, options), loaded, options, io, shard), snapshot, io);
    writeReportSet(result, (color) => formatContext(loaded, color), options, io);
    if (options.saveSnapshot) writeFileAtomic(resolve(io.cwd, options.saveSnapshot), serialiseSnapshot(snapshot));
    setExitCode(incompleteScanExit(snapshot, options) ?? reportGate(result, options, loaded.config?.value.failOn));
  });
}

async function collectSnapshot(options: ScanOptions, io: CliIO, loaded: LoadedRuleset): Promise<Snapshot> {
  // No --from: collect live from AWS (the caller's account, --org, --accounts/--ou) or the --demo sandbox.
  // Loaded on demand: offline scans never pay for the AWS SDK.
  if (!options.from || options.from.length === 0) return (await import('../live-scan.js')).collectLiveSnapshot(options, io, loaded);
  const { snapshot, warnings } = collectFromFiles(options.from.map((p) => resolve(io.cwd, p)));
  printWarnings(warnings, options, io);
  return snapshot;
}
