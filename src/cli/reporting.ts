/**
 * Reports, waivers, baselines and shards for `scan` and `evaluate`: the options,
 * reading the waivers and baseline files, writing several formats at once, the
 * GitHub job summary, and the gate with --fail-on-new. The logic itself is in
 * src/core (waivers, baseline, format); this file only does the I/O around it.
 */
import { appendFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Option } from 'commander';
import type { ScanResult, Severity, Snapshot } from '../model/index.js';
import { EXIT } from '../model/index.js';
import { applyWaivers, parseWaivers } from '../core/waivers/index.js';
import { applyBaseline, hasNewFindings, parseShard, selectShard, type ShardSpec } from '../core/baseline/index.js';
import { reachesSeverity } from '../core/engine/result.js';
import { findFormatter } from '../core/format/registry.js';
import { formatJobSummary } from '../core/format/github.js';
import type { FormatContext } from '../core/format/types.js';
import type { LoadedRuleset } from '../collectors/files/rules.js';
import { readInputFile } from '../collectors/files/input.js';
import { readResultFile } from '../collectors/files/results.js';
import { UsageError } from './errors.js';
import type { CliIO } from './io.js';
import { useColor, writeFileAtomic } from './io.js';
import type { EvaluationOptions } from './options.js';

/** Options added by the reports feature. */
export interface ReportOptions {
  outputDir?: string;
  waivers?: string;
  waiverMaxDays?: number;
  baseline?: string;
  failOnNew?: boolean;
  shard?: string;
}

/** What writing reports needs from the options. */
export type ReportWriteOptions = Pick<EvaluationOptions, 'format' | 'output' | 'color' | 'quiet'> & Pick<ReportOptions, 'outputDir'>;

/** The format context of a result read from a file (merge): rule files come from the result. */
export function resultContext(result: ScanResult, toolVersion: string): (color: boolean) => FormatContext {
  const ruleSources = Object.fromEntries((result.rules ?? []).filter((r) => r.source).map((r) => [r.id, r.source as string]));
  return (color) => ({ toolVersion, color, ruleSources });
}

/** Default folder for --output-dir, and for several formats without --output. */
export const DEFAULT_OUTPUT_DIR = 'reports';

/** The report options, for `scan` and `evaluate`. */
export function reportOptions(): Option[] {
  return [
    new Option('--output-dir <dir>', `write every --format to DIR/credwarden.<ext> (default ${DEFAULT_OUTPUT_DIR}/ when several formats are given)`),
    new Option('--waivers <file>', 'waivers YAML file: approved, expiring exceptions (default: the config file\'s `waivers`)'),
    new Option('--waiver-max-days <days>', 'furthest a waiver may expire from now (default 365)').argParser(positiveInteger),
    new Option('--baseline <result.json>', 'previous JSON result: mark findings new/existing and list resolved ones'),
    new Option('--fail-on-new', 'exit 1 only for open findings that are new since --baseline (at or above --fail-on, if given)'),
    new Option('--shard <K/N>', 'scan only shard K of N of the accounts (stable split by account id); combine with `credwarden merge`'),
  ];
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`'${value}' is not a positive whole number of days`);
  return n;
}

/** Checks option combinations before any work is done. */
export function checkReportOptions(options: EvaluationOptions & ReportOptions): ShardSpec | undefined {
  if (options.failOnNew && !options.baseline) throw new UsageError('--fail-on-new needs --baseline', 'pass the previous scan\'s JSON result with --baseline FILE');
  if (options.output && options.outputDir) throw new UsageError('use either --output or --output-dir', '--output writes one format to a file; --output-dir writes every format');
  if (options.shard === undefined) return undefined;
  const spec = parseShard(options.shard);
  if (typeof spec === 'string') throw new UsageError(`--shard: ${spec}`, 'e.g. --shard 1/4 in the first of four jobs');
  return spec;
}

/** The accounts of one shard of a snapshot (skipped accounts are split the same way). */
export function shardSnapshot(snapshot: Snapshot, spec: ShardSpec | undefined): Snapshot {
  if (!spec) return snapshot;
  const { skippedAccounts, ...rest } = snapshot;
  const skipped = skippedAccounts ? selectShard(skippedAccounts, spec, (a) => a.id) : undefined;
  return { ...rest, accounts: selectShard(snapshot.accounts, spec, (a) => a.id), ...(skipped && skipped.length > 0 ? { skippedAccounts: skipped } : {}) };
}

