import type { ConfigFile, Severity } from '../model/index.js';
import { findFormatter, formatNames, formatterForFile } from './format/registry.js';
import type { FormatterEntry } from './format/types.js';

/**
 * One place decides each setting of a run that evaluates rules. Precedence, highest first: the
 * command-line flag, then credwarden.config.yaml, then the pack (which rules run, with which
 * severities and parameters: applied by buildRuleset), then the default. Folders of extra rules
 * add up instead. Output formats: --format, else the --output file's extension, else the command's
 * default (decideFormats). AWS settings are decided beside the clients
 * (collectors/aws/sdk-config.ts). Nothing here reads a file or throws a usage error: a decision
 * comes back as values or as a list of problems for the caller to report. See
 * docs/architecture.md, "Settings".
 */

/** The pack of a run when neither --pack nor the config names one. */
export const DEFAULT_PACK = 'recommended';

/** A decided value and where it came from (the gate names it: `failOn: high (config file)`). */
export interface Decided<T> {
  value: T;
  from: 'flag' | 'config' | 'default';
}

/** A path as written, and what it is relative to: the working folder (flags) or the config file's folder. */
export interface RelativePath {
  path: string;
  base: 'cwd' | 'config';
}

/** What the command line gave. */
export interface SettingFlags {
  pack?: string;
  rules?: readonly string[];
  failOn?: Severity | 'none';
  waivers?: string;
}

/** The settings of a run. */
export interface Settings {
  pack: Decided<string>;
  /** --rules, then the config's rulesDirs: both apply. */
  rulesDirs: RelativePath[];
  /** The gate's threshold; undefined: no gate. */
  failOn?: Decided<Severity | 'none'>;
  /** The waivers file; undefined: none. */
  waivers?: RelativePath;
}

/** Decides every setting from the flags and the config file (when there is one). */
export function decideSettings(
  flags: SettingFlags,
  config: Pick<ConfigFile, 'pack' | 'rulesDirs' | 'failOn' | 'waivers'> | undefined,
): Settings {
  const failOn = first(flags.failOn, config?.failOn);
  const waivers =
    flags.waivers !== undefined
      ? { path: flags.waivers, base: 'cwd' as const }
      : config?.waivers !== undefined
        ? { path: config.waivers, base: 'config' as const }
        : undefined;
  return {
    pack: first(flags.pack, config?.pack) ?? { value: DEFAULT_PACK, from: 'default' },
    rulesDirs: [
      ...(flags.rules ?? []).map((path) => ({ path, base: 'cwd' as const })),
      ...(config?.rulesDirs ?? []).map((path) => ({ path, base: 'config' as const })),
    ],
    ...(failOn ? { failOn } : {}),
    ...(waivers ? { waivers } : {}),
  };
}

function first<T>(flag: T | undefined, config: T | undefined): Decided<T> | undefined {
  if (flag !== undefined) return { value: flag, from: 'flag' };
  if (config !== undefined) return { value: config, from: 'config' };
  return undefined;
}

/** A setting that cannot be decided: what is wrong, and what to do instead. */
export interface SettingProblem {
  message: string;
  suggestion: string;
}

/** The formats of a run (registered formatters, each once), or why they cannot be decided. */
export type FormatDecision = { formats: FormatterEntry[] } | { problems: SettingProblem[] };

/**
 * Decides the output formats: the --format flags (any case; aliases such as `md`), else the
 * --output file's extension (`report.json` writes JSON), else `fallback` (`text`; `merge` uses
 * `json`). Unknown names come first among the problems; several formats with one --output file
 * are a problem too.
 */
export function decideFormats(flags: { format: readonly string[]; output?: string }, fallback = 'text'): FormatDecision {
  const names =
    flags.format.length > 0 ? flags.format : [(flags.output !== undefined ? formatterForFile(flags.output) : undefined)?.name ?? fallback];
  const unknown = names.filter((name) => findFormatter(name) === undefined);
  if (unknown.length > 0)
    return {
      problems: unknown.map((name) => ({ message: `unknown format '${name}'`, suggestion: `formats: ${formatNames().join(', ')}` })),
    };
  const formats = [...new Set(names.map((name) => findFormatter(name) as FormatterEntry))];
  if (flags.output && formats.length > 1)
    return { problems: [{ message: '--output takes a single --format', suggestion: 'use --output-dir for several formats' }] };
  return { formats };
}
