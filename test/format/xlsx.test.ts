import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/index.js';
import { xlsxChunks, xlsxFormatter } from '../../src/core/format/xlsx.js';
import { sliceResult } from '../../src/core/pipeline/index.js';
import { cellText, XLSX_MAX_CELL } from '../../src/core/format/xlsx-map.js';
import { cli, tempDir } from '../helpers/cli.js';
import { CONTEXT, EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE, injectionResult } from './helpers.js';
import { readResultText } from '../helpers/result.js';

async function bytesOf(result: ScanResult, maxRows?: number): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of xlsxChunks(result, CONTEXT, maxRows ? { maxRows } : {})) parts.push(chunk);
  return Buffer.concat(parts);
}

/** Reads a workbook back with ExcelJS's own (non-streaming) reader: a second, independent code path. */
async function readBack(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

function column(sheet: ExcelJS.Worksheet, header: string): number {
  const headers = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
  const index = headers.indexOf(header);
  if (index < 1) throw new Error(`no column ${header} in ${sheet.name}: ${headers.join(', ')}`);
  return index;
}

describe('--format xlsx', () => {
  it('writes Summary, Controls, Findings and Targets that a reader opens: ids as text, dates as dates, filter, frozen header', async () => {
    const dir = tempDir();
    const file = join(dir, 'report.xlsx');
    const run = await cli([...EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE, '--output', file, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const json = readResultText((await cli([...EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE, '--format', 'json', '--quiet'])).stdout);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const workbook = await readBack(bytes);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Summary', 'Controls', 'Findings', 'Targets']);

    const findings = workbook.getWorksheet('Findings') as ExcelJS.Worksheet;
    expect(findings.rowCount).toBe(json.findings.length + 1);
    expect(findings.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(findings.autoFilter).toBeTruthy();
    const account = column(findings, 'Account');
    const cis = column(findings, 'CIS AWS 3.0');
    const asOf = column(findings, 'As of (UTC)');
    for (let r = 2; r <= findings.rowCount; r++) {
      const row = findings.getRow(r);
      expect(typeof row.getCell(account).value).toBe('string');
      expect(row.getCell(asOf).value).toBeInstanceOf(Date);
    }
    // Control ids such as 1.10 stay text (a number would read 1.1).
    const cisIds = Array.from({ length: findings.rowCount - 1 }, (_, i) => findings.getRow(i + 2).getCell(cis).value);
    expect(cisIds).toContain('1.10');
    expect((findings.getRow(2).getCell(asOf).value as Date).toISOString()).toBe('2026-11-01T12:00:00.000Z');

    const controls = workbook.getWorksheet('Controls') as ExcelJS.Worksheet;
    expect(controls.rowCount).toBe(json.rules.length + 1);
    const status = column(controls, 'Status');
    const coverage = column(controls, 'Coverage (%)');
    const recovery = Array.from({ length: controls.rowCount - 1 }, (_, i) => controls.getRow(i + 2)).find(
      (row) => row.getCell(1).value === 'no-recovery-path',
    );
    expect(recovery?.getCell(status).value).toBe('not evaluated');
    expect(recovery?.getCell(coverage).value).toBe(0);

    const targets = workbook.getWorksheet('Targets') as ExcelJS.Worksheet;
    expect(targets.rowCount).toBe(json.findings.filter((f) => f.status === 'open').length + 1);

    const summary = workbook.getWorksheet('Summary') as ExcelJS.Worksheet;
    const labels = Array.from({ length: summary.rowCount }, (_, i) => String(summary.getRow(i + 1).getCell(1).value));
    expect(labels).toContain('Resolved since the baseline');
  });

  it("opens in a reader that shares no code with the writer (Python's zipfile and XML parser)", async () => {
    const dir = tempDir();
    const file = join(dir, 'report.xlsx');
    const run = await cli([...EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE, '--format', 'xlsx', '--output', file, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const script = [
      'import sys, zipfile, xml.etree.ElementTree as ET',
      'z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None',
      'for n in z.namelist():',
      '    if n.endswith(".xml") or n.endswith(".rels"): ET.fromstring(z.read(n))',
      'ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}',
      'wb = ET.fromstring(z.read("xl/workbook.xml"))',
      'print(",".join(s.get("name") for s in wb.find("m:sheets", ns)))',
      'sheet = ET.fromstring(z.read("xl/worksheets/sheet3.xml"))',
      'print(sheet.find("m:autoFilter", ns).get("ref"), sheet.find("m:sheetViews/m:sheetView/m:pane", ns).get("state"))',
      'row = sheet.find("m:sheetData", ns)[1]',
      'print(row[0].get("t"), row[0].find("m:is/m:t", ns).text if row[0].find("m:is/m:t", ns) is not None else row[0].find("m:v", ns).text)',
    ].join('\n');
    const python = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
    expect(python.status, python.stderr).toBe(0);
    const [sheets, filter, first] = python.stdout.trim().split('\n');
    expect(sheets).toBe('Summary,Controls,Findings,Targets');
    expect(filter).toMatch(/^A1:[A-Z]+\d+ frozen$/);
    // The account id is a string cell (inline or shared), never a number.
    expect(first).toMatch(/^(inlineStr|s|str) /);
  });

  it('a list longer than a sheet continues on the next sheet, and the Summary says so', async () => {
    const json = readResultText((await cli([...EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE, '--format', 'json', '--quiet'])).stdout);
    const workbook = await readBack(await bytesOf(json, 6));
    const names = workbook.worksheets.map((s) => s.name);
    const findingSheets = names.filter((n) => n.startsWith('Findings'));
    expect(findingSheets).toHaveLength(Math.ceil(json.findings.length / 5));
    const rows = findingSheets.reduce((n, name) => n + ((workbook.getWorksheet(name) as ExcelJS.Worksheet).rowCount - 1), 0);
    expect(rows).toBe(json.findings.length);
    const summary = workbook.getWorksheet('Summary') as ExcelJS.Worksheet;
    const notes = Array.from({ length: summary.rowCount }, (_, i) => summary.getRow(i + 1))
      .filter((row) => row.getCell(1).value === 'Row limit')
      .map((row) => String(row.getCell(2).value));
    expect(notes.join('\n')).toContain(`${json.findings.length} findings rows do not fit one sheet`);
  });

  it('hostile names stay data: control characters shown, formulas never evaluated, the file still opens', async () => {
    const result = await injectionResult();
    result.findings = result.findings.map((f, i) => ({
      ...f,
      principal: { ...f.principal, name: i === 0 ? '=HYPERLINK("http://x","y")\u0000\u001b[31m\uD800' : f.principal.name },
    }));
    const dir = tempDir();
    const file = join(dir, 'hostile.xlsx');
    writeFileSync(file, await bytesOf(result));
    const workbook = await readBack(readFileSync(file));
    const findings = workbook.getWorksheet('Findings') as ExcelJS.Worksheet;
    const cell = findings.getRow(2).getCell(column(findings, 'Principal'));
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe('=HYPERLINK("http://x","y")\\x00\\x1b[31m\uFFFD');
  });

  it('clips a value longer than a cell can hold, saying so', () => {
    const long = cellText('x'.repeat(XLSX_MAX_CELL + 10));
    expect(long.length).toBe(XLSX_MAX_CELL);
    expect(long).toContain('clipped');
  });

  it('refuses to write the binary workbook to a terminal', async () => {
    const run = await cli(['scan', '--from', 'examples/org', '--format', 'xlsx'], { tty: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--output/);
  });
});

describe('--format xlsx, account by account', () => {
  /** The workbook as the CLI writes it: accounts fed in `order`, their spooled rows read back in account-id order. */
  async function written(result: ScanResult, order: 'forward' | 'reverse' | 'two shares'): Promise<ExcelJS.Workbook> {
    const { header, slices, tallies } = sliceResult(result);
    const sink = xlsxFormatter.open(header, CONTEXT);
    const share = xlsxFormatter.open(header, CONTEXT);
    const chunks = new Map<string, string>();
    (order === 'reverse' ? [...slices].reverse() : slices).forEach((slice, i) =>
      chunks.set(slice.id, [...(order === 'two shares' && i % 2 === 1 ? share : sink).account(slice)].join('')),
    );
    // What a worker thread's instance kept joins the main one (SinkState).
    if (order === 'two shares') sink.state?.absorb(structuredClone(share.state?.save()));
    const spooled = [...chunks.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, text]) => text);
    const binary = sink.end(tallies).binary;
    if (!binary) throw new Error('xlsx gives no bytes');
    const parts: Uint8Array[] = [];
    for await (const chunk of binary(() => spooled)) parts.push(chunk);
    return readBack(Buffer.concat(parts));
  }

  const values = (workbook: ExcelJS.Workbook) =>
    workbook.worksheets.map((sheet) => [sheet.name, sheet.getSheetValues().map((row) => JSON.stringify(row))]);

  it('has the same cells whatever order accounts arrive in, and in shares; Targets are account by account, by procedure within each', async () => {
    const json = readResultText((await cli([...EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE, '--format', 'json', '--quiet'])).stdout);
    const forward = await written(json, 'forward');
    const reverse = await written(json, 'reverse');
    expect(values(reverse)).toEqual(values(forward));
    expect(values(await written(json, 'two shares'))).toEqual(values(forward));
    const targets = forward.getWorksheet('Targets') as ExcelJS.Worksheet;
    const [procedure, account] = [column(targets, 'Procedure'), column(targets, 'Account')];
    const keys = Array.from({ length: targets.rowCount - 1 }, (_, i): [string, string] => {
      const row = targets.getRow(i + 2);
      return [String(row.getCell(account).value), String(row.getCell(procedure).value)];
    });
    expect(keys).toHaveLength(json.findings.filter((f) => f.status === 'open').length);
    const sorted = [...keys].sort(([a1, p1], [a2, p2]) => a1.localeCompare(a2) || p1.localeCompare(p2));
    expect(keys).toEqual(sorted);
    expect(new Set(keys.map(([a]) => a)).size).toBeGreaterThan(1);
  });
});
