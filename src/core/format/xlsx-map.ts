/**
 * The auditor's workbook as plain rows, one record at a time (pure): what each sheet holds and how
 * each cell is typed. `xlsx.ts` hands the rows to a streaming spreadsheet writer.
 *
 * Sheets: Summary (scope, counts, notes), Controls (each rule's status and coverage), Findings
 * (one row per finding: ids as text, times as dates) and Targets (what to fix: each open finding and its procedure).
 * A sheet holds at most {@link XLSX_MAX_ROWS} rows: longer lists continue on `Findings (2)`, … and
 * the Summary says so.
 */
import type { AccountResult, Finding, Summary } from '../../model/index.js';
import { FRAMEWORKS, SEVERITIES } from '../../model/index.js';
import { reasonsText, type Control } from './controls.js';
import { evidenceText } from './csv.js';
import { visibleControls } from '../util/escape.js';
import { STATUS_LABEL } from './status.js';

/** Rows in one worksheet, header included (Excel's limit, also LibreOffice's). */
export const XLSX_MAX_ROWS = 1_048_576;
/** Characters in one cell (Excel's limit). */
export const XLSX_MAX_CELL = 32_767;

/** A cell: text, a number, a date (UTC), or empty. */
export type Cell = string | number | Date | null;

/** A column of a sheet: its header, width (characters) and how its cells are shown. */
export interface XlsxColumn {
  header: string;
  width: number;
  /** `date` cells get a date format; `text` cells are always strings (ids never become numbers). */
  kind: 'text' | 'number' | 'date';
}

const text = (header: string, width = 16): XlsxColumn => ({ header, width, kind: 'text' });
const number = (header: string, width = 10): XlsxColumn => ({ header, width, kind: 'number' });
const date = (header: string): XlsxColumn => ({ header, width: 20, kind: 'date' });

const FRAMEWORK_HEADERS: Record<(typeof FRAMEWORKS)[number], string> = {
  'cis-aws-3.0': 'CIS AWS 3.0',
  'cis-aws-5.0': 'CIS AWS 5.0',
  'aws-security-hub': 'Security Hub',
  'aws-config': 'AWS Config',
};

/**
 * Text as a spreadsheet cell can hold it: XML 1.0 has no place for control characters, lone
 * surrogates or U+FFFE/U+FFFF (a writer that passed them on would make a file Excel refuses to
 * open), so they are shown (`\x1b`, U+FFFD); line feeds and tabs stay; a value longer than a
 * cell can hold is clipped, saying so. Strings are never formulas in this format.
 */
export function cellText(value: string): string {
  const shown = visibleControls(value, true)
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/[\uFFFE\uFFFF]/g, '\uFFFD');
  if (shown.length <= XLSX_MAX_CELL) return shown;
  const note = ` … (clipped: ${shown.length} characters; the full value is in the JSON result)`;
  return shown.slice(0, XLSX_MAX_CELL - note.length) + note;
}

/** A time as a date cell (UTC), or the text when it is not a time, or empty. */
export function dateCell(value: string | null | undefined): Cell {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? cellText(value) : new Date(ms);
}

/** The Findings sheet's columns. */
export const FINDING_COLUMNS: readonly XlsxColumn[] = [
  text('Account', 14),
  text('Account name', 20),
  text('OU path', 24),
  text('Principal', 22),
  text('Principal type', 8),
  text('ARN', 40),
  text('Credential', 12),
  text('Rule', 28),
  text('Rule title', 34),
  text('Severity', 9),
  text('Status', 8),
  text('Message', 60),
  text('Evidence', 50),
  ...FRAMEWORKS.map((f) => text(FRAMEWORK_HEADERS[f], 12)),
  text('Remediation procedure', 28),
  text('Plan', 18),
  text('Waiver reason', 30),
  date('Waiver expires (UTC)'),
  text('Baseline', 9),
  date('As of (UTC)'),
  text('Fingerprint', 34),
];

/** What a finding row needs besides the finding: each account's as-of time and OU path. */
export interface FindingRowContext {
  accounts: ReadonlyMap<string, AccountResult>;
  /** The --as-of override, or null: each account at its own report time. */
  asOf: string | null;
}

/** One finding as a row of {@link FINDING_COLUMNS}. */
export function findingRow(f: Finding, context: FindingRowContext): Cell[] {
  const account = context.accounts.get(f.accountId);
  const t = (value: string | null | undefined) => (value ? cellText(value) : null);
  return [
    f.accountId,
    t(f.accountName ?? account?.name),
    t(f.ouPath ?? account?.ouPath),
    t(f.principal.name),
    f.principal.type,
    t(f.principal.arn),
    f.credential,
    t(f.ruleId),
    t(f.title),
    f.severity,
    f.status,
    t(f.message),
    t(evidenceText(f.evidence)),
    ...FRAMEWORKS.map((framework) => t(f.frameworks[framework].join(' '))),
    t(f.remediation.procedure),
    t(f.remediation.planId),
    t(f.waiver?.reason),
    dateCell(f.waiver?.expires),
    f.baseline ?? null,
    dateCell(context.asOf ?? account?.asOf ?? account?.reportGeneratedTime),
    f.fingerprint,
  ];
}

