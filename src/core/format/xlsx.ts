/**
 * The xlsx workbook for auditors, written by ExcelJS's streaming WorkbookWriter: each row is
 * committed (serialised into the zip) as soon as it is added, so the workbook is never held in
 * memory. The rows come from the pure mapping in xlsx-map.ts; this file only lays them out.
 * The writer gets no file name and no clock: bytes go to a stream the caller reads, and the
 * workbook's times are the result's as-of.
 */
import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { Finding, ScanResult } from '../../model/index.js';
import { defineFormatter, wholeResultBinarySink, type FormatContext, type FormatterEntry } from './types.js';
import {
  CONTROL_COLUMNS,
  controlRows,
  FINDING_COLUMNS,
  findingRow,
  findingRowContext,
  sheetNames,
  summaryRows,
  TARGET_COLUMNS,
  targetRow,
  XLSX_MAX_ROWS,
  type Cell,
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

function* findingRows(result: ScanResult): Generator<Cell[]> {
  const context = findingRowContext(result);
  for (const f of result.findings) yield findingRow(f, context);
}

function* targetRows(findings: readonly Finding[]): Generator<Cell[]> {
  // By procedure, so that a campaign's targets are together (the index, not the rows, is sorted).
  const order = findings
    .map((f, i) => ({ procedure: f.remediation.procedure, i }))
    .filter(({ i }) => findings[i]?.status === 'open')
    .sort((a, b) => a.procedure.localeCompare(b.procedure) || a.i - b.i);
  for (const { i } of order) {
    const row = targetRow(findings[i] as Finding);
    if (row) yield row;
  }
}

async function writeWorkbook(writer: Writer, result: ScanResult, context: FormatContext, maxRows: number, wait: () => Promise<void>) {
  const asOf = Date.parse(
    result.asOf ??
      result.accounts
        .map((a) => a.asOf ?? '')
        .sort()
        .pop() ??
      '',
  );
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
  for (const [label, value] of summaryRows(result, context.toolVersion, maxRows)) {
    const row = summary.addRow([label, value]);
    if (value instanceof Date) row.getCell(2).numFmt = 'yyyy-mm-dd hh:mm:ss';
    row.commit();
  }
  summary.commit();

  const controls = controlRows(result);
  await writeRows(writer, 'Controls', CONTROL_COLUMNS, controls, controls.length, maxRows, wait);
  await writeRows(writer, 'Findings', FINDING_COLUMNS, findingRows(result), result.findings.length, maxRows, wait);
  const targets = result.findings.filter((f) => f.status === 'open').length;
  await writeRows(writer, 'Targets', TARGET_COLUMNS, targetRows(result.findings), targets, maxRows, wait);
  await writer.commit();
}

/**
 * The workbook's bytes, as the zip writer produces them. The rows are written while the caller
 * reads; when the caller is behind, writing pauses, so memory holds a bounded part of the file.
 */
export async function* xlsxChunks(result: ScanResult, context: FormatContext, options: XlsxOptions = {}): AsyncGenerator<Uint8Array> {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  // Loaded when a workbook is written: ExcelJS is the largest dependency, and no other format needs it.
  const { default: excel } = await import('exceljs');
  const writer = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  // Let the zip writer compress what was added; while the reader has not taken the output, wait.
  const wait = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    while (out.writableNeedDrain && !out.destroyed) await new Promise((resolve) => out.once('drain', resolve).once('close', resolve));
  };
  const writing = writeWorkbook(writer, result, context, options.maxRows ?? XLSX_MAX_ROWS, wait).catch((error: unknown) => {
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  try {
    for await (const chunk of out) yield chunk as Uint8Array;
  } finally {
    out.destroy();
  }
  await writing;
}

/** The xlsx workbook for auditors: Summary, Controls, Findings and Targets sheets. */
export const xlsxFormatter: FormatterEntry = defineFormatter({
  name: 'xlsx',
  description: 'Excel workbook for auditors: Summary, Controls (status, coverage), Findings (filter, frozen header), Targets',
  extension: 'xlsx',
  infersFrom: ['xlsx'],
  binary: true,
  // Interim: the workbook is written from the whole result (its Targets sheet is ordered by
  // procedure across accounts); the writers read its bytes, never text.
  open: (header, context) => wholeResultBinarySink(header, (result) => xlsxChunks(result, context)),
});
