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
import { EXIT, SEVERITIES } from '../model/index.js';
import { applyWaivers, parseWaivers } from '../core/waivers/index.js';
import { BaselineComparison, parseShard, selectShard, type ShardSpec } from '../core/baseline/index.js';
import { formatJobSummary } from '../core/format/github.js';
import { guardTerminalOutput } from '../core/util/escape.js';
import { selectSarifResults } from '../core/format/sarif.js';
import {
  DEFAULT_MARKDOWN_ROWS,
  renderToString,
  reportChunks,
  type FormatContext,
  type FormatterEntry,
  type ReportChunks,
} from '../core/format/types.js';
import { describeGate, evaluateGate, type GateOutcome } from '../core/gate.js';
import { decideFormats, decideSettings, type SettingProblem } from '../core/settings.js';
import type { LoadedRuleset } from '../collectors/files/rules.js';
import { readInputFile } from '../collectors/files/input.js';
import { streamResultFile } from '../collectors/files/results.js';
import { UsageError } from './errors.js';
import type { CliIO } from './io.js';
import { useColor, writeFileSet, writeStdout, type OutputFile } from './io.js';
import type { EvaluationOptions } from './options.js';

/** Options added by the reports feature. */
export interface ReportOptions {
  outputDir?: string;
  waivers?: string;
  waiverMaxDays?: number;
  baseline?: string;
  failOnNew?: boolean;
  shard?: string;
  reportRows?: number;
}

/** What writing reports needs from the options. */
export type ReportWriteOptions = Pick<EvaluationOptions, 'format' | 'output' | 'color' | 'quiet'> &
  Pick<ReportOptions, 'outputDir' | 'reportRows'>;

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
    new Option(
      '--output-dir <dir>',
      `write every --format to DIR/credwarden.<ext> (default ${DEFAULT_OUTPUT_DIR}/ when several formats are given)`,
    ),
    new Option('--waivers <file>', "waivers YAML file: approved, expiring exceptions (default: the config file's `waivers`)"),
    new Option('--waiver-max-days <days>', 'furthest a waiver may expire from now (default 365)').argParser(positiveInteger),
    new Option('--baseline <result.json>', 'previous JSON result: mark findings new/existing and list resolved ones'),
    new Option('--fail-on-new', 'exit 1 only for open findings that are new since --baseline (at or above --fail-on, if given)'),
    new Option('--shard <K/N>', 'scan only shard K of N of the accounts (stable split by account id); combine with `credwarden merge`'),
    reportRowsOption(),
  ];
}

/** --report-rows: shared by every command that writes a Markdown report. */
export function reportRowsOption(): Option {
  return new Option(
    '--report-rows <n>',
    `findings listed in full in the Markdown report (default ${DEFAULT_MARKDOWN_ROWS}); the rest are counted, and listed in CSV/JSON`,
  ).argParser((value) => wholeNumber(value, 'rows', 0));
}

function positiveInteger(value: string): number {
  return wholeNumber(value, 'days', 1);
}

function wholeNumber(value: string, unit: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min)
    throw new UsageError(`'${value}' is not a ${min > 0 ? 'positive ' : ''}whole number of ${unit}`);
  return n;
}

/**
 * The formats to write, as decided by {@link decideFormats} (core/settings.ts): --format, else
 * the --output file's extension, else `fallback`. Normalises `options.format` to registered
 * names. @throws UsageError for the first problem
 */
export function resolveFormats(options: { format: string[]; output?: string }, fallback = 'text'): FormatterEntry[] {
  const decision = decideFormats(options, fallback);
  if ('problems' in decision) {
    const [problem] = decision.problems as [SettingProblem];
    throw new UsageError(problem.message, problem.suggestion);
  }
  options.format = decision.formats.map((f) => f.name);
  return decision.formats;
}

/** Checks option combinations before any work is done. */
export function checkReportOptions(options: EvaluationOptions & ReportOptions): ShardSpec | undefined {
  if (options.failOnNew && !options.baseline)
    throw new UsageError('--fail-on-new needs --baseline', "pass the previous scan's JSON result with --baseline FILE");
  if (options.output && options.outputDir)
    throw new UsageError('use either --output or --output-dir', '--output writes one format to a file; --output-dir writes every format');
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
  return {
    ...rest,
    accounts: selectShard(snapshot.accounts, spec, (a) => a.id),
    ...(skipped && skipped.length > 0 ? { skippedAccounts: skipped } : {}),
  };
}

