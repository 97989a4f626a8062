import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvRecord, spreadsheetCell, SpreadsheetRows } from '../../src/core/format/csv.js';
import { neutraliseFormula, visibleControls } from '../../src/core/util/escape.js';

/**
 * Characters that matter to a CSV writer, a spreadsheet or a terminal: quotes, separators, line
 * breaks, formula triggers (ASCII and full-width), `::`, leading zeros, C0/C1 controls, bidi
 * overrides, invisible characters, an astral tag character, and plain text.
 */
const HOSTILE = [
  '"',
  ',',
  '\r',
  '\n',
  '\r\n',
  '=',
  '+',
  '-',
  '@',
  '\t',
  ' ',
  ':',
  '::',
  '0',
  '7',
  'a',
  'Z',
  "'",
  ';',
  '|',
  '\\',
  '\x00',
  '\x1b',
  '\x07',
  '\x7f',
  '\x85',
  '\x9b',
  '\u00a0',
  '\u00ad',
  '\u200b',
  '\u200f',
  '\u2028',
  '\u202e',
  '\u2066',
  '\ufeff',
  '\uff1d',
  '\uff0b',
  '\u{e0041}',
  '\u{1d173}',
  'é',
  '日',
  '😀',
  '##[',
  '%',
];

/** A deterministic stream of hostile strings (mulberry32), so a failure can be replayed. */
function* hostileStrings(count: number, seed = 18): Generator<string> {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = 0; i < count; i++) {
    const length = Math.floor(next() * 7);
    let text = '';
    for (let j = 0; j < length; j++) text += HOSTILE[Math.floor(next() * HOSTILE.length)];
    yield text;
  }
}

/** Every string of up to two pieces of the alphabet, and the empty string. */
function* shortStrings(): Generator<string> {
  yield '';
  for (const a of HOSTILE) {
    yield a;
    for (const b of HOSTILE) yield a + b;
  }
}

/** The guards of a spreadsheet cell applied one after the other, as they were before the fast path. */
function everyGuard(value: string): string {
  return /^0\d+$/.test(value) ? `'${value}` : neutraliseFormula(visibleControls(value.replace(/\r\n|\r/g, '\n'), true));
}

describe('csvRecord', () => {
  it('quotes a cell with a quote, comma, CR or lone LF and doubles its quotes', () => {
    expect(csvRecord(['a"b', 'c,d', 'e\rf', 'g\nh', 'plain', ''])).toBe('"a""b","c,d","e\rf","g\nh",plain,\r\n');
    expect(csvRecord(['x\ny', 'z'], '\n')).toBe('"x\ny",z\n');
  });
});

/** csv-stringify called plainly with the options credwarden's CSV files are written with (docs/reports.md). */
function plainStringify(records: readonly (readonly string[])[], end: '\r\n' | '\n'): string {
  return stringify(records as string[][], { record_delimiter: end === '\r\n' ? 'windows' : 'unix', quoted_match: /[\r\n]/ });
}

/** Records of 0 to 6 cells cut from a stream of cells, deterministically. */
function toRecords(cells: readonly string[]): string[][] {
  const records: string[][] = [];
  for (let i = 0, width = 0; i + width <= cells.length; i += width, width = (width + 1) % 7) records.push(cells.slice(i, i + width));
  return records;
}

/** Cells a writer gets wrong most easily: quotes at either end, a lone CR, only separators, surrogate pairs, empty. */
const EDGE_CELLS = [
  '',
  '"',
  '""',
  '"a',
  'a"',
  '"a"',
  ',',
  'a,',
  ',a',
  '\r',
  'a\r',
  '\ra',
  '\r\r\n',
  '\n',
  '\n\r',
  ' ',
  '=1+1',
  '-2',
  '@x',
  '\tx',
  "'",
  '😀',
  '😀"',
  '\u{1d173},',
  '\ud83d',
  '\ude00',
];

