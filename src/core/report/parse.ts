import { parse } from 'csv-parse/sync';
import type { Diagnostic, Principal } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import { REPORT_COLUMNS } from './columns.js';
import { normaliseCells, RowError, type ColumnIndex } from './normalise.js';
import { recordTimes, unknownTimes, type PrincipalTimes } from './times.js';
import { parseArn } from './arn.js';
import { boundedPrincipal, nameProblem } from './names.js';

/** A parsed and normalised credential report of one account. */
export interface ParsedReport {
  accountId: string;
  partition: string;
  principals: Principal[];
  /** Non-fatal problems, e.g. columns AWS added that credwarden does not know yet. */
  warnings: Diagnostic[];
  /**
   * Rows whose user name or path IAM could not have written, as the errors `strictNames` makes
   * of them (without it they are also among the warnings): a live scan refuses on them itself.
   */
  tampered: Diagnostic[];
}

/** How strictly a report is read. */
export interface ParseOptions {
  /**
   * A row whose user name or path breaks IAM's rules is an error (the report is refused),
   * not a warning. Either way the row is named, and its over-long values are cut.
   */
  strictNames?: boolean;
}

/**
 * Parses the CSV text of an IAM credential report (RFC 4180, any line ending, with
 * or without a trailing newline) into normalised principals.
 *
 * @param text the report as AWS returns it (GetCredentialReport `Content`, decoded)
 * @param source file name or other label used in diagnostics
 * @throws InputError listing every problem (missing columns, bad field counts, bad values)
 */
export function parseCredentialReport(text: string, source: string, options: ParseOptions = {}): ParsedReport {
  checkLooksLikeReport(text, source);
  const rows = new ReportRows(source, options);
  // Each record is normalised as it is read: a row's cells die young, never a list of every row's.
  forEachRecord(text, source, (fields, line) => rows.add(fields, line));
  return rows.finish();
}

/** A report's rows as they are read: the header first, then each principal. */
class ReportRows {
  private header: string[] | undefined;
  private index: ColumnIndex | undefined;
  private warnings: Diagnostic[] = [];
  private readonly errors: Diagnostic[] = [];
  private readonly principals: Principal[] = [];
  /** The times of each principal, parsed as they were checked (see ./times.ts). */
  private readonly times: PrincipalTimes[] = [];
  private readonly lines: number[] = [];
  private readonly tampered: Diagnostic[] = [];

  constructor(
    private readonly source: string,
    private readonly options: ParseOptions,
  ) {}

  add(fields: string[], line: number): void {
    if (this.index === undefined) this.readHeader(fields, line);
    else this.row(fields, line, this.header!, this.index);
  }

  private readHeader(header: string[], line: number): void {
    if (header.length === 0 || (header.length === 1 && header[0] === '')) this.empty();
    const { index, warnings } = indexColumns(header, this.source, line);
    // A copy: the parser reuses the array it passes.
    this.header = [...header];
    this.index = index;
    this.warnings = warnings;
  }

  private empty(): never {
    throw new InputError([{ severity: 'error', file: this.source, line: 1, message: 'the credential report is empty' }]);
  }

  private row(fields: string[], line: number, header: string[], index: ColumnIndex): void {
    const { source, options } = this;
    if (fields.length === 1 && fields[0] === '') return; // blank line
    if (fields.length !== header.length) {
      this.errors.push({
        severity: 'error',
        file: source,
        line,
        message: `row has ${fields.length} fields, the header has ${header.length}`,
        suggestion: 'a user name containing a comma must be quoted ("a,b")',
      });
      return;
    }
    try {
      const times = unknownTimes();
      const principal = normaliseCells(fields, index, times);
      const problem = nameProblem(principal);
      if (problem) {
        this.tampered.push(tamperedRow(problem, source, line, index, { strictNames: true }));
        (options.strictNames ? this.errors : this.warnings).push(tamperedRow(problem, source, line, index, options));
      }
      this.principals.push(boundedPrincipal(principal));
      this.times.push(times);
      this.lines.push(line);
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      this.errors.push({
        severity: 'error',
        file: source,
        line,
        column: index[error.column] + 1,
        pointer: `/${error.column}`,
        message: `column '${error.column}': ${error.message}`,
      });
    }
  }

  finish(): ParsedReport {
    if (this.index === undefined) this.empty();
    const { source, errors, principals, warnings, tampered } = this;
    const accountId = checkSingleAccount(principals, this.lines, source, errors);
    if (errors.length > 0) throw new InputError(errors, `invalid credential report ${source}`);
    recordTimes(principals, this.times);
    return { accountId: accountId.id, partition: accountId.partition, principals, warnings, tampered };
  }
}

