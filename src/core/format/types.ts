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
}

/** A pure function from a result to the text of a report. */
export type Formatter = (result: ScanResult, context: FormatContext) => string;

/** A registered output format. */
export interface FormatterEntry {
  /** Name used by `--format`. */
  name: string;
  /** One line for `--help`. */
  description: string;
  /** File extension used with `--output-dir`, without the dot. */
  extension: string;
  format: Formatter;
}
