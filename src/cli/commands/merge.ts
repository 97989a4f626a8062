import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { SEVERITIES, type Severity } from '../../model/index.js';
import { mergeResults, type NamedResult } from '../../core/baseline/index.js';
import { formatNames } from '../../core/format/registry.js';
import type { CliIO } from '../io.js';
import { collect } from '../options.js';
import { readResultFile } from '../../collectors/files/results.js';
import { talliesOf } from '../../core/pipeline/index.js';
import { gateOf, reportGate, reportRowsOption, resolveFormats, resultContext, writeReportSet } from '../reporting.js';

interface MergeOptions {
  format: string[];
  output?: string;
  outputDir?: string;
  failOn?: Severity | 'none';
  color: boolean;
  quiet?: boolean;
  reportRows?: number;
}

/** `credwarden merge result-*.json`: one result from the results of every shard. */
export function mergeCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return new Command('merge')
    .description('merge the JSON results of sharded scans (--shard K/N) into one result, with the findings of a single run')
    .argument('<results...>', 'JSON results of every shard')
    .addOption(
      new Option(
        '--format <name>',
        `output format (repeatable; default json, or from the --output extension): ${formatNames().join(', ')}`,
      ).argParser(collect),
    )
    .option('-o, --output <file>', 'write the (single) report to this file instead of stdout (its extension picks the format)')
    .option('--output-dir <dir>', 'write every --format to DIR/credwarden.<ext>')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a merged open finding is at or above this severity').choices([...SEVERITIES, 'none']),
    )
    .option('--no-color', 'disable colours (also: NO_COLOR)')
    .option('-q, --quiet', 'no progress on stderr')
    .addOption(reportRowsOption())
    .action(async (files: string[], options: MergeOptions) => {
      options.format ??= [];
      // merge's default is JSON (the input of the next step), unless --output names another format.
      resolveFormats(options, 'json');
      // Each shard is streamed, validated (waived findings against their waiver records) and collected:
      // the merged result is written whole until the report writers take a stream.
      const shards: NamedResult[] = [];
      for (const file of files) shards.push({ file, result: await readResultFile(resolve(io.cwd, file), file) });
      const merged = mergeResults(shards);
      const gate = gateOf(talliesOf(merged).gate, options, undefined, merged.waivers);
      await writeReportSet(merged, resultContext(merged, merged.tool.version), options, io, gate);
      setExitCode(reportGate(gate, io));
    });
}
