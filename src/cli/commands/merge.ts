import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { SEVERITIES, type Severity } from '../../model/index.js';
import { MergeTallies, mergeRunHeader, mergedSlice } from '../../core/baseline/index.js';
import { formatNames } from '../../core/format/registry.js';
import type { CliIO } from '../io.js';
import { collect } from '../options.js';
import { streamResultFile } from '../../collectors/files/results.js';
import { ResultCollector } from '../../core/result/parse.js';
import { sliceResult, type AccountSlice, type RunHeader, type Tallies } from '../../core/pipeline/index.js';
import {
  gateOf,
  openReports,
  reportGate,
  reportRowsOption,
  resolveFormats,
  type ReportRun,
  type ReportWriteOptions,
} from '../reporting.js';

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
      // A shard whose header parts come after its accounts (keys reordered by hand) is only
      // known at its end: the merge then starts again, opening the reports once it is read.
      const merged = (await mergeFiles(files, options, io, 'stream')) ?? (await mergeFiles(files, options, io, 'whole'));
      if (!merged) throw new Error('a merge that waits for whole headers always finishes');
      const gate = gateOf(merged.tallies.gate, options, undefined, merged.tallies.waivers);
      await merged.run.finish(merged.tallies, gate);
      setExitCode(reportGate(gate, io));
    });
}

/** The header parts the reports take from the first shard before its accounts (see mergeRunHeader). */
const EARLY_PARTS = new Set(['tool', 'asOf', 'pack', 'rulesHash', 'rules', 'notes', 'frameworkCoverage', 'access']);

/**
 * Reads every shard into the reports. 'stream': the reports open with the first shard's header
 * parts, before its accounts; undefined when a shard stated one of those parts after its
 * accounts (its reports are discarded). 'whole': they open once the first shard is read, and
 * plans are written whole (the access they were planned with is not known then).
 * @throws InputError for an invalid shard, or shards that cannot be merged (nothing is written)
 */
async function mergeFiles(
  files: readonly string[],
  options: ReportWriteOptions,
  io: CliIO,
  mode: 'stream' | 'whole',
): Promise<{ run: ReportRun; tallies: Tallies } | undefined> {
  const reports = new MergedReports(options, io, mode);
  try {
    const tallies = new MergeTallies();
    for (const file of files) {
      if ((await mergeShard(file, reports, tallies, io)) === 'reordered') {
        reports.discard();
        return undefined;
      }
    }
    // Every shard is read: the checks (same scan, no account twice, none missing) come before any file is written.
    return { run: reports.run(), tallies: tallies.finish() };
  } catch (error) {
    reports.discard();
    throw error;
  }
}

/**
 * Streams one shard into the reports. A version 3 shard goes account by account, as it is read;
 * a version 1 or 2 shard lists its findings and plans apart from its accounts, so it is read
 * whole (as before) and then given account by account.
 */
async function mergeShard(file: string, reports: MergedReports, tallies: MergeTallies, io: CliIO): Promise<'reordered' | undefined> {
  const whole = new ResultCollector();
  let parts: Readonly<Record<string, unknown>> | undefined;
  let streamed = false;
  let reordered = false;
  const header = await streamResultFile(
    resolve(io.cwd, file),
    {
      ...whole.handlers,
      beforeAccounts(read) {
        parts = read;
        reports.openEarly(mergeRunHeader(read));
      },
      account(slice) {
        streamed = true;
        const merged = mergedSlice(slice);
        tallies.add(merged);
        reports.account(merged, parts);
      },
      partsAfterAccounts(keys) {
        reordered = keys.some((key) => EARLY_PARTS.has(key));
      },
    },
    file,
  );
  if (reordered && reports.mode === 'stream') return 'reordered';
  tallies.shard(file, header);
  if (streamed) {
    reports.openWhole(() => sliceResult({ ...whole.result(header), findings: reports.pendingFindings() }).header);
    return undefined;
  }
  const { header: run, slices } = sliceResult(whole.result(header));
  reports.openWhole(() => run);
  for (const slice of slices) {
    const merged = mergedSlice(slice);
    tallies.add(merged);
    reports.account(merged, undefined);
  }
  return undefined;
}

/**
 * The merge's reports: opened with the first shard's header (as soon as a version 3 shard has
 * stated it, or once a shard is read), then fed account by account. Accounts read before the
 * reports could open (a shard whose header comes after its accounts) wait for them.
 */
class MergedReports {
  private opened?: { run: ReportRun; header: RunHeader };
  private readonly pending: { slice: AccountSlice; parts: Readonly<Record<string, unknown>> | undefined }[] = [];

  constructor(
    private readonly options: ReportWriteOptions,
    private readonly io: CliIO,
    readonly mode: 'stream' | 'whole',
  ) {}

  /** Opens the reports with the header parts a shard states before its accounts ('stream' only). */
  openEarly(header: RunHeader | undefined): void {
    if (this.mode === 'stream') this.open(header);
  }

  /** Opens the reports with `header`, unless they are open or it is unknown. */
  private open(header: RunHeader | undefined): void {
    if (this.opened || !header) return;
    const ruleSources = Object.fromEntries(header.rules.flatMap((r) => (r.source ? [[r.id, r.source]] : [])));
    const run = openReports(header, (color) => ({ toolVersion: header.toolVersion, color, ruleSources }), this.options, this.io);
    this.opened = { run, header };
    for (const { slice, parts } of this.pending.splice(0)) this.account(slice, parts);
  }

  /** Opens the reports, once a shard is read, with its whole header (when no header opened them before). */
  openWhole(header: () => RunHeader): void {
    if (this.opened) return;
    // A merged result is not a shard.
    const { shard: _shard, ...merged } = header();
    this.open(merged);
  }

  /** The findings of the accounts waiting for the reports to open. */
  pendingFindings(): AccountSlice['findings'][number][] {
    return this.pending.flatMap((p) => [...p.slice.findings]);
  }

  /**
   * One account. Its plans are written compact (their facts) only when the merged result states
   * the access its shard planned with (the reader makes each plan again with it); else whole.
   */
  account(slice: AccountSlice, parts: Readonly<Record<string, unknown>> | undefined): void {
    if (!this.opened) {
      this.pending.push({ slice, parts });
      return;
    }
    const sameAccess =
      this.mode === 'stream' && parts !== undefined && JSON.stringify(parts.access) === JSON.stringify(this.opened.header.access);
    const { outlines: _outlines, ...whole } = slice;
    this.opened.run.account(sameAccess ? slice : whole);
  }

  run(): ReportRun {
    if (!this.opened) throw new Error('the reports of a merge open with its first shard');
    return this.opened.run;
  }

  discard(): void {
    this.opened?.run.discard();
  }
}
