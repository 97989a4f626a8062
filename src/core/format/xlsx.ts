/**
 * The xlsx workbook for auditors, written by ExcelJS's streaming WorkbookWriter: each row is
 * committed (serialised into the zip) as soon as it is added, so the workbook is never held in
 * memory. The rows come from the pure mapping in xlsx-map.ts; this file only lays them out.
 * The writer gets no file name and no clock: bytes go to a stream the caller reads, and the
 * workbook's times are the result's as-of.
 */
import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { ScanResult } from '../../model/index.js';
import type { AccountSlice, RunHeader, Tallies } from '../pipeline/types.js';
import { sliceResult } from '../pipeline/whole.js';
import { controlsFrom, countFinding, countsState, type RuleCounts } from './controls.js';
import { defineFormatter, type BinaryChunks, type FormatContext, type FormatterEntry, type ReportSink } from './types.js';
import {
  CONTROL_COLUMNS,
  controlRow,
  FINDING_COLUMNS,
  findingRow,
  sheetNames,
  summaryRows,
  TARGET_COLUMNS,
  targetRow,
  XLSX_MAX_ROWS,
  type Cell,
  type WorkbookFacts,
  type XlsxColumn,
} from './xlsx-map.js';

type Writer = ExcelJS.stream.xlsx.WorkbookWriter;
type Sheet = ExcelJS.Worksheet;

/** Rows between two looks at the output: if its reader is behind, wait for it (bounded memory). */
const ROWS_PER_CHECK = 500;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8E8E8' } };

/** Options of {@link xlsxChunks} (tests lower the row limit to see the split). */
export interface XlsxOptions {
  maxRows?: number;
}

function columnLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

