import { Option } from 'commander';
import type { Severity } from '../model/index.js';
import { SEVERITIES } from '../model/index.js';
import { formatNames } from '../core/format/registry.js';
import { formatTimestamp, parseDateOrTimestamp } from '../core/util/time.js';
import { UsageError } from './errors.js';
import { builtInPacks } from '../collectors/files/rules.js';
import { resolveFormats } from './reporting.js';

import { collect } from './option-values.js';

export { collect };

/**
 * Appends paths (`--from a.csv b.csv`, `--from a --from b`, `--from a,b`). An empty path is
 * refused, never dropped: `--from "$EMPTY"` in CI must not turn into a live scan of real AWS.
 */
export function collectPaths(flag: string): (value: string, previous?: string[]) => string[] {
  return (value, previous = []) => {
    const parts = value.split(',').map((v) => v.trim());
    if (parts.some((p) => p === '')) {
      throw new UsageError(
        `${flag} was given an empty path`,
        `an unset variable? pass the saved reports' files or folders, e.g. ${flag} examples/org/`,
      );
    }
    return [...previous, ...parts];
  };
}

/** Options shared by every command that evaluates rules. */
export interface EvaluationOptions {
  asOf?: string;
  minSeverity?: Severity;
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
  return [
    new Option(
      '--as-of <time>',
      "evaluate at this ISO 8601 time or date (a date means midnight UTC) instead of each report's generated time",
    ),
    new Option('--min-severity <severity>', 'evaluate only the rules at or above this severity').choices([...SEVERITIES]),
    new Option('--pack <name|file>', `rule pack (built-in: ${builtInPacks().join(', ')}; default recommended) or a pack file`),
    new Option('--rules <dir>', 'add your own rules from this folder (repeatable)').argParser(collect),
    new Option('--config <file>', 'credwarden.config.yaml (default: ./credwarden.config.yaml when present)'),
    new Option(
      '--format <name>',
      `output format (repeatable; any case): ${formatNames().join(', ')}; default: from the --output extension (.json .csv .md .sarif .xml), else text`,
    ).argParser(collect),
    new Option('-o, --output <file>', 'write the (single) report to this file instead of stdout'),
    new Option('--fail-on <severity>', 'exit 1 when an open finding is at or above this severity').choices([...SEVERITIES, 'none']),
    new Option('--no-color', 'disable colours (also: NO_COLOR)'),
    new Option('-q, --quiet', 'no progress or warnings on stderr'),
    new Option('-v, --verbose', 'more detail on stderr'),
  ];
}

/**
 * Checks option values that commander cannot (time format, known formats) and normalises
 * --as-of to the one timestamp style (a plain date becomes midnight UTC).
 */
export function checkEvaluationOptions(options: EvaluationOptions): void {
  if (options.asOf !== undefined) {
    const ms = parseDateOrTimestamp(options.asOf);
    if (Number.isNaN(ms))
      throw new UsageError(
        `--as-of '${options.asOf}' is not an ISO 8601 date or time (or names a day the calendar does not have)`,
        'e.g. --as-of 2024-06-01 or --as-of 2024-06-01T12:00:00Z',
      );
    options.asOf = formatTimestamp(ms);
  }
  resolveFormats(options);
}
