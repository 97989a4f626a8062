import type { ScanResult } from '../../model/index.js';
import type { AccountSlice, RunHeader, Tallies } from '../pipeline/types.js';
import { sliceResult } from '../pipeline/whole.js';

/** What a formatter may know besides the result. Everything here is data: formatters stay pure. */
export interface FormatContext {
  /** credwarden version, for report metadata. */
  toolVersion: string;
  /** Whether ANSI colours may be used (TTY and no NO_COLOR). Only the text formatter uses it. */
  color: boolean;
  /** Path of each rule's file relative to the repository/rules root, by rule id (for SARIF locations). */
  ruleSources?: Readonly<Record<string, string>>;
  /** Optional base URI that SARIF artifact locations are relative to. */
  sourceRoot?: string;
  /** AWS region of the Security Hub that ASFF findings are for (their ProductArn); default us-east-1. */
  awsRegion?: string;
  /**
   * Whether the report is written to a folder (--output-dir) with its companion files
   * (credwarden-plans.md, credwarden-controls.csv). Without it, a report that would
   * otherwise point to a companion says how to get that content instead.
   */
  companions?: boolean;
  /** Findings shown as full rows in the Markdown report before it only counts them (default {@link DEFAULT_MARKDOWN_ROWS}). */
  markdownRows?: number;
}

/** Default of {@link FormatContext.markdownRows}: enough to read, small enough for 5 MiB at any scale. */
export const DEFAULT_MARKDOWN_ROWS = 1000;

/**
 * A report being written, account by account (the streaming formatter contract). The file
 * is `head`, then every account's chunks in account-id order (the writer reorders them: a
 * sink never depends on the order in which accounts finish), joined by `separator` where
 * both sides are non-empty, then `tail`. `head` and `tail` come from {@link ReportSink.end},
 * after the last account, so both may use the tallies (totals, the control matrix).
 * Whatever a sink keeps between calls must not depend on arrival order: sums, or bounded
 * buffers with a total-order comparator.
 */
export interface ReportSink {
  /** The chunks of one account (may be none: the sink keeps what it needs). */
  account(slice: AccountSlice): Iterable<string>;
  /** Written between two accounts' non-empty chunks (e.g. `,` in a JSON array). */
  separator?: string;
  /**
   * The head, when it does not depend on the run (the same as every {@link SinkEnd.head} this
   * sink gives, e.g. a CSV header): the writer may then write the file as the accounts come,
   * rather than all of it at the end.
   */
  fixedHead?: () => Iterable<string>;
  end(tallies: Tallies): SinkEnd;
  /**
   * What the sink keeps for the whole organisation, declared so that several instances of it
   * (one per worker thread) can each take a share of the accounts and the main thread's
   * instance can join their states before {@link ReportSink.end}. A sink without it sees every
   * slice itself, on the main thread. See {@link SinkState}.
   */
  state?: SinkState;
}

/**
 * A sink's organisation state (the part of `account` that is not the account's own chunks):
 * `save()` gives what this instance has kept so far as structured-cloneable data (plain
 * objects, arrays, Maps, Sets: it crosses threads), and `absorb(saved)` adds another instance's
 * saved state to this one. Joining must not depend on order, like the state itself (sums,
 * bounded buffers with a total order), so the bytes are the same whatever instance saw which
 * account.
 */
export interface SinkState {
  save(): unknown;
  absorb(saved: unknown): void;
}

/** The state of a sink that keeps nothing between accounts: its chunks are all it gives. */
export const STATELESS: SinkState = { save: () => undefined, absorb: () => undefined };

/** What a sink writes once every account is in. */
export interface SinkEnd {
  head?: Iterable<string>;
  tail?: Iterable<string>;
  /** The file is not needed this time (a companion): a copy left by an earlier run is removed. */
  omit?: boolean;
  /** Things the user should know about this report (e.g. SARIF results left out), for stderr. */
  warnings?: readonly string[];
  /**
   * A binary report's whole file, made from the accounts' chunks as the writer kept them
   * (`accounts()` gives them in account-id order, and may be called again for another pass);
   * the writer ignores head and tail.
   */
  binary?: (accounts: () => Iterable<string>) => BinaryChunks;
}

