import { parse } from 'csv-parse/sync';
import type { Diagnostic, Principal } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import { REPORT_COLUMNS, type ReportColumn } from './columns.js';
import { normaliseRow, RowError, type RawRow } from './normalise.js';
import { parseArn } from './arn.js';

/** A parsed and normalised credential report of one account. */
export interface ParsedReport {
  accountId: string;
  partition: string;
  principals: Principal[];
  /** Non-fatal problems, e.g. columns AWS added that credwarden does not know yet. */
  warnings: Diagnostic[];
}

type ColumnIndex = Record<ReportColumn, number>;

/**
 * Parses the CSV text of an IAM credential report (RFC 4180, any line ending, with
 * or without a trailing newline) into normalised principals.
 *
 * @param text the report as AWS returns it (GetCredentialReport `Content`, decoded)
 * @param source file name or other label used in diagnostics
 * @throws InputError listing every problem (missing columns, bad field counts, bad values)
 */
export function parseCredentialReport(text: string, source: string): ParsedReport {
  const records = readRecords(text, source);
  const header = records[0]?.fields;
  if (!header || header.length === 0 || (header.length === 1 && header[0] === '')) {
    throw new InputError([{ severity: 'error', file: source, line: 1, message: 'the credential report is empty' }]);
  }
  const { index, warnings } = indexColumns(header, source);
  const errors: Diagnostic[] = [];
  const principals: Principal[] = [];
  const lines: number[] = [];
  for (const record of records.slice(1)) {
    if (record.fields.length === 1 && record.fields[0] === '') continue; // blank line
    if (record.fields.length !== header.length) {
      errors.push({
        severity: 'error',
        file: source,
        line: record.line,
        message: `row has ${record.fields.length} fields, the header has ${header.length}`,
        suggestion: 'a user name containing a comma must be quoted ("a,b")',
      });
      continue;
    }
    try {
      principals.push(normaliseRow(pick(record.fields, index)));
      lines.push(record.line);
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      errors.push({
        severity: 'error',
        file: source,
        line: record.line,
        column: index[error.column] + 1,
        pointer: `/${error.column}`,
        message: `column '${error.column}': ${error.message}`,
      });
    }
  }
  const accountId = checkSingleAccount(principals, lines, source, errors);
  if (errors.length > 0) throw new InputError(errors, `invalid credential report ${source}`);
  return { accountId: accountId.id, partition: accountId.partition, principals, warnings };
}

interface CsvRecord {
  fields: string[];
  line: number;
}

function readRecords(text: string, source: string): CsvRecord[] {
  const body = text.replace(/^\uFEFF/, '');
  // Reports without a single quote character (nearly all of them) need no RFC 4180 state machine.
  if (!body.includes('"')) return splitUnquoted(body);
  try {
    const rows = parse(body, {
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    // info.lines is the line a record ends on; quoted fields may span lines.
    return rows.map(({ record, info }) => ({ fields: record, line: info.lines - countNewlines(record) }));
  } catch (error) {
    const detail = error as { message?: string; lines?: number };
    throw new InputError([
      {
        severity: 'error',
        file: source,
        line: detail.lines,
        message: `not valid CSV: ${detail.message ?? String(error)}`,
      },
    ]);
  }
}

/**
 * The fast path for text without quotes: every line is one record and every comma a
 * separator. Same records and line numbers as csv-parse with the options above.
 */
function splitUnquoted(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line !== '') records.push({ fields: line.split(','), line: i + 1 });
  }
  return records;
}

function countNewlines(fields: string[]): number {
  let count = 0;
  for (const field of fields) for (const ch of field) if (ch === '\n') count++;
  return count;
}

function indexColumns(header: string[], source: string): { index: ColumnIndex; warnings: Diagnostic[] } {
  const position = new Map(header.map((name, i) => [name.trim(), i]));
  const missing = REPORT_COLUMNS.filter((column) => !position.has(column));
  if (missing.length > 0) {
    throw new InputError(
      missing.map((column) => ({
        severity: 'error' as const,
        file: source,
        line: 1,
        message: `required column '${column}' is missing from the header`,
        suggestion: 'is this an IAM credential report (GetCredentialReport content)?',
      })),
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
      line: 1,
      column: i + 1,
      message: `unknown column '${name}' ignored (AWS may have added it)`,
    }));
  const index = Object.fromEntries(REPORT_COLUMNS.map((c) => [c, position.get(c) ?? -1])) as ColumnIndex;
  return { index, warnings };
}

function pick(fields: string[], index: ColumnIndex): RawRow {
  const row = {} as RawRow;
  for (const column of REPORT_COLUMNS) row[column] = fields[index[column]] ?? '';
  return row;
}

function checkSingleAccount(principals: Principal[], lines: number[], source: string, errors: Diagnostic[]): { id: string; partition: string } {
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

