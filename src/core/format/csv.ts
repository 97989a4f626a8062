import { stringify } from 'csv-stringify/sync';
import type { AccountResult, Finding, ScanResult } from '../../model/index.js';
import { FRAMEWORKS } from '../../model/index.js';
import { controls, controlsFrom, countFinding, countsState, reasonsText, statusDetail, type Control, type RuleCounts } from './controls.js';
import { CONTROL_CHARACTERS, neutraliseFormula, visibleControls } from '../util/escape.js';
import { defineFormatter, STATELESS, type FormatterEntry, type ReportSink } from './types.js';
import type { RunHeader } from '../pipeline/types.js';

interface Column<T> {
  header: string;
  value: (row: T, context: CsvContext) => string;
}

/** What a row needs besides its finding: each account, for its as-of time and OU path. */
export interface CsvContext {
  accounts: ReadonlyMap<string, AccountResult>;
  /** The --as-of override, or null: each account at its own report time. */
  asOf: string | null;
}

/** The context of a result's rows. */
export function csvContext(result: Pick<ScanResult, 'accounts' | 'asOf'>): CsvContext {
  return { accounts: new Map(result.accounts.map((a) => [a.id, a])), asOf: result.asOf };
}

/** The time a finding's account was evaluated at: --as-of, else the account's as-of or report time. */
function asOfOf(f: Finding, context: CsvContext): string {
  const account = context.accounts.get(f.accountId);
  return context.asOf ?? account?.asOf ?? account?.reportGeneratedTime ?? '';
}

/** Every control a finding breaks, framework-qualified in one cell: `cis-aws-3.0:1.10 aws-security-hub:IAM.5`. */
export function controlsText(frameworks: Finding['frameworks']): string {
  return FRAMEWORKS.flatMap((framework) => frameworks[framework].map((id) => `${framework}:${id}`)).join(' ');
}

/**
 * The framework cells of a finding (one per framework, then every control), made once per
 * frameworks object: a rule's findings share their rule's, so a row only looks them up.
 */
const FRAMEWORK_CELLS = new WeakMap<Finding['frameworks'], { byFramework: Record<string, string>; controls: string }>();

function frameworkCells(frameworks: Finding['frameworks']): { byFramework: Record<string, string>; controls: string } {
  let cells = FRAMEWORK_CELLS.get(frameworks);
  if (cells === undefined) {
    cells = {
      byFramework: Object.fromEntries(FRAMEWORKS.map((framework) => [framework, frameworks[framework].join(' ')])),
      controls: controlsText(frameworks),
    };
    FRAMEWORK_CELLS.set(frameworks, cells);
  }
  return cells;
}

/** A framework key as a column name: `cis-aws-3.0` → `cis_aws_3_0`, like every other column. */
export function frameworkColumn(framework: (typeof FRAMEWORKS)[number]): string {
  return framework.replace(/[^a-z0-9]+/g, '_');
}

/**
 * The CSV columns, in order. This list is a stable contract (documented in
 * docs/reports.md): lower-case snake_case names; new columns are only ever appended.
 */
export const CSV_COLUMNS: readonly Column<Finding>[] = [
  { header: 'account', value: (f) => f.accountId },
  { header: 'account_name', value: (f) => f.accountName ?? '' },
  { header: 'principal', value: (f) => f.principal.name },
  { header: 'principal_type', value: (f) => f.principal.type },
  { header: 'arn', value: (f) => f.principal.arn },
  { header: 'credential', value: (f) => f.credential ?? '' },
  { header: 'rule', value: (f) => f.ruleId },
  { header: 'severity', value: (f) => f.severity },
  { header: 'status', value: (f) => f.status },
  { header: 'message', value: (f) => f.message },
  { header: 'evidence', value: (f) => evidenceText(f.evidence) },
  ...FRAMEWORKS.map((framework) => ({
    header: frameworkColumn(framework),
    value: (f: Finding) => frameworkCells(f.frameworks).byFramework[framework]!,
  })),
  { header: 'remediation', value: (f) => f.remediation.procedure },
  { header: 'waiver_reason', value: (f) => stringField(f.waiver, 'reason') },
  { header: 'waiver_expires', value: (f) => stringField(f.waiver, 'expires') },
  { header: 'baseline', value: (f) => f.baseline ?? '' },
  { header: 'fingerprint', value: (f) => f.fingerprint },
  { header: 'as_of', value: (f, context) => asOfOf(f, context) },
  { header: 'rule_title', value: (f) => f.title },
  { header: 'ou_path', value: (f, context) => f.ouPath ?? context.accounts.get(f.accountId)?.ouPath ?? '' },
  { header: 'controls', value: (f) => frameworkCells(f.frameworks).controls },
];