/** Applies waivers, the baseline and the shard marker to a fresh result. @throws InputError */
export async function refineResult(
  result: ScanResult,
  loaded: LoadedRuleset,
  options: EvaluationOptions & ReportOptions,
  io: CliIO,
  shard?: ShardSpec,
): Promise<ScanResult> {
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
        if (w.state !== 'active')
          io.stderr(
            `credwarden: ${w.source ?? label}: warning: waiver ${w.state === 'expired' ? `expired on ${w.expires} and no longer applies` : 'matches no finding (stale)'}: ${w.rule} ${w.account} ${w.principal}\n`,
          );
      }
    }
  }
  if (options.baseline) {
    // The baseline is streamed: only the shared fingerprints and the resolved findings are kept.
    const comparison = new BaselineComparison(refined);
    await streamResultFile(resolve(io.cwd, options.baseline), { finding: (f) => comparison.add(f) }, options.baseline);
    refined = comparison.apply();
  }
  if (shard) refined = { ...refined, shard: { index: shard.index, count: shard.count } };
  return refined;
}

/** The waivers file (decided in core/settings.ts: --waivers, else the config file's, relative to it). */
function waiversPath(options: ReportOptions, loaded: LoadedRuleset, io: CliIO): string | undefined {
  const waivers = decideSettings(options.waivers ? { waivers: options.waivers } : {}, loaded.config?.value).waivers;
  if (!waivers) return undefined;
  return waivers.base === 'config' && loaded.config
    ? resolve(io.cwd, dirname(loaded.config.source.file), waivers.path)
    : resolve(io.cwd, waivers.path);
}

