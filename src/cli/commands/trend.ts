import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { EXIT, InputError } from '../../model/index.js';
import { buildTrend, formatTrend, TREND_FORMATS, type TrendFormat } from '../../core/trend/index.js';
import { readResultSeries } from '../../collectors/files/result-series.js';
import type { CliIO } from '../io.js';
import { writeFileAtomic } from '../io.js';
import { UsageError } from '../errors.js';
import { terminalText } from '../../core/util/escape.js';

interface TrendOptions {
  format: TrendFormat;
  output?: string;
  top: string;
  quiet?: boolean;
}

/** `credwarden trend RESULT.json… | DIR`: how findings evolve over a series of scans. */
export function trendCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return new Command('trend')
    .description(
      'the trend over a series of JSON results (files, or folders of them): open findings by severity, new and resolved per scan, time to remediate, oldest open findings, accounts no longer scanned',
    )
    .argument('<results...>', 'JSON results (schema 1 or 2, merged shards or shards of one scan), or folders searched for *.json')
    .addOption(new Option('--format <name>', 'output format').choices([...TREND_FORMATS]).default('text'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--top <n>', 'how many of the oldest open findings to list', '10')
    .option('-q, --quiet', 'no warnings on stderr')
    .action(async (paths: string[], options: TrendOptions) => {
      const top = Number(options.top);
      if (!Number.isInteger(top) || top < 0 || top > 10_000)
        throw new UsageError(`--top '${options.top}' is not a whole number from 0 to 10000`);
      const series = await readResultSeries(paths.map((label) => ({ path: resolve(io.cwd, label), label })));
      if (!options.quiet)
        for (const file of series.skipped)
          io.stderr(terminalText(`credwarden: skipped ${file.replace(/\r?\n/g, ' ')}: not a credwarden JSON result\n`));
      if (series.inputs.length === 0)
        throw new InputError([
          {
            severity: 'error',
            file: paths.join(' '),
            message: 'no credwarden JSON result found',
            suggestion: 'pass results written by `credwarden scan --format json`',
          },
        ]);
      const text = formatTrend(buildTrend(series.inputs, top), options.format);
      if (options.output) writeFileAtomic(resolve(io.cwd, options.output), text);
      else io.stdout(text);
      setExitCode(EXIT.ok);
    });
}