/** Opens a sink for one run. */
export type SinkFactory = (header: RunHeader, context: FormatContext) => ReportSink;

/**
 * A pure function from a whole result to the text of a report, produced lazily in pieces.
 * Derived from the sink (see {@link defineFormatter}): for tests and small results.
 */
export type Formatter = (result: ScanResult, context: FormatContext) => Iterable<string>;

/** A binary report's bytes, produced while the writer reads them (the writer's pace bounds memory). */
export type BinaryChunks = AsyncIterable<Uint8Array>;

/** What a writer streams: a text report's pieces, or a binary report's bytes. */
export type ReportChunks = Iterable<string> | AsyncIterable<string | Uint8Array>;

/**
 * A file written beside the report with --output-dir. `chunks` is undefined when
 * the file is not needed this time: a copy left by an earlier run is then removed,
 * so a folder never mixes reports of two runs.
 */
export interface CompanionFile {
  /** File name inside the output folder, e.g. `credwarden-plans.md`. */
  name: string;
  chunks: Iterable<string> | undefined;
}

/** A companion file's sink (see {@link CompanionFile}). */
export interface CompanionSink {
  name: string;
  sink: ReportSink;
}

/** What a format declares; {@link defineFormatter} derives the whole-result functions. */
export interface FormatterDefinition {
  /** Name used by `--format`. */
  name: string;
  /** Other accepted names (e.g. `md` for markdown). Names are matched case-insensitively. */
  aliases?: readonly string[];
  /** One line for `--help`. */
  description: string;
  /** File extension used with `--output-dir`, without the dot. */
  extension: string;
  /** Extensions of an --output file that select this format when --format is not given. */
  infersFrom?: readonly string[];
  open: SinkFactory;
  /**
   * A binary format (xlsx): its sink's end gives `binary` instead of text, and writers never
   * send it to a terminal.
   */
  binary?: boolean;
  /** Files written beside the report with --output-dir (plans, controls). */
  openCompanions?: (header: RunHeader, context: FormatContext) => readonly CompanionSink[];
}

/** A registered output format. */
export interface FormatterEntry extends FormatterDefinition {
  /** The report of a whole result (the sink fed with its slices). */
  format: Formatter;
  /** The companion files of a whole result. */
  companions?: (result: ScanResult, context: FormatContext) => readonly CompanionFile[];
}

/** A format with its whole-result functions derived from its sink. */
export function defineFormatter(definition: FormatterDefinition): FormatterEntry {
  const openCompanions = definition.openCompanions;
  return {
    ...definition,
    format: (result, context) => {
      const { header, slices, tallies } = sliceResult(result);
      return fileChunks(definition.open(header, context), slices, tallies) ?? [];
    },
    ...(openCompanions
      ? {
          companions: (result: ScanResult, context: FormatContext) => {
            const { header, slices, tallies } = sliceResult(result);
            return openCompanions(header, context).map((c) => ({ name: c.name, chunks: fileChunks(c.sink, slices, tallies) }));
          },
        }
      : {}),
  };
}

/** The whole file of a sink fed with slices in account-id order, or undefined when omitted. */
export function fileChunks(sink: ReportSink, slices: readonly AccountSlice[], tallies: Tallies): Iterable<string> | undefined {
  const parts: string[][] = slices.map((slice) => Array.from(sink.account(slice)));
  const end = sink.end(tallies);
  if (end.omit) return undefined;
  return (function* () {
    yield* end.head ?? [];
    let first = true;
    for (const chunks of parts) {
      if (chunks.length === 0) continue;
      if (!first && sink.separator) yield sink.separator;
      first = false;
      yield* chunks;
    }
    yield* end.tail ?? [];
  })();
}

/** The whole text of a report: for small outputs and tests only; writers stream the chunks. */
export function renderToString(chunks: Iterable<string>): string {
  let text = '';
  for (const chunk of chunks) text += chunk;
  return text;
}
