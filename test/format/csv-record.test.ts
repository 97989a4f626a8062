import { describe, expect, it } from 'vitest';
import { csvRecord, csvRecords, spreadsheetCell, spreadsheetRecords } from '../../src/core/format/csv.js';
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

describe('spreadsheetRecords', () => {
  it('writes what csvRecords writes for spreadsheet cells, with CRLF and LF record ends', () => {
    const cells = [...shortStrings(), ...hostileStrings(20000, 11)].map(spreadsheetCell);
    const records: string[][] = [];
    for (let i = 0; i + 5 <= cells.length; i += 5) records.push(cells.slice(i, i + 5));
    expect(cells.some((c) => c.includes('\n'))).toBe(true);
    expect(spreadsheetRecords(records)).toBe(csvRecords(records));
    expect(spreadsheetRecords(records, '\n')).toBe(csvRecords(records, '\n'));
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