/** The columns of credwarden-controls.csv: one row per rule with its status. */
export const CONTROL_COLUMNS: readonly Column<Control>[] = [
  { header: 'rule', value: (c) => c.id },
  { header: 'title', value: (c) => c.title },
  { header: 'severity', value: (c) => c.severity },
  { header: 'status', value: (c) => c.status },
  { header: 'status_detail', value: (c) => statusDetail(c) },
  { header: 'open', value: (c) => String(c.open) },
  { header: 'waived', value: (c) => String(c.waived) },
  { header: 'evaluated_accounts', value: (c) => (c.evaluatedAccounts === undefined ? '' : String(c.evaluatedAccounts)) },
  { header: 'not_evaluated_accounts', value: (c) => String(c.notEvaluated.length) },
  { header: 'not_evaluated_reasons', value: (c) => reasonsText(c) },
  ...FRAMEWORKS.map((framework) => ({ header: frameworkColumn(framework), value: (c: Control) => c.frameworks[framework].join(' ') })),
];

/** The evidence as `key=value` pairs separated by `; `, in the rule's order. */
export function evidenceText(evidence: Finding['evidence']): string {
  // One string built in place: this runs for every finding of every CSV and XLSX report.
  let text = '';
  for (const key of Object.keys(evidence)) {
    if (text !== '') text += '; ';
    const value = evidence[key];
    text += key;
    text += '=';
    text += typeof value === 'string' ? value : JSON.stringify(value);
  }
  return text;
}

function stringField(object: Record<string, unknown> | undefined, key: string): string {
  const value = object?.[key];
  return typeof value === 'string' ? value : '';
}

/**
 * csv-stringify's options for our files: RFC 4180, and every cell holding a CR or LF quoted
 * (a lone LF too, so no reader can split the row) besides those holding a quote or comma.
 */
const CRLF_OPTIONS = { record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const;
const LF_OPTIONS = { record_delimiter: 'unix', quoted_match: /[\r\n]/ } as const;

/**
 * A cell that csv-stringify may change with our options: one holding a quote, the delimiter, a CR
 * or an LF. With these options csv-stringify (6.x: `stringifier.stringify`) writes any other string
 * cell exactly as it is: it quotes a cell only for a quote, the delimiter (one character: no
 * boundary fusion), the record delimiter (CRLF or LF: both need a CR or LF in the cell; its
 * `quote_record_delimiter` is off because we set `record_delimiter`) or `quoted_match` (a CR or
 * LF); `quoted`, `quoted_string`, `quoted_empty` and `escape_formulas` are off, `cast.string`
 * is the identity, and the escape is the quote. An empty cell is written empty.
 */
const MAY_BE_QUOTED = /[",\r\n]/;

/** Whether csv-stringify writes every cell of a record as it is (see {@link MAY_BE_QUOTED}). */
function writtenAsIs(cells: readonly string[]): boolean {
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (typeof cell !== 'string' || MAY_BE_QUOTED.test(cell)) return false;
  }
  return true;
}

/**
 * One record as CSV text through csv-stringify (the project's CSV writer), ended by `end`.
 * A record that csv-stringify would write cell by cell unchanged (most of ours: see
 * {@link MAY_BE_QUOTED}) is its cells joined by the delimiter, which is exactly what
 * csv-stringify returns for it (test/format/csv-record.test.ts compares the two on many
 * hostile records); any other record goes to csv-stringify. The join skips csv-stringify's
 * per-cell work (a context object, tuples and arrays for every cell), a fifth of a scan's CPU.
 */
export function csvRecord(cells: readonly string[], end: '\r\n' | '\n' = '\r\n'): string {
  if (writtenAsIs(cells)) return cells.join(',') + end;
  return stringify([cells as string[]], end === '\r\n' ? CRLF_OPTIONS : LF_OPTIONS);
}

/**
 * A cell as csv-stringify writes it with our options (see {@link MAY_BE_QUOTED}): quoted, its
 * quotes doubled, when it holds a quote, the delimiter, a CR or an LF; else as it is. What
 * csv-stringify does to one cell never depends on the record's other cells, so a record of such
 * cells joined by the delimiter is its text (test/format/csv-record.test.ts checks both against
 * csv-stringify on many hostile records).
 */
function quotedCell(cell: string): string {
  return MAY_BE_QUOTED.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * Rows of spreadsheet cells (see {@link spreadsheetCell}) as CSV records (see {@link csvRecord}),
 * one row at a time: {@link set} each column's value, then take the row's {@link text}. Each
 * column remembers its last value: most columns repeat from one row to the next (the account,
 * rule, severity, as-of time), and a repeated value is neither guarded nor quoted again. A cell
 * is quoted by itself ({@link quotedCell}): a row with a quoted cell (an evidence list, a message
 * with a comma) is joined like any other, without a csv-stringify call and its per-call options.
 */
export class SpreadsheetRows {
  private readonly values: (string | undefined)[];
  /**
   * The cells as they are joined, guarded and quoted: the last one ends with the record end, so
   * the joined row is one flat string (a row joined and then ended would be a rope, copied again
   * to be encoded).
   */
  private readonly joined: string[];

  constructor(
    width: number,
    private readonly end: '\r\n' | '\n' = '\r\n',
  ) {
    this.values = new Array<string | undefined>(width).fill(undefined);
    this.joined = new Array<string>(width).fill('');
    if (width > 0) this.joined[width - 1] = end;
  }

  /** Sets a column of the current row. */
  set(column: number, value: string): void {
    if (value === this.values[column]) return;
    this.values[column] = value;
    const cell = MAY_NEED_GUARD_OR_QUOTES.test(value) ? quotedCell(spreadsheetCell(value)) : value;
    this.joined[column] = column === this.joined.length - 1 ? cell + this.end : cell;
  }

  /** The current row as a CSV record: the same text as `csvRecord(cells.map(spreadsheetCell))`. */
  text(): string {
    return this.joined.length === 0 ? this.end : this.joined.join(',');
  }
}

/**
 * The rows, with CRLF line ends, each cell neutralised for spreadsheets (see {@link spreadsheetCell}).
 * Each row is its own piece: a report's writer encodes flat pieces where they land, which costs
 * less than joining them into one string first.
 */
function* csvRows<T>(columns: readonly Column<T>[], rows: readonly T[], context: CsvContext): Generator<string> {
  const record = new SpreadsheetRows(columns.length);
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) record.set(i, columns[i]!.value(row, context));
    yield record.text();
  }
}

