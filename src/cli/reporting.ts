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
import type { Finding, WaiverOutcome } from '../model/index.js';
import { EXIT } from '../model/index.js';
import { parseWaivers } from '../core/waivers/index.js';
import { parseShard, selectShard, type ShardSpec } from '../core/baseline/index.js';
import { openJobSummary } from '../core/format/github.js';
import { guardTerminalOutput } from '../core/util/escape.js';
import {
  DEFAULT_MARKDOWN_ROWS,
  renderToString,
  type FormatContext,
  type FormatterEntry,
  type ReportChunks,
  type ReportSink,
  type SinkEnd,
} from '../core/format/types.js';
import {
  baselineIndex,
  sliceResult,
  type AccountSlice,
  type GateCounts,
  type PipelineSettings,
  type RunHeader,
  type Tallies,
} from '../core/pipeline/index.js';
import { SpoolFolder, type Spool, type SpooledBytes, type SpoolRange } from './spool.js';
import type { SinkRecipe } from './workers/protocol.js';
import { WORKERS_AFTER_PRINCIPALS } from './workers/dispatch.js';
import { describeGate, evaluateGate, type GateOutcome } from '../core/gate.js';
import { decideFormats, decideSettings, type SettingProblem } from '../core/settings.js';
import type { LoadedRuleset } from '../collectors/files/rules.js';
import { readInputFile } from '../collectors/files/input.js';
import { streamResultFile } from '../collectors/files/results.js';
import { UsageError } from './errors.js';
import type { CliIO } from './io.js';
import { startFile, stillStarted, useColor, writeFileSet, writeStdout, type OutputChunks, type OutputFile } from './io.js';
import { EarlyFile } from './early-file.js';
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
  jobs?: number;
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
    new Option(
      '--jobs <n>',
      `threads that read, evaluate, plan and format accounts (default: the CPUs available; 1: this thread only); worker threads start once the scan has more than ${WORKERS_AFTER_PRINCIPALS.toLocaleString('en-US')} principals (a live scan keeps two threads for collecting and processing, one if they share this thread)`,
    ).argParser((value) => wholeNumber(value, 'threads', 1)),
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

/** The waivers and the baseline of a scan or evaluate, read from their files. @throws InputError */
export async function refinements(
  loaded: LoadedRuleset,
  options: EvaluationOptions & ReportOptions,
  io: CliIO,
): Promise<Pick<PipelineSettings, 'waivers' | 'baseline'>> {
  const waiversFile = waiversPath(options, loaded, io);
  let waivers: PipelineSettings['waivers'];
  if (waiversFile) {
    // Waivers expire relative to the evaluation time: --as-of when given (so an
    // evaluation of old evidence is reproducible), else the wall clock.
    const now = options.asOf ? new Date(options.asOf).toISOString() : io.now().toISOString();
    const label = displayPath(waiversFile, io);
    const list = parseWaivers(readInputFile(waiversFile, 'waivers file', label), label, {
      now,
      ...(options.waiverMaxDays ? { maxExpiryDays: options.waiverMaxDays } : {}),
      knownRules: loaded.ruleset.rules.map((r) => r.id),
    });
    waivers = { list, now };
  }
  const baseline = options.baseline
    ? baselineIndex(await baselineFindings(resolve(io.cwd, options.baseline), options.baseline))
    : undefined;
  return { ...(waivers ? { waivers } : {}), ...(baseline ? { baseline } : {}) };
}

/** A baseline's findings, streamed from its file (validated like every result read). @throws InputError */
async function baselineFindings(path: string, label: string): Promise<Pick<ScanResult, 'findings' | 'accounts' | 'asOf'>> {
  const findings: Finding[] = [];
  const header = await streamResultFile(path, { finding: (f) => findings.push(f) }, label);
  return { findings, accounts: header.accounts, asOf: header.asOf };
}