describe('csvRecord', () => {
  it('writes exactly what csv-stringify writes, record by record, for edge and random hostile cells', () => {
    const cells = [...EDGE_CELLS, ...shortStrings(), ...hostileStrings(30000, 5)];
    const records = [...toRecords(cells), ...EDGE_CELLS.map((c) => [c]), ...EDGE_CELLS.map((c) => [c, c, ''])];
    let asIs = 0;
    for (const end of ['\r\n', '\n'] as const)
      for (const record of records) {
        const expected = plainStringify([record], end);
        expect(csvRecord(record, end)).toBe(expected);
        if (expected === record.join(',') + end) asIs++;
      }
    // Both paths are taken: records written as they are (joined), and records csv-stringify quotes.
    expect(asIs).toBeGreaterThan(records.length / 4);
    expect(asIs).toBeLessThan(records.length * 2 - records.length / 4);
  });

  it('writes, record by record, what csv-stringify writes for whole batches of spreadsheet cells', () => {
    const records = toRecords([...shortStrings(), ...hostileStrings(20000, 11)].map(spreadsheetCell));
    for (const end of ['\r\n', '\n'] as const) {
      expect(records.map((record) => csvRecord(record, end)).join('')).toBe(plainStringify(records, end));
    }
  });

  it('honours the quoting options: a lone CR or LF is quoted whatever the record end', () => {
    expect(csvRecord(['a\rb', 'c'], '\n')).toBe('"a\rb",c\n');
    expect(csvRecord(['a\nb', 'c'])).toBe('"a\nb",c\r\n');
    expect(csvRecord(['a\rb'])).toBe('"a\rb"\r\n');
  });
});

describe('SpreadsheetRows', () => {
  it('writes each row as csvRecord writes its spreadsheet cells, when columns repeat, change or alternate', () => {
    const pool = [...EDGE_CELLS, ...hostileStrings(400, 3), 'alice', '012345678901'];
    const random = [...hostileStrings(60000, 9)];
    for (const end of ['\r\n', '\n'] as const) {
      const rows = new SpreadsheetRows(4, end);
      let quoted = 0;
      for (let i = 0; i + 4 <= random.length; i += 4) {
        // Column 0 changes every row, 1 repeats for runs of rows, 2 alternates between two values, 3 draws from a small pool.
        const values = [
          random[i]!,
          pool[Math.floor(i / 40) % pool.length]!,
          i % 8 === 0 ? 'a,b' : 'ab',
          pool[random[i + 3]!.length % pool.length]!,
        ];
        values.forEach((value, column) => rows.set(column, value));
        const expected = csvRecord(values.map(spreadsheetCell), end);
        expect(rows.text()).toBe(expected);
        if (expected.includes('"')) quoted++;
      }
      expect(quoted).toBeGreaterThan(1000);
    }
  });

  it('writes rows of no cells and of one cell as csvRecord does', () => {
    for (const end of ['\r\n', '\n'] as const) {
      expect(new SpreadsheetRows(0, end).text()).toBe(csvRecord([], end));
      const one = new SpreadsheetRows(1, end);
      for (const value of EDGE_CELLS) {
        one.set(0, value);
        expect(one.text()).toBe(csvRecord([spreadsheetCell(value)], end));
      }
    }
  });
});

describe('spreadsheetCell', () => {
  it('gives what every guard in turn gives, on every short and many random hostile cells', () => {
    for (const value of [...shortStrings(), ...hostileStrings(20000, 7)]) expect(spreadsheetCell(value)).toBe(everyGuard(value));
  });

  it('returns a clean cell unchanged and still guards formulas, leading zeros, controls and bidi', () => {
    expect(spreadsheetCell('alice@example.com')).toBe('alice@example.com');
    expect(spreadsheetCell('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(spreadsheetCell('  ::add-mask::x')).toBe("'  ::add-mask::x");
    expect(spreadsheetCell('012345678901')).toBe("'012345678901");
    expect(spreadsheetCell('ok\n@SUM(A1)')).toBe("ok\n'@SUM(A1)");
    expect(spreadsheetCell('a\u202eb\x1b')).toBe('a\\u202eb\\x1b');
  });
});