function csvHeader<T>(columns: readonly Column<T>[]): string {
  return csvRecord(columns.map((c) => c.header));
}

/**
 * Whether a cell may need anything of {@link spreadsheetCell}: a formula trigger or `::` at its
 * start, digits with a leading zero, a line break, or a control or invisible character. Most
 * cells hold none, and are tested once instead of passing through each guard.
 */
const MAY_NEED_GUARD = guardPattern('');

/** A value that may need {@link spreadsheetCell} or whose cell csv-stringify may change ({@link MAY_NEED_GUARD}, {@link MAY_BE_QUOTED}). */
const MAY_NEED_GUARD_OR_QUOTES = guardPattern('",');

/** {@link MAY_NEED_GUARD}'s pattern, also matching any of `extra` anywhere in the value. */
function guardPattern(extra: string): RegExp {
  return new RegExp(`^(?:[=+\\-@\\t]|[ \\t]*::|0\\d+$)|[${extra}\\r\\n${CONTROL_CHARACTERS}]`, 'u');
}

/**
 * A cell as a spreadsheet should show it: control and invisible characters shown as escapes
 * (`\x1b`, `\u200b`; line breaks kept), formulas neutralised on every line
 * (see {@link neutraliseFormula}), and digits with a leading zero (an account id
 * such as 012345678901) marked as text with the same leading quote, so the zero
 * is not dropped.
 */
export function spreadsheetCell(value: string): string {
  if (!MAY_NEED_GUARD.test(value)) return value;
  return /^0\d+$/.test(value) ? `'${value}` : neutraliseFormula(visibleControls(value.replace(/\r\n|\r/g, '\n'), true));
}

/** One row per finding (open and waived). */
export function formatCsv(result: ScanResult): Iterable<string> {
  return csvFormatter.format(result, { toolVersion: result.tool.version, color: false });
}

/** One row per rule: status, counts, and where and why it was not evaluated. */
export function formatControlsCsv(result: ScanResult): Iterable<string> {
  return [csvHeader(CONTROL_COLUMNS), ...csvRows(CONTROL_COLUMNS, controls(result), csvContext(result))];
}

/** The findings, account by account (each row's context is its own account). */
function openCsv(header: RunHeader): ReportSink {
  return {
    account: (slice) =>
      csvRows(CSV_COLUMNS, slice.findings, {
        accounts: new Map(slice.account ? [[slice.id, slice.account]] : []),
        asOf: header.asOf,
      }),
    fixedHead: () => [csvHeader(CSV_COLUMNS)],
    end: () => ({ head: [csvHeader(CSV_COLUMNS)] }),
    state: STATELESS,
  };
}

/** credwarden-controls.csv: the rules' counts are summed account by account, the rows written at the end. */
function openControlsCsv(header: RunHeader): ReportSink {
  const counts: RuleCounts = new Map();
  return {
    account(slice) {
      for (const finding of slice.findings) countFinding(counts, finding);
      return [];
    },
    end: (tallies) => ({
      head: [
        csvHeader(CONTROL_COLUMNS),
        ...csvRows(CONTROL_COLUMNS, controlsFrom(tallies.rules, counts), { accounts: new Map(), asOf: header.asOf }),
      ],
    }),
    state: countsState(counts),
  };
}

/** Spreadsheet-friendly findings, one row per finding; with --output-dir also the controls. */
export const csvFormatter: FormatterEntry = defineFormatter({
  name: 'csv',
  description: 'one row per finding for spreadsheets (formula-injection safe); with --output-dir also credwarden-controls.csv',
  extension: 'csv',
  infersFrom: ['csv'],
  open: openCsv,
  openCompanions: (header) => [{ name: 'credwarden-controls.csv', sink: openControlsCsv(header) }],
});