/** Warns about every waiver that did not apply: expired, or matching no finding (stale). */
export function warnWaivers(tallies: Tallies, options: { quiet?: boolean }, io: CliIO): void {
  if (options.quiet) return;
  for (const w of tallies.waivers ?? []) {
    if (w.state !== 'active')
      io.stderr(
        `credwarden: ${w.source ?? 'waivers'}: warning: waiver ${w.state === 'expired' ? `expired on ${w.expires} and no longer applies` : 'matches no finding (stale)'}: ${w.rule} ${w.account} ${w.principal}\n`,
      );
  }
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

/** A report destination: a file (or stdout), its sink, and the spool of its account chunks. */
interface Target {
  path?: string;
  sink: ReportSink;
  spool: Spool;
  /** How another thread opens the same sink: only for a sink that declares its state. */
  recipe?: SinkRecipe;
}

/** The reports of a run being written: accounts go in as the pipeline emits them. */
export interface ReportRun {
  account(slice: AccountSlice): void;
  /**
   * How a worker thread opens each report's sink, in the reports' order: undefined for a report
   * whose sink does not declare its state (it is written from slices on the main thread).
   */
  readonly recipes: readonly (SinkRecipe | undefined)[];
  /** The folder of the run's spools (worker threads write theirs there too). */
  readonly spoolDir: string;
  /**
   * An account rendered in a worker: where its chunks of each report with a recipe are in the
   * worker's spool files (recipes' order; undefined: none), and its slice for the reports without a recipe.
   */
  rendered(id: string, spooled: readonly ({ path: string; range: SpoolRange } | undefined)[], slice?: AccountSlice): void;
  /** Joins a worker's sink states (recipes' order) into this run's sinks, before `finish`. */
  absorb(states: readonly unknown[]): void;
  /**
   * No account before `frontier` in account-id order is still to come (undefined: none at all):
   * the reports that can be written as their accounts come take those spooled so far (see EarlyFile).
   */
  progress(frontier: string | undefined): void;
  /** Writes every report (head, the accounts in account-id order, tail); returns the files written. */
  finish(tallies: Tallies, gate?: GateOutcome): Promise<string[]>;
  /** Removes the spools of a run that stopped with an error. */
  discard(): void;
}

/**
 * Opens every requested format: one format without --output-dir goes to stdout (or
 * --output); several formats, or --output-dir, go to DIR/credwarden.<ext> with their
 * companion files (plans, controls), written as one set (see writeFileSet). GitHub
 * annotations always go to stdout, where the runner reads them, and the job summary (with
 * the gate's verdict) is appended to $GITHUB_STEP_SUMMARY. Each sink's account chunks are
 * spooled to a temporary file and joined in account-id order at the end.
 */
export function openReports(
  header: RunHeader,
  contextFor: (color: boolean) => FormatContext,
  options: ReportWriteOptions,
  io: CliIO,
): ReportRun {
  const formatters = resolveFormats(options);
  const toDir = options.outputDir !== undefined || formatters.length > 1;
  const context = (useColour: boolean): FormatContext => ({
    ...repositoryRelative(contextFor(useColour), io),
    ...awsRegionOf(io),
    companions: toDir,
    ...(options.reportRows !== undefined ? { markdownRows: options.reportRows } : {}),
  });
  const fileContext = context(false);
  const spools = new SpoolFolder();
  const target = (sink: ReportSink, path?: string, recipe?: SinkRecipe): Target => ({
    sink,
    spool: spools.create(),
    ...(path ? { path } : {}),
    ...(recipe && sink.state ? { recipe } : {}),
  });
  const files: Target[] = [];
  let stdout: Target | undefined;
  let stdoutGuarded = false;
  if (toDir) {
    const dir = resolve(io.cwd, options.outputDir ?? DEFAULT_OUTPUT_DIR);
    for (const formatter of formatters) {
      if (formatter.name === 'github') continue;
      const recipe = { format: formatter.name, context: fileContext };
      files.push(target(formatter.open(header, fileContext), join(dir, `credwarden.${formatter.extension}`), recipe));
      for (const companion of formatter.openCompanions?.(header, fileContext) ?? [])
        files.push(target(companion.sink, join(dir, companion.name), { ...recipe, companion: companion.name }));
    }
    const github = formatters.find((f) => f.name === 'github');
    if (github) stdout = target(github.open(header, fileContext), undefined, { format: github.name, context: fileContext });
  } else if (options.output) {
    const only = formatters[0] as FormatterEntry;
    files.push(target(only.open(header, fileContext), resolve(io.cwd, options.output), { format: only.name, context: fileContext }));
  } else {
    // Standard output may be a terminal or a CI log, whatever the format: the last guard is at
    // the write (GitHub annotations are workflow commands by design, and escape their own values;
    // a binary format is refused on a terminal and written as bytes elsewhere).
    const only = formatters[0] as FormatterEntry;
    if (only.binary && io.stdoutIsTTY)
      throw new UsageError(
        `${only.name} is a binary format: it is not written to a terminal`,
        `add --output report.${only.extension} (or --output-dir DIR)`,
      );
    const stdoutContext = context(useColor(io, !options.color));
    stdout = target(only.open(header, stdoutContext), undefined, { format: only.name, context: stdoutContext });
    stdoutGuarded = only.name !== 'github';
  }
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  let gateOutcome: GateOutcome | undefined;
  const jobSummary =
    formatters.some((f) => f.name === 'github') && summaryFile ? target(openJobSummary(header, fileContext, () => gateOutcome)) : undefined;
  const all = [...files, ...(stdout ? [stdout] : []), ...(jobSummary ? [jobSummary] : [])];
  /** The files begun while the scan runs, once `progress` is first called. */
  let early: Map<Target, EarlyFile> | undefined;
  const discardEarly = () => {
    for (const file of early?.values() ?? []) file.discard();
    early?.clear();
  };
  return {
    account(slice) {
      for (const t of all) t.spool.append(slice.id, t.sink.account(slice));
    },
    recipes: all.map((t) => t.recipe),
    spoolDir: spools.dir,
    rendered(id, spooled, slice) {
      for (const [i, t] of all.entries()) {
        const part = spooled[i];
        if (t.recipe) {
          if (part) t.spool.adopt(id, part.path, part.range);
        } else if (slice) t.spool.append(id, t.sink.account(slice));
        else throw new Error(`no slice of account ${id} for a report written on the main thread`);
      }
    },
    absorb(states) {
      for (const [i, t] of all.entries()) if (t.recipe) t.sink.state?.absorb(states[i]);
    },
    progress(frontier) {
      early ??= beginEarly(files);
      for (const file of early.values()) file.advance(frontier);
    },
    async finish(tallies, gate) {
      gateOutcome = gate;
      try {
        const ends = new Map(all.map((t) => [t, t.sink.end(tallies)]));
        if (!options.quiet) for (const end of ends.values()) for (const w of end.warnings ?? []) io.stderr(`credwarden: warning: ${w}\n`);
        // Files take the spooled accounts as the bytes they are; standard output and the job summary take text (they are guarded or appended as text).
        const chunksOf = (t: Target): ReportChunks | undefined => {
          const end = ends.get(t) as SinkEnd;
          if (end.omit) return undefined;
          return end.binary ? end.binary(() => t.spool.joinedText(t.sink.separator)) : joinedText(end, t);
        };
        const bytesOf = (t: Target): OutputChunks | undefined => {
          const end = ends.get(t) as SinkEnd;
          if (end.omit) return undefined;
          return end.binary ? end.binary(() => t.spool.joinedText(t.sink.separator)) : joinedBytes(end, t, () => spools.release(t.spool));
        };
        // A file begun during the scan takes the rest of its accounts, if it holds the first ones.
        const outputOf = (t: Target): OutputFile => {
          const begun = early?.get(t);
          early?.delete(t);
          const end = ends.get(t) as SinkEnd;
          const written = begun && !end.omit && !end.binary ? begun.writtenOf(t.spool.ordered()) : undefined;
          if (begun && written !== undefined && stillStarted(begun.file))
            return { path: t.path as string, started: begun.file, chunks: joinedBytes(end, t, () => spools.release(t.spool), written) };
          begun?.discard();
          return { path: t.path as string, chunks: bytesOf(t) };
        };
        if (stdout) {
          const chunks = chunksOf(stdout) ?? [];
          await writeStdout(io, stdoutGuarded && isTextChunks(chunks) ? guardTerminalOutput(chunks) : chunks);
        }
        const outputs: OutputFile[] = files.map(outputOf);
        await writeFileSet(outputs);
        const written = outputs.filter((f) => f.chunks).map((f) => f.path);
        if (!options.quiet) for (const path of written) io.stderr(`credwarden: wrote ${displayPath(path, io)}\n`);
        // Bounded (a few tables of at most 50 rows): GitHub caps a job summary at 1 MiB.
        const summaryChunks = jobSummary ? chunksOf(jobSummary) : undefined;
        if (summaryChunks && summaryFile && isTextChunks(summaryChunks)) appendFileSync(summaryFile, `${renderToString(summaryChunks)}\n`);
        return written;
      } finally {
        discardEarly();
        await spools.removed();
      }
    },
    discard: () => {
      discardEarly();
      spools.remove();
    },
  };
}

/** Begins the files whose head does not depend on the run, so that they are written as their accounts come. */
function beginEarly(files: readonly Target[]): Map<Target, EarlyFile> {
  const early = new Map<Target, EarlyFile>();
  for (const t of files) {
    const head = t.sink.fixedHead;
    const started = head && t.path !== undefined ? startFile(t.path) : undefined;
    if (head && started) early.set(t, new EarlyFile(started, t.spool, t.sink.separator ?? '', head()));
  }
  return early;
}

/** A report's whole text: head, the spooled accounts in account-id order, tail. */
function* joinedText(end: SinkEnd, t: Target): Generator<string> {
  yield* end.head ?? [];
  yield* t.spool.joinedText(t.sink.separator);
  yield* end.tail ?? [];
}

/**
 * A report's whole file: head and tail as text, the spooled accounts as the ranges of the spool
 * files that hold them, which the writer reads itself (never decoded to be encoded again; see
 * Spool.pieces): once the writer asks for the piece after the last account, it has read every
 * spooled byte, and `spooled` is called (the spool's files can go). With `written`, the head and
 * that many accounts are in the file already: only the rest is given.
 */
function* joinedBytes(end: SinkEnd, t: Target, spooled: () => void, written?: number): Generator<string | SpooledBytes> {
  if (written === undefined) yield* end.head ?? [];
  yield* t.spool.pieces(t.sink.separator, written ?? 0);
  spooled();
  yield* end.tail ?? [];
}

/** Writes the reports of a whole result (merge): the same sinks, fed account by account. */
export async function writeReportSet(
  result: ScanResult,
  contextFor: (color: boolean) => FormatContext,
  options: ReportWriteOptions,
  io: CliIO,
  gate?: GateOutcome,
): Promise<string[]> {
  const { header, slices, tallies } = sliceResult(result);
  const run = openReports(header, contextFor, options, io);
  for (const slice of slices) run.account(slice);
  return run.finish(tallies, gate);
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
  const ruleSources = Object.fromEntries(
    Object.entries(context.ruleSources).map(([id, file]) => [id, isAbsolute(file) ? displayPath(file, io) : file]),
  );
  return { ...context, ruleSources };
}

/** The gate of a scan, evaluate or merge: the threshold decided in core/settings.ts (--fail-on, else the config file's failOn); --fail-on-new. */
export function gateOf(
  counts: GateCounts,
  options: Pick<EvaluationOptions, 'failOn'> & Pick<ReportOptions, 'failOnNew'>,
  configFailOn: Severity | 'none' | undefined,
  waivers: readonly WaiverOutcome[] = [],
): GateOutcome {
  const failOn = decideSettings(
    options.failOn !== undefined ? { failOn: options.failOn } : {},
    configFailOn !== undefined ? { failOn: configFailOn } : undefined,
  ).failOn;
  return evaluateGate(
    counts,
    {
      ...(failOn?.from === 'flag' ? { failOn: failOn.value } : {}),
      ...(failOn?.from === 'config' ? { configFailOn: failOn.value } : {}),
      ...(options.failOnNew ? { failOnNew: true } : {}),
    },
    waivers,
  );
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
