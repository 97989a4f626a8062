/**
 * An output must never be one of the command's inputs: `scan --from r.csv -o r.csv` would
 * replace the credential report with the scan of it. Checked before anything is read, for
 * every command, by comparing the files themselves (device and inode, so a symlink, a hard
 * link or another spelling of the path is caught too).
 */
import { realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, extname, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from './errors.js';

/** Options that name files a command writes. */
const OUTPUT_FILE_OPTIONS = ['output', 'saveSnapshot'] as const;

/** Report files written to --output-dir all start with this name (credwarden.json, credwarden-plans.md, …). */
const REPORT_FILE_PREFIX = 'credwarden';

/** Default folder of several formats (mirrors DEFAULT_OUTPUT_DIR of reporting.ts, kept apart so this module loads nothing else). */
const DEFAULT_REPORT_DIR = 'reports';

/** Kinds of file the folder inputs read (reports, results, rules, procedures): an output of that kind inside one is an input next time, and may be one now. */
const FOLDER_INPUT_EXTENSIONS = new Set(['.csv', '.json', '.yaml', '.yml']);

/** The config file a command reads when --config is not given. */
const DEFAULT_CONFIG = 'credwarden.config.yaml';

/**
 * Refuses (exit 2) a command whose output file, or a report file of its output folder, is
 * one of its inputs: an argument, an option naming a file or folder, or the default config
 * file. Outputs that do not exist yet cannot be inputs.
 * @throws UsageError
 */
export function refuseOutputsOverInputs(command: Command, cwd: string): void {
  const options = command.opts() as Record<string, unknown>;
  const outputs = OUTPUT_FILE_OPTIONS.flatMap((name) => {
    const value = options[name];
    return typeof value === 'string' && value !== '' ? [{ flag: flagOf(command, name), label: value, path: resolve(cwd, value) }] : [];
  });
  const outputDir = reportDirOf(options, command);
  const inputs = inputPaths(command, options);
  if (command.options.some((o) => o.long === '--config') && options.config === undefined) inputs.push(DEFAULT_CONFIG);
  const inputFiles = inputs.flatMap((label) => {
    const path = resolve(cwd, label);
    const stats = statOrUndefined(path);
    return stats ? [{ label, path, stats }] : [];
  });
  for (const output of outputs) {
    const stats = statOrUndefined(output.path);
    if (!stats) continue;
    for (const input of inputFiles) {
      if (sameFile(stats, input.stats) || (input.stats.isDirectory() && readFromFolder(output.path, input.path)))
        throw clash(`${output.flag} ${output.label}`, input.label);
    }
  }
  if (outputDir) {
    const dir = realOrUndefined(resolve(cwd, outputDir));
    for (const input of inputFiles) {
      if (
        dir &&
        input.stats.isFile() &&
        realOrUndefined(dirname(input.path)) === dir &&
        basename(input.path).startsWith(REPORT_FILE_PREFIX)
      )
        throw clash(`--output-dir ${outputDir}`, input.label);
    }
  }
}

/** Every string value of an option that is not an output, and every argument: the paths a command may read. */
function inputPaths(command: Command, options: Record<string, unknown>): string[] {
  const outputNames = new Set<string>([...OUTPUT_FILE_OPTIONS, 'outputDir']);
  const values = Object.entries(options)
    .filter(([name]) => !outputNames.has(name))
    .flatMap(([, value]) => strings(value));
  return [...values, ...command.args.flatMap(strings)].filter((value) => value !== '');
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** --output-dir, or the default folder when several formats are written at once. */
function reportDirOf(options: Record<string, unknown>, command: Command): string | undefined {
  if (typeof options.outputDir === 'string') return options.outputDir;
  if (!command.options.some((o) => o.long === '--output-dir') || options.output !== undefined) return undefined;
  const formats = strings(options.format)
    .flatMap((f) => f.split(','))
    .filter((f) => f.trim() !== '');
  return formats.length > 1 ? DEFAULT_REPORT_DIR : undefined;
}

/** Whether a folder input would read this file (it lies below the folder and is of a kind folders are searched for). */
function readFromFolder(file: string, folder: string): boolean {
  const realFile = realOrUndefined(file);
  const realFolder = realOrUndefined(folder);
  return (
    realFile !== undefined &&
    realFolder !== undefined &&
    realFile.startsWith(realFolder.endsWith(sep) ? realFolder : realFolder + sep) &&
    FOLDER_INPUT_EXTENSIONS.has(extname(realFile).toLowerCase())
  );
}

function clash(output: string, input: string): UsageError {
  return new UsageError(
    `${output} would write over an input of this command (${input}); nothing was read or written`,
    'write the output to another file or folder',
    false,
  );
}

function flagOf(command: Command, name: string): string {
  return command.options.find((o) => o.attributeName() === name)?.long ?? `--${name}`;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function sameFile(a: Stats, b: Stats): boolean {
  // A terminal may be both read and written; a file or FIFO may not.
  return a.dev === b.dev && a.ino === b.ino && !a.isDirectory() && !a.isCharacterDevice();
}
