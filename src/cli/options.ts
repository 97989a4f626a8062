import { Option } from 'commander';
import type { Severity } from '../model/index.js';
import { SEVERITIES } from '../model/index.js';
import { listFormatters } from '../core/format/registry.js';
import { parseTimestamp } from '../core/util/time.js';
import { UsageError } from './errors.js';

/** Appends repeated option values (`--rules a --rules b`, or `--rules a,b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/** Options shared by every command that evaluates rules. */
export interface EvaluationOptions {
  asOf?: string;
  pack?: string;
  rules?: string[];
  config?: string;
  format: string[];
  output?: string;
  failOn?: Severity | 'none';
  color: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/** Adds the evaluation options to a command. */
export function evaluationOptions(): Option[] {
  const formats = listFormatters().map((f) => f.name);
  return [
    new Option('--as-of <time>', 'evaluate at this ISO 8601 time instead of each report\'s generated time'),
    new Option('--pack <name|file>', 'rule pack (built-in: recommended, cis-aws-3.0, cis-aws-5.0) or a pack file'),
    new Option('--rules <dir>', 'add your own rules from this folder (repeatable)').argParser(collect),
    new Option('--config <file>', 'credwarden.config.yaml (default: ./credwarden.config.yaml when present)'),
    new Option('--format <name>', `output format (repeatable): ${formats.join(', ')}`).argParser(collect),
    new Option('-o, --output <file>', 'write the (single) report to this file instead of stdout'),
    new Option('--fail-on <severity>', 'exit 1 when an open finding is at or above this severity').choices([...SEVERITIES, 'none']),
    new Option('--no-color', 'disable colours (also: NO_COLOR)'),
    new Option('-q, --quiet', 'no progress or warnings on stderr'),
    new Option('-v, --verbose', 'more detail on stderr'),
  ];
}

/** Checks option values that commander cannot (time format, known formats). */
export function checkEvaluationOptions(options: EvaluationOptions): void {
  if (options.asOf !== undefined && Number.isNaN(parseTimestamp(options.asOf))) {
    throw new UsageError(`--as-of '${options.asOf}' is not an ISO 8601 time`, 'e.g. --as-of 2024-06-01T00:00:00Z');
  }
  const known = listFormatters().map((f) => f.name);
  for (const format of options.format) {
    if (!known.includes(format)) throw new UsageError(`unknown format '${format}'`, `formats: ${known.join(', ')}`);
  }
  if (options.output && options.format.length > 1) {
    throw new UsageError('--output takes a single --format', 'use --output-dir for several formats');
  }
}
