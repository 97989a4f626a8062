import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { SEVERITIES, type Severity } from '../../model/index.js';
import { mergeResults } from '../../core/baseline/index.js';
import { listFormatters } from '../../core/format/registry.js';
import type { CliIO } from '../io.js';
import { collect } from '../options.js';
import { UsageError } from '../errors.js';
import { readResultFile } from '../../collectors/files/results.js';
import { reportGate, resultContext, writeReportSet } from '../reporting.js';

interface MergeOptions {
  format: string[];
  output?: string;
  outputDir?: string;
  failOn?: Severity | 'none';
  color: boolean;
  quiet?: boolean;
}

/** `credwarden merge result-*.json`: one result from the results of every shard. */
export function mergeCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  const formats = listFormatters().map((f) => f.name);
  return new Command('merge')
    .description('merge the JSON results of sharded scans (--shard K/N) into one result, with the findings of a single run')
    .argument('<results...>', 'JSON results of every shard')
    .addOption(new Option('--format <name>', `output format (repeatable; default json): ${formats.join(', ')}`).argParser(collect))
    .option('-o, --output <file>', 'write the (single) report to this file instead of stdout')
    .option('--output-dir <dir>', 'write every --format to DIR/credwarden.<ext>')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a merged open finding is at or above this severity').choices([...SEVERITIES, 'none']))
    .option('--no-color', 'disable colours (also: NO_COLOR)')
    .option('-q, --quiet', 'no progress on stderr')
    .action((files: string[], options: MergeOptions) => {
      options.format ??= ['json'];
      for (const format of options.format) if (!formats.includes(format)) throw new UsageError(`unknown format '${format}'`, `formats: ${formats.join(', ')}`);
      if (options.output && options.format.length > 1) throw new UsageError('--output takes a single --format', 'use --output-dir for several formats');
      const merged = mergeResults(files.map((file) => ({ file, result: readResultFile(resolve(io.cwd, file), file) })));
      writeReportSet(merged, resultContext(merged, merged.tool.version), options, io);
      setExitCode(reportGate(merged, { ...options }, undefined));
    });
}