/** A path as the user would write it: relative to the working folder when inside it. */
function displayPath(path: string, io: CliIO): string {
  const rel = relative(io.cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/**
 * Streams every requested format to its destination: one format without
 * --output-dir goes to stdout (or --output); several formats, or --output-dir, go
 * to DIR/credwarden.<ext> with their companion files (plans, controls), written
 * as one set (see writeFileSet). GitHub annotations always go to stdout, where
 * the runner reads them, and the job summary (with the gate's verdict) is
 * appended to $GITHUB_STEP_SUMMARY. Returns the files written.
 */
export async function writeReportSet(
  result: ScanResult,
  contextFor: (color: boolean) => FormatContext,
  options: ReportWriteOptions,
  io: CliIO,
  gate?: GateOutcome,
): Promise<string[]> {
  const formatters = resolveFormats(options);
  const toDir = options.outputDir !== undefined || formatters.length > 1;
  const context = (useColour: boolean): FormatContext => ({
    ...repositoryRelative(contextFor(useColour), io),
    ...awsRegionOf(io),
    companions: toDir,
    ...(options.reportRows !== undefined ? { markdownRows: options.reportRows } : {}),
  });
  const fileContext = context(false);
  if (!options.quiet && formatters.some((f) => f.name === 'sarif')) warnSarifOmissions(result, fileContext, io);
  let written: string[] = [];
  if (toDir) {
    const dir = resolve(io.cwd, options.outputDir ?? DEFAULT_OUTPUT_DIR);
    const files: OutputFile[] = [];
    for (const formatter of formatters) {
      if (formatter.name === 'github') continue;
      files.push({ path: join(dir, `credwarden.${formatter.extension}`), chunks: reportChunks(formatter, result, fileContext) });
      for (const companion of formatter.companions?.(result, fileContext) ?? [])
        files.push({ path: join(dir, companion.name), chunks: companion.chunks });
    }
    const github = formatters.find((f) => f.name === 'github');
    if (github) await writeStdout(io, github.format(result, fileContext));
    await writeFileSet(files);
    written = files.filter((f) => f.chunks).map((f) => f.path);
  } else if (options.output) {
    const path = resolve(io.cwd, options.output);
    await writeFileSet([{ path, chunks: reportChunks(formatters[0] as FormatterEntry, result, fileContext) }]);
    written = [path];
  } else {
    // Standard output may be a terminal or a CI log, whatever the format: the last guard is here
    // (GitHub annotations are workflow commands by design, and escape their own values; a binary
    // format is refused on a terminal and written as bytes elsewhere).
    const only = formatters[0] as FormatterEntry;
    if (only.binary && io.stdoutIsTTY)
      throw new UsageError(
        `${only.name} is a binary format: it is not written to a terminal`,
        `add --output report.${only.extension} (or --output-dir DIR)`,
      );
    const chunks = reportChunks(only, result, context(useColor(io, !options.color)));
    await writeStdout(io, only.name === 'github' || !isTextChunks(chunks) ? chunks : guardTerminalOutput(chunks));
  }
  if (!options.quiet) for (const path of written) io.stderr(`credwarden: wrote ${displayPath(path, io)}\n`);
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (formatters.some((f) => f.name === 'github') && summaryFile) {
    // Bounded (a few tables of at most 50 rows): GitHub caps a job summary at 1 MiB.
    appendFileSync(summaryFile, `${renderToString(formatJobSummary(result, fileContext, gate))}\n`);
  }
  return written;
}

/** The region of ASFF ProductArns: AWS_REGION (or AWS_DEFAULT_REGION) when set. */
function awsRegionOf(io: CliIO): { awsRegion?: string } {
  const region = io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION;
  return region ? { awsRegion: region } : {};
}

/** GitHub rejects SARIF past its limits: say what was left out, and what to do instead. */
function warnSarifOmissions(result: ScanResult, context: FormatContext, io: CliIO): void {
  const selection = selectSarifResults(result, context);
  if (selection.omittedTotal === 0) return;
  const bySeverity = SEVERITIES.filter((s) => selection.omitted[s] > 0)
    .map((s) => `${selection.omitted[s]} ${s}`)
    .join(', ');
  io.stderr(
    `credwarden: warning: SARIF: ${selection.omittedTotal} of ${result.findings.length} findings left out (${bySeverity}) to stay within GitHub code scanning's limits (25,000 results per run, 10 MB gzipped); the most severe open findings are kept\n` +
      '  hint: every finding is in the JSON and CSV reports; to upload every finding, shard the scan (--shard K/N, one SARIF category per shard) or report only the more severe findings\n',
  );
}

/**
 * User rule files are loaded by absolute path; SARIF locations must be relative
 * to the repository (the working folder in CI) for code scanning to show them.
 */
function repositoryRelative(context: FormatContext, io: CliIO): FormatContext {
  if (!context.ruleSources) return context;
  const ruleSources = Object.fromEntries(
    Object.entries(context.ruleSources).map(([id, file]) => [id, isAbsolute(file) ? displayPath(file, io) : file]),
  );
  return { ...context, ruleSources };
}

/** The gate of a scan, evaluate or merge: the threshold decided in core/settings.ts (--fail-on, else the config file's failOn); --fail-on-new. */
export function gateOf(
  result: ScanResult,
  options: Pick<EvaluationOptions, 'failOn'> & Pick<ReportOptions, 'failOnNew'>,
  configFailOn: Severity | 'none' | undefined,
): GateOutcome {
  const failOn = decideSettings(
    options.failOn !== undefined ? { failOn: options.failOn } : {},
    configFailOn !== undefined ? { failOn: configFailOn } : undefined,
  ).failOn;
  return evaluateGate(result, {
    ...(failOn?.from === 'flag' ? { failOn: failOn.value } : {}),
    ...(failOn?.from === 'config' ? { configFailOn: failOn.value } : {}),
    ...(options.failOnNew ? { failOnNew: true } : {}),
  });
}

/**
 * The exit code of the gate (1 when it failed). A failed gate says on stderr which
 * gate failed and how many findings crossed it (even with --quiet: it explains the exit code).
 */
export function reportGate(gate: GateOutcome, io: CliIO): number {
  if (!gate.failed) {
    // A gate passed thanks to a waiver of every rule or every principal is named, even with --quiet.
    const sentence = describeGate(gate);
    if (sentence && gate.broadWaivers.length > 0) io.stderr(`credwarden: warning: ${sentence}\n`);
    return EXIT.ok;
  }
  io.stderr(`credwarden: ${describeGate(gate)}\n`);
  return EXIT.findings;
}

/** Whether a report's chunks are text produced synchronously (every format but the binary ones). */
function isTextChunks(chunks: ReportChunks): chunks is Iterable<string> {
  return Symbol.iterator in chunks;
}