/** A row whose name or path IAM could not have written, named by file, line and row. */
function tamperedRow(problem: string, source: string, line: number, index: ColumnIndex, options: ParseOptions): Diagnostic {
  return {
    severity: options.strictNames ? 'error' : 'warning',
    file: source,
    line,
    column: index.user + 1,
    pointer: '/user',
    message: `row at line ${line}: ${problem}; IAM did not write this report as it is: it has been tampered with or damaged`,
    suggestion: options.strictNames
      ? 'take the report from IAM again (GetCredentialReport) and find out who changed it'
      : 'take the report from IAM again; --strict-names refuses such reports',
  };
}

/**
 * Refuses, in one message, text whose first line is not a credential report header (a README,
 * a credentials file, another CSV) before the CSV parser reports quotes or field counts.
 */
function checkLooksLikeReport(text: string, source: string): void {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const match = /^[ \t]*(?:\r\n|\n|\r)*/.exec(body);
  const start = match ? match[0].length : 0;
  const end = body.slice(start, start + 4096).search(/\r|\n/);
  const first = body.slice(start, end < 0 ? start + 4096 : start + end);
  if (first.trim() === '') return; // empty: reported as such below
  const known = new Set<string>(REPORT_COLUMNS);
  const hits = first.split(',').filter((name) => known.has(name.trim().replace(/^"(.*)"$/, '$1'))).length;
  if (hits >= 3) return;
  const line = body.slice(0, start).split(/\r\n|\n|\r/).length;
  throw new InputError(
    [
      {
        severity: 'error',
        file: source,
        line,
        message: `not an IAM credential report: the first line is not its header (expected the columns ${REPORT_COLUMNS.join(',')})`,
        suggestion: 'pass the CSV that GetCredentialReport returns (aws iam get-credential-report), one file per account',
      },
    ],
    `invalid credential report ${source}`,
  );
}

/**
 * Called with each record's fields and the line it starts on, in order; blank lines are skipped.
 * The fields are only valid during the call: the parser may reuse the array for the next record.
 */
type RecordVisitor = (fields: string[], line: number) => void;

