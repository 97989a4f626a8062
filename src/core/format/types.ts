import type { ScanResult } from '../../model/index.js';

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
 * A pure function from a result to the text of a report, produced lazily in
 * pieces: the writer pulls the next piece only when the destination can take it,
 * so no report is ever held in memory as one string.
 */
export type Formatter = (result: ScanResult, context: FormatContext) => Iterable<string>;

/** A binary report's bytes, produced while the writer reads them (the writer's pace bounds memory). */
export type BinaryFormatter = (result: ScanResult, context: FormatContext) => AsyncIterable<Uint8Array>;

/** What a writer streams: a text report's pieces, or a binary report's bytes. */
export type ReportChunks = Iterable<string> | AsyncIterable<string | Uint8Array>;

/** The pieces a formatter writes for a result: its bytes when it is binary, else its text. */
export function reportChunks(entry: FormatterEntry, result: ScanResult, context: FormatContext): ReportChunks {
  return entry.binary ? entry.binary(result, context) : entry.format(result, context);
}

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

/** A registered output format. */
export interface FormatterEntry {
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
  format: Formatter;
  /**
   * A binary format (xlsx) produces bytes, asynchronously, instead of text: writers use this
   * instead of `format`, and never send it to a terminal.
   */
  binary?: BinaryFormatter;
  /** Files written beside the report with --output-dir (plans, controls). */
  companions?: (result: ScanResult, context: FormatContext) => readonly CompanionFile[];
}

/** The whole text of a report: for small outputs and tests only; writers stream the chunks. */
export function renderToString(chunks: Iterable<string>): string {
  let text = '';
  for (const chunk of chunks) text += chunk;
  return text;
}