/** Applies waivers, the baseline and the shard marker to a fresh result. @throws InputError */
export function refineResult(result: ScanResult, loaded: LoadedRuleset, options: EvaluationOptions & ReportOptions, io: CliIO, shard?: ShardSpec): ScanResult {
  let refined = result;
  const waiversFile = waiversPath(options, loaded, io);
  if (waiversFile) {
    // Waivers expire relative to the evaluation time: --as-of when given (so an
    // evaluation of old evidence is reproducible), else the wall clock.
    const now = options.asOf ? new Date(options.asOf).toISOString() : io.now().toISOString();
    const label = displayPath(waiversFile, io);
    const waivers = parseWaivers(readInputFile(waiversFile, 'waivers file', label), label, {
      now,
      ...(options.waiverMaxDays ? { maxExpiryDays: options.waiverMaxDays } : {}),
      knownRules: loaded.ruleset.rules.map((r) => r.id),
    });
    refined = applyWaivers(refined, waivers, now);
    if (!options.quiet) {
      for (const w of refined.waivers ?? []) {
        if (w.state !== 'active') io.stderr(`credwarden: ${w.source ?? label}: warning: waiver ${w.state === 'expired' ? `expired on ${w.expires} and no longer applies` : 'matches no finding (stale)'}: ${w.rule} ${w.account} ${w.principal}\n`);
      }
    }
  }
  if (options.baseline) refined = applyBaseline(refined, readResultFile(resolve(io.cwd, options.baseline), options.baseline));
  if (shard) refined = { ...refined, shard: { index: shard.index, count: shard.count } };
  return refined;
}

/** --waivers, else the config file's `waivers` (relative to the config file). */
function waiversPath(options: ReportOptions, loaded: LoadedRuleset, io: CliIO): string | undefined {
  if (options.waivers) return resolve(io.cwd, options.waivers);
  const fromConfig = loaded.config?.value.waivers;
  return fromConfig && loaded.config ? resolve(io.cwd, dirname(loaded.config.source.file), fromConfig) : undefined;
}

/** A path as the user would write it: relative to the working folder when inside it. */
function displayPath(path: string, io: CliIO): string {
  const rel = relative(io.cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/**
 * Renders every requested format, then writes them: one format without
 * --output-dir goes to stdout (or --output); several formats, or --output-dir,
 * go to DIR/credwarden.<ext>. GitHub annotations always go to stdout, where the
 * runner reads them, and the job summary is appended to $GITHUB_STEP_SUMMARY.
 */
export function writeReportSet(result: ScanResult, contextFor: (color: boolean) => FormatContext, options: ReportWriteOptions, io: CliIO): string[] {
  const formats = options.format.length > 0 ? options.format : ['text'];
  const toDir = options.outputDir !== undefined || formats.length > 1;
  const toFile = toDir || options.output !== undefined;
  const color = !toFile && useColor(io, !options.color);
  const context = (useColour: boolean) => ({ ...repositoryRelative(contextFor(useColour), io), ...awsRegionOf(io) });
  const rendered = formats.map((name) => {
    const formatter = findFormatter(name);
    if (!formatter) throw new UsageError(`unknown format '${name}'`);
    return { name, extension: formatter.extension, text: formatter.format(result, context(color)) };
  });
  const written: string[] = [];
  if (toDir) {
    const dir = resolve(io.cwd, options.outputDir ?? DEFAULT_OUTPUT_DIR);
    for (const r of rendered) {
      if (r.name === 'github') {
        io.stdout(r.text);
        continue;
      }
      const path = join(dir, `credwarden.${r.extension}`);
      writeFileAtomic(path, r.text);
      written.push(path);
      if (!options.quiet) io.stderr(`credwarden: wrote ${path}\n`);
    }
  } else if (options.output) {
    const path = resolve(io.cwd, options.output);
    writeFileAtomic(path, rendered[0]?.text ?? '');
    written.push(path);
  } else {
    for (const r of rendered) io.stdout(r.text);
  }
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (formats.includes('github') && summaryFile) appendFileSync(summaryFile, `${formatJobSummary(result, context(false))}\n`);
  return written;
}

/** The region of ASFF ProductArns: AWS_REGION (or AWS_DEFAULT_REGION) when set. */
function awsRegionOf(io: CliIO): { awsRegion?: string } {
  const region = io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION;
  return region ? { awsRegion: region } : {};
}

/**
 * User rule files are loaded by absolute path; SARIF locations must be relative
 * to the repository (the working folder in CI) for code scanning to show them.
 */
function repositoryRelative(context: FormatContext, io: CliIO): FormatContext {
  if (!context.ruleSources) return context;
  const ruleSources = Object.fromEntries(Object.entries(context.ruleSources).map(([id, file]) => [id, isAbsolute(file) ? displayPath(file, io) : file]));
  return { ...context, ruleSources };
}

/**
 * The exit code: --fail-on gates on open findings at or above a severity;
 * with --fail-on-new, only open findings new since the baseline count.
 */
export function reportGate(result: ScanResult, options: EvaluationOptions & ReportOptions, configFailOn: Severity | 'none' | undefined): number {
  const failOn = options.failOn ?? configFailOn;
  const threshold = failOn === 'none' ? undefined : failOn;
  if (options.failOnNew) {
    const reaches = (f: ScanResult['findings'][number]) => threshold === undefined || reachesSeverity([f], threshold);
    return hasNewFindings(result, reaches) ? EXIT.findings : EXIT.ok;
  }
  if (threshold === undefined) return EXIT.ok;
  return reachesSeverity(result.findings, threshold) ? EXIT.findings : EXIT.ok;
}