function forEachRecord(text: string, source: string, visit: RecordVisitor): void {
  const body = text.replace(/^\uFEFF/, '');
  // Reports without a single quote character (nearly all of them) need no RFC 4180 state machine.
  if (!body.includes('"')) {
    splitUnquoted(body, visit);
    return;
  }
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(body, {
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const detail = error as { code?: string; lines?: number; column?: unknown };
    const field = typeof detail.column === 'number' ? ` (field ${detail.column + 1})` : '';
    throw new InputError([
      {
        severity: 'error',
        file: source,
        line: detail.lines,
        message: `not valid CSV${field}: ${CSV_PROBLEMS[detail.code ?? ''] ?? 'the text cannot be read as CSV'}`,
        suggestion: 'a field with a comma, quote or line break is enclosed in double quotes, and a quote inside it is doubled ("")',
      },
    ]);
  }
  // info.lines is the line a record ends on; quoted fields may span lines.
  for (const { record, info } of rows) visit(record, info.lines - countNewlines(record));
}

/**
 * csv-parse's problems in our words: its messages quote the field read so far ("value is
 * \"AKIA…\""), and a damaged report may hold a secret where a name should be.
 */
const CSV_PROBLEMS: Readonly<Record<string, string>> = {
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by something other than a comma or a line break',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a closing quote is followed by something other than a comma or a line break',
  INVALID_OPENING_QUOTE: 'a quote in the middle of a field that does not start with one',
  CSV_INVALID_OPENING_QUOTE: 'a quote in the middle of a field that does not start with one',
  CSV_QUOTE_NOT_CLOSED: 'a quote is opened and never closed',
  CSV_MAX_RECORD_SIZE: 'a record is larger than any credential report row',
};

/**
 * The fast path for text without quotes: every line is one record and every comma a
 * separator. Same records and line numbers as csv-parse with the options above, and as
 * splitting the text at line breaks and each line at commas, without the list of lines. The
 * cells are passed in one array, reused from row to row.
 */
function splitUnquoted(text: string, visit: RecordVisitor): void {
  const cells: string[] = [];
  // The next line feed and carriage return, each found again only once passed: a text without
  // carriage returns is searched for one once, not once per line.
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  let start = 0;
  for (let line = 1; ; line++) {
    if (lf >= 0 && lf < start) lf = text.indexOf('\n', start);
    if (cr >= 0 && cr < start) cr = text.indexOf('\r', start);
    const end = lf < 0 ? (cr < 0 ? text.length : cr) : cr < 0 || lf < cr ? lf : cr;
    if (end > start) {
      splitCells(ownCopy(text.slice(start, end)), cells);
      visit(cells, line);
    }
    if (end === text.length) return;
    start = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
  }
}

/** `line.split(',')` into `cells`, with the placeholders AWS writes most (N/A, true, false) as constants, not new strings. */
function splitCells(line: string, cells: string[]): void {
  let n = 0;
  let start = 0;
  for (;;) {
    const comma = line.indexOf(',', start);
    const end = comma < 0 ? line.length : comma;
    cells[n++] = cellOf(line, start, end);
    if (comma < 0) break;
    start = comma + 1;
  }
  cells.length = n;
}

/** The text of `line` from `start` to `end`: a constant when it is N/A, true or false. */
function cellOf(line: string, start: number, end: number): string {
  const length = end - start;
  const first = line.charCodeAt(start);
  if (length === 3 && first === 78 && line.charCodeAt(start + 1) === 47 && line.charCodeAt(start + 2) === 65) return 'N/A';
  if (length === 4 && first === 116 && line.startsWith('true', start)) return 'true';
  if (length === 5 && first === 102 && line.startsWith('false', start)) return 'false';
  return line.slice(start, end);
}

/**
 * The line as a string of its own. A field split from the report's text is a slice of it (V8
 * keeps the parent alive), so one finding kept by a report (SARIF's bounded heap holds 25,000)
 * would keep its whole report's text: 111 MiB of report texts at 1,000,500 principals. Split
 * from a copy of its line, a field keeps only that line.
 */
function ownCopy(line: string): string {
  return ` ${line}`.slice(1);
}

function countNewlines(fields: string[]): number {
  let count = 0;
  for (const field of fields) for (const ch of field) if (ch === '\n') count++;
  return count;
}

function indexColumns(header: string[], source: string, headerLine: number): { index: ColumnIndex; warnings: Diagnostic[] } {
  const names = header.map((name) => name.trim());
  // A second `mfa_active` or `user` column would silently replace the first: refuse it.
  const firstAt = new Map<string, number>();
  const duplicates: Diagnostic[] = [];
  names.forEach((name, i) => {
    const first = firstAt.get(name);
    if (first === undefined) firstAt.set(name, i);
    else if (name !== '') {
      duplicates.push({
        severity: 'error',
        file: source,
        line: headerLine,
        column: i + 1,
        message: `column '${visibleName(name)}' appears twice in the header (columns ${first + 1} and ${i + 1})`,
        suggestion: 'a credential report has each column once: the file was edited or is not from GetCredentialReport',
      });
    }
  });
  if (duplicates.length > 0) throw new InputError(duplicates, `invalid credential report ${source}`);
  const position = firstAt;
  const missing = REPORT_COLUMNS.filter((column) => !position.has(column));
  if (missing.length > 0) {
    // One message, not one per column: a file missing columns is usually not a credential report at all.
    const present = REPORT_COLUMNS.length - missing.length;
    const message =
      present <= 2
        ? `not an IAM credential report: the first line is not its header (expected the columns ${REPORT_COLUMNS.join(',')})`
        : `the header lacks ${missing.length === 1 ? 'the column' : `${missing.length} columns`}: ${missing.join(', ')}`;
    throw new InputError(
      [
        {
          severity: 'error' as const,
          file: source,
          line: headerLine,
          message,
          suggestion: 'pass the CSV that GetCredentialReport returns (aws iam get-credential-report), one file per account',
        },
      ],
      `invalid credential report ${source}`,
    );
  }
  const known = new Set<string>(REPORT_COLUMNS);
  const warnings: Diagnostic[] = header
    .map((name, i) => ({ name: name.trim(), i }))
    .filter(({ name }) => !known.has(name))
    .map(({ name, i }) => ({
      severity: 'warning' as const,
      file: source,
      line: headerLine,
      column: i + 1,
      message: `unknown column '${visibleName(name)}' ignored (AWS may have added it)`,
    }));
  const index = Object.fromEntries(REPORT_COLUMNS.map((c) => [c, position.get(c) ?? -1])) as ColumnIndex;
  return { index, warnings };
}

/** A header name as quoted in a message: short, and without anything a terminal would act on. */
function visibleName(name: string): string {
  const short = name.length > 64 ? `${name.slice(0, 64)}…` : name;
  return short.replace(/[^\x20-\x7e]/g, '?');
}

function checkSingleAccount(
  principals: Principal[],
  lines: number[],
  source: string,
  errors: Diagnostic[],
): { id: string; partition: string } {
  const first = principals[0];
  if (!first) {
    if (errors.length === 0) {
      errors.push({ severity: 'error', file: source, line: 2, message: 'the credential report has no rows' });
    }
    return { id: '', partition: '' };
  }
  const expected = parseArn(first.arn);
  // Almost every row shares the first row's ARN prefix; only the others need a full parse.
  const prefix = `arn:${expected.partition}:iam::${expected.accountId}:`;
  principals.forEach((principal, i) => {
    if (principal.arn.startsWith(prefix)) return;
    const arn = parseArn(principal.arn);
    if (arn.accountId !== expected.accountId) {
      errors.push({
        severity: 'error',
        file: source,
        line: lines[i],
        message: `row belongs to account ${arn.accountId}, but the report is for ${expected.accountId}`,
      });
    }
  });
  return { id: expected.accountId, partition: expected.partition };
}