/** A sheet with a bold, frozen header row, typed columns and (once its rows are known) an autofilter. */
function addSheet(writer: Writer, name: string, columns: readonly XlsxColumn[]): Sheet {
  const sheet = writer.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  sheet.columns = columns.map((c) => ({
    header: c.header,
    width: c.width,
    style: c.kind === 'date' ? { numFmt: 'yyyy-mm-dd hh:mm:ss' } : c.kind === 'text' ? { numFmt: '@' } : {},
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.fill = HEADER_FILL;
  header.commit();
  return sheet;
}

function finishSheet(sheet: Sheet, columns: readonly XlsxColumn[], rows: number): void {
  sheet.autoFilter = `A1:${columnLetter(columns.length)}${rows + 1}`;
  sheet.commit();
}

/**
 * Writes `rows` over as many sheets as the row limit needs (`Findings`, `Findings (2)`, …),
 * committing each row as it goes and pausing whenever the output's reader is behind.
 */
async function writeRows(
  writer: Writer,
  base: string,
  columns: readonly XlsxColumn[],
  rows: Iterable<Cell[]>,
  total: number,
  maxRows: number,
  wait: () => Promise<void>,
): Promise<void> {
  const names = sheetNames(base, total, maxRows);
  let index = 0;
  let sheet = addSheet(writer, names[0] as string, columns);
  let inSheet = 0;
  let sinceCheck = 0;
  for (const row of rows) {
    if (inSheet === maxRows - 1) {
      finishSheet(sheet, columns, inSheet);
      index++;
      sheet = addSheet(writer, names[index] ?? `${base} (${index + 1})`, columns);
      inSheet = 0;
    }
    sheet.addRow(row).commit();
    inSheet++;
    if (++sinceCheck === ROWS_PER_CHECK) {
      sinceCheck = 0;
      await wait();
    }
  }
  finishSheet(sheet, columns, inSheet);
}

/** What the rows of one account are spooled as: one line per row, `F` (Findings) or `T` (Targets), then the cells as JSON. */
const FINDING_LINE = 'F';
const TARGET_LINE = 'T';

/** Cells as JSON: dates as `{"d": epoch ms}` (a date's JSON is text, which would read back as text). */
function cellJson(cells: readonly Cell[]): string {
  return JSON.stringify(cells.map((c) => (c instanceof Date ? { d: c.getTime() } : c)));
}

function cellsOf(json: string): Cell[] {
  return (JSON.parse(json) as (string | number | null | { d: number })[]).map((c) =>
    c !== null && typeof c === 'object' ? new Date(c.d) : c,
  );
}

/**
 * One account's rows, as spooled lines (pure): a Findings row per finding, then a Targets row
 * per open finding, by procedure (the findings' order kept within a procedure).
 */
export function* accountRows(slice: AccountSlice, asOf: string | null): Generator<string> {
  const context = { accounts: new Map(slice.account ? [[slice.id, slice.account]] : []), asOf };
  for (const f of slice.findings) yield `${FINDING_LINE}${cellJson(findingRow(f, context))}\n`;
  const open = slice.findings
    .map((finding, i) => ({ finding, i }))
    .filter(({ finding }) => finding.status === 'open')
    .sort((a, b) => a.finding.remediation.procedure.localeCompare(b.finding.remediation.procedure) || a.i - b.i);
  for (const { finding } of open) {
    const row = targetRow(finding);
    if (row) yield `${TARGET_LINE}${cellJson(row)}\n`;
  }
}

/** The rows of one kind from the spooled lines (`pieces` may split a line anywhere). */
function* spooledRows(pieces: Iterable<string>, kind: string): Generator<Cell[]> {
  let pending = '';
  for (const piece of pieces) {
    pending += piece;
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      if (pending.startsWith(kind, start)) yield cellsOf(pending.slice(start + kind.length, end));
      start = end + 1;
    }
    pending = pending.slice(start);
  }
}

/** What the workbook states besides its rows, and the counts its controls need. */
interface WorkbookState {
  facts: Omit<WorkbookFacts, 'summary' | 'resolved'>;
  counts: RuleCounts;
  /** The latest account as-of: the workbook's time when the run has no --as-of. */
  latest?: string;
}

async function writeWorkbook(
  writer: Writer,
  state: WorkbookState,
  tallies: Tallies,
  accounts: () => Iterable<string>,
  context: FormatContext,
  maxRows: number,
  wait: () => Promise<void>,
) {
  const { facts } = state;
  const asOf = Date.parse(facts.asOf ?? state.latest ?? '');
  const stamp = new Date(Number.isNaN(asOf) ? 0 : asOf);
  writer.creator = `credwarden ${context.toolVersion}`;
  writer.created = stamp;
  writer.modified = stamp;

  const summary = writer.addWorksheet('Summary');
  summary.columns = [
    { header: 'Item', width: 30 },
    { header: 'Value', width: 100, style: { alignment: { wrapText: true, vertical: 'top' } } },
  ];
  summary.getRow(1).font = { bold: true };
  summary.getRow(1).commit();
  const all: WorkbookFacts = {
    ...facts,
    summary: tallies.summary,
    ...(tallies.resolved !== undefined ? { resolved: tallies.resolved } : {}),
  };
  for (const [label, value] of summaryRows(all, context.toolVersion, maxRows)) {
    const row = summary.addRow([label, value]);
    if (value instanceof Date) row.getCell(2).numFmt = 'yyyy-mm-dd hh:mm:ss';
    row.commit();
  }
  summary.commit();

  const controls = controlsFrom(tallies.rules, state.counts).map(controlRow);
  await writeRows(writer, 'Controls', CONTROL_COLUMNS, controls, controls.length, maxRows, wait);
  // The accounts' spooled rows are read twice, once for each sheet.
  await writeRows(writer, 'Findings', FINDING_COLUMNS, spooledRows(accounts(), FINDING_LINE), facts.findings, maxRows, wait);
  await writeRows(writer, 'Targets', TARGET_COLUMNS, spooledRows(accounts(), TARGET_LINE), facts.targets, maxRows, wait);
  await writer.commit();
}

/**
 * The workbook's bytes, as the zip writer produces them. The rows are written while the caller
 * reads; when the caller is behind, writing pauses, so memory holds a bounded part of the file.
 */
async function* workbookBytes(
  state: WorkbookState,
  tallies: Tallies,
  accounts: () => Iterable<string>,
  context: FormatContext,
  options: XlsxOptions,
): AsyncGenerator<Uint8Array> {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  // Loaded when a workbook is written: ExcelJS is the largest dependency, and no other format needs it.
  const { default: excel } = await import('exceljs');
  const writer = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  // Let the zip writer compress what was added; while the reader has not taken the output, wait.
  const wait = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    while (out.writableNeedDrain && !out.destroyed) await new Promise((resolve) => out.once('drain', resolve).once('close', resolve));
  };
  const maxRows = options.maxRows ?? XLSX_MAX_ROWS;
  const writing = writeWorkbook(writer, state, tallies, accounts, context, maxRows, wait).catch((error: unknown) => {
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  try {
    for await (const chunk of out) yield chunk as Uint8Array;
  } finally {
    out.destroy();
  }
  await writing;
}

/**
 * The workbook, account by account: each account's rows are spooled as lines (its chunks) and
 * only counts are kept (rows per sheet, counts by rule, the accounts not scanned); at the end
 * the workbook is written from the tallies and the spooled rows, read back in account-id order.
 */
function openXlsx(header: RunHeader, context: FormatContext, options: XlsxOptions = {}): ReportSink {
  const state: WorkbookState = {
    facts: {
      schemaVersion: header.schemaVersion,
      pack: header.pack,
      rulesHash: header.rulesHash,
      asOf: header.asOf,
      notes: header.notes,
      notScanned: [],
      findings: 0,
      targets: 0,
    },
    counts: new Map(),
  };
  const notScanned: WorkbookFacts['notScanned'][number][] = [];
  return {
    account(slice) {
      const account = slice.account;
      if (account && account.status !== 'scanned')
        notScanned.push({ id: account.id, name: account.name, status: account.status, reason: account.reason });
      if (account?.asOf && (state.latest === undefined || account.asOf > state.latest)) state.latest = account.asOf;
      for (const f of slice.findings) {
        countFinding(state.counts, f);
        state.facts.findings++;
        if (f.status === 'open') state.facts.targets++;
      }
      return accountRows(slice, header.asOf);
    },
    end(tallies) {
      const sorted = { ...state, facts: { ...state.facts, notScanned: notScanned.sort((a, b) => a.id.localeCompare(b.id)) } };
      return { binary: (accounts) => workbookBytes(sorted, tallies, accounts, context, options) };
    },
    state: {
      save: () => ({
        counts: state.counts,
        findings: state.facts.findings,
        targets: state.facts.targets,
        latest: state.latest,
        notScanned,
      }),
      absorb(saved) {
        const other = saved as { counts: RuleCounts; findings: number; targets: number; latest?: string; notScanned: typeof notScanned };
        countsState(state.counts).absorb(other.counts);
        state.facts.findings += other.findings;
        state.facts.targets += other.targets;
        if (other.latest !== undefined && (state.latest === undefined || other.latest > state.latest)) state.latest = other.latest;
        notScanned.push(...other.notScanned);
      },
    },
  };
}

/** The workbook of a whole result (tests): its accounts' rows are held in memory. */
export function xlsxChunks(result: ScanResult, context: FormatContext, options: XlsxOptions = {}): BinaryChunks {
  const { header, slices, tallies } = sliceResult(result);
  const sink = openXlsx(header, context, options);
  const rows = slices.map((slice) => [...sink.account(slice)].join(''));
  const end = sink.end(tallies);
  if (!end.binary) throw new Error('the xlsx sink gives a binary file');
  const binary = end.binary;
  return binary(() => rows);
}

/** The xlsx workbook for auditors: Summary, Controls, Findings and Targets sheets. */
export const xlsxFormatter: FormatterEntry = defineFormatter({
  name: 'xlsx',
  description: 'Excel workbook for auditors: Summary, Controls (status, coverage), Findings (filter, frozen header), Targets',
  extension: 'xlsx',
  infersFrom: ['xlsx'],
  binary: true,
  // The writers read its bytes, never text.
  open: (header, context) => openXlsx(header, context),
});