/** The Controls sheet's columns: each rule's status and how much of the organisation it covered. */
export const CONTROL_COLUMNS: readonly XlsxColumn[] = [
  text('Rule', 28),
  text('Title', 34),
  text('Severity', 9),
  text('Status', 13),
  number('Open'),
  number('Waived'),
  number('Accounts evaluated', 11),
  number('Accounts not evaluated', 11),
  number('Coverage (%)', 10),
  text('Why not evaluated', 50),
  ...FRAMEWORKS.map((f) => text(FRAMEWORK_HEADERS[f], 12)),
];

/** One control (rule) as a row of {@link CONTROL_COLUMNS}; coverage is evaluated / (evaluated + not evaluated). */
export function controlRow(c: Control): Cell[] {
  const considered = c.evaluatedAccounts + c.notEvaluated.length;
  return [
    cellText(c.id),
    cellText(c.title),
    c.severity,
    STATUS_LABEL[c.status] ?? cellText(String(c.status)),
    c.open,
    c.waived,
    c.evaluatedAccounts,
    c.notEvaluated.length,
    considered === 0 ? null : Math.round((c.evaluatedAccounts / considered) * 1000) / 10,
    cellText(reasonsText(c)),
    ...FRAMEWORKS.map((framework) => cellText(c.frameworks[framework].join(' '))),
  ];
}

/** The Targets sheet's columns: what to fix, by remediation procedure (one row per open finding). */
export const TARGET_COLUMNS: readonly XlsxColumn[] = [
  text('Procedure', 28),
  text('Account', 14),
  text('Account name', 20),
  text('Principal', 22),
  text('ARN', 40),
  text('Credential', 12),
  text('Rule', 28),
  text('Severity', 9),
  text('Plan', 18),
];

/** One open finding as a target of its procedure, a row of {@link TARGET_COLUMNS}; waived findings are no target. */
export function targetRow(f: Finding): Cell[] | undefined {
  if (f.status !== 'open') return undefined;
  return [
    cellText(f.remediation.procedure),
    f.accountId,
    f.accountName ? cellText(f.accountName) : null,
    cellText(f.principal.name),
    cellText(f.principal.arn),
    f.credential,
    cellText(f.ruleId),
    f.severity,
    f.remediation.planId ? cellText(f.remediation.planId) : null,
  ];
}

/** The names of the sheets that `rows` data rows need under a header each: `Findings`, `Findings (2)`, … */
export function sheetNames(base: string, rows: number, maxRows = XLSX_MAX_ROWS): string[] {
  const perSheet = maxRows - 1;
  const count = Math.max(1, Math.ceil(rows / perSheet));
  return Array.from({ length: count }, (_, i) => (i === 0 ? base : `${base} (${i + 1})`));
}

/** What the Summary sheet states: the run's metadata and counts (all known once every account is in). */
export interface WorkbookFacts {
  schemaVersion: number;
  pack: string;
  rulesHash: string;
  /** The --as-of override, or null: each account at its own report time. */
  asOf: string | null;
  summary: Summary;
  notes: readonly string[];
  /** Findings resolved since the baseline (undefined without one). */
  resolved?: number;
  /** The accounts that were not scanned, with why. */
  notScanned: readonly Pick<AccountResult, 'id' | 'name' | 'status' | 'reason'>[];
  /** Rows of the Findings and Targets sheets. */
  findings: number;
  targets: number;
}

/** The Summary sheet: label and value rows (scope, counts, notes and how to read the workbook). */
export function summaryRows(facts: WorkbookFacts, toolVersion: string, maxRows = XLSX_MAX_ROWS): [string, Cell][] {
  const s = facts.summary;
  const rows: [string, Cell][] = [
    ['Report', 'credwarden: AWS IAM credential hygiene'],
    ['Tool', `credwarden ${toolVersion} (result schema ${facts.schemaVersion})`],
    ['Pack', cellText(facts.pack)],
    ['Rules hash', facts.rulesHash],
    ['As of (UTC)', facts.asOf ? dateCell(facts.asOf) : 'each account at its own report time (see the Findings sheet)'],
    ['Accounts scanned', s.accounts.scanned],
    ['Accounts failed', s.accounts.failed],
    ['Accounts skipped', s.accounts.skipped],
    ...SEVERITIES.map((sev): [string, Cell] => [`Open findings: ${sev}`, s.bySeverity[sev]]),
    ['Open findings', s.open],
    ['Waived findings', s.waived],
  ];
  if (facts.resolved !== undefined) {
    rows.push(['New since the baseline', s.new ?? 0]);
    rows.push(['Resolved since the baseline', facts.resolved]);
  }
  for (const note of facts.notes) rows.push(['Not covered', cellText(note)]);
  for (const a of facts.notScanned)
    rows.push([`Account ${a.status}`, cellText(`${a.name ? `${a.name} (${a.id})` : a.id}: ${a.reason ?? ''}`)]);
  rows.push([
    'Sheets',
    'Controls: each rule with its status and coverage. Findings: one row per finding. Targets: open findings account by account, by procedure within each account (filter the Procedure column for one campaign).',
  ]);
  for (const [label, count] of [
    ['Findings', facts.findings],
    ['Targets', facts.targets],
  ] as const) {
    const names = sheetNames(label, count, maxRows);
    if (names.length > 1)
      rows.push([
        'Row limit',
        `${count} ${label.toLowerCase()} rows do not fit one sheet (at most ${maxRows - 1} rows under the header): they continue on ${names.slice(1).join(', ')}. The CSV and JSON reports hold them in one file.`,
      ]);
  }
  return rows;
}
