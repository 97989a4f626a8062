import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCredentialReport } from '../../src/core/report/parse.js';
import { REPORT_COLUMNS } from '../../src/core/report/columns.js';
import { InputError } from '../../src/model/index.js';
import { realReportsDir } from '../helpers/reports.js';
import { referenceParse } from './parse-reference.js';
import { seededRandom } from '../../src/sandbox/random.js';

/*
 * The parser normalises each row straight from its cells, as it reads them. Whatever the input,
 * it must give what the parser that first built a row object per record gave (parse-reference.ts):
 * the same principals, warnings and tampered rows, or the same errors in the same order.
 */

/** What a parse gives: its report, or the error it throws (an InputError's diagnostics whole). */
function outcome(parse: () => unknown): unknown {
  try {
    return { report: parse() };
  } catch (error) {
    if (error instanceof InputError) return { input: error.message, diagnostics: error.diagnostics };
    return { thrown: String(error) };
  }
}

let parsed = 0;

function expectSame(text: string, strictNames = false): void {
  const options = { strictNames };
  const fast = outcome(() => parseCredentialReport(text, 'r.csv', options));
  expect(fast).toEqual(outcome(() => referenceParse(text, 'r.csv', options)));
  if ('report' in (fast as object)) parsed++;
}

const TIMES = [
  '2026-05-11T18:14:43+00:00',
  '2024-02-29T00:00:00Z',
  '2026-02-31T10:00:00+00:00',
  '2026-13-01T10:00:00Z',
  '2026-05-11T25:00:00Z',
  ' 2026-05-11T18:14:43+00:00 ',
  '2026-05-11T18:14:43.123Z',
  '2026-05-11t18:14:43z',
  '2026-05-11',
  'N/A',
  'no_information',
  'not_supported',
  '',
  ' N/A',
  'n/a',
  'yesterday',
];
const BOOLS = ['true', 'false', 'TRUE', 'False', ' true ', 'yes', '', 'not_supported', '1'];
const SHORT = ['us-east-1', 's3', 'N/A', '', ' sts ', 'x'.repeat(64), 'y'.repeat(65), 'no_information', 'a\u0007b'];
const NAMES = [
  'alice',
  'bob.2',
  'eng,lead',
  'quote"d',
  'line\nbreak',
  'ünï',
  ' space',
  'x'.repeat(70),
  'z'.repeat(200),
  '<root_account>',
  '',
];
const PATHS = ['', 'division/eng/', 'a b/', 'x'.repeat(700) + '/'];

function pickOne<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

function cell(column: string, next: () => number, name: string, account: string): string {
  if (column === 'user') return name;
  if (column === 'arn') {
    const roll = next();
    if (roll < 0.05) return `arn:aws:iam::${account}:root`;
    if (roll < 0.1) return `arn:aws:iam::999999999999:user/${name}`;
    if (roll < 0.13) return `arn:aws-cn:iam::${account}:user/${name}`;
    if (roll < 0.16) return 'not-an-arn';
    if (roll < 0.19) return `arn:aws:iam::${account}:noslash`;
    return `arn:aws:iam::${account}:user/${pickOne(next, PATHS)}${name}`;
  }
  if (column.endsWith('_region') || column.endsWith('_service')) return pickOne(next, SHORT);
  if (column.endsWith('_active') || column === 'password_enabled') return pickOne(next, BOOLS);
  return pickOne(next, TIMES);
}

function quoted(value: string, always: boolean): string {
  return always || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A report with a header in some order, sometimes with an extra, missing or repeated column, and rows good and bad. */
function randomReport(next: () => number): string {
  const columns: string[] = [...REPORT_COLUMNS];
  if (next() < 0.3) columns.sort(() => next() - 0.5);
  const headerRoll = next();
  if (headerRoll < 0.05) columns.push('new_aws_column');
  else if (headerRoll < 0.07) columns.splice(Math.floor(next() * columns.length), 1);
  else if (headerRoll < 0.08) columns.push('mfa_active');
  const quoteAll = next() < 0.1;
  const account = next() < 0.95 ? '111122223333' : '444455556666';
  const lines = [columns.map((c) => quoted(c, quoteAll)).join(',')];
  const rows = Math.floor(next() * 12);
  // Half the reports have only rows AWS could write, so that most of those parse.
  const cleanShare = next() < 0.5 ? 1 : 0.6;
  for (let r = 0; r < rows; r++) {
    if (next() < 0.05) {
      lines.push('');
      continue;
    }
    const clean = next() < cleanShare;
    const name = clean ? `user.${r}` : pickOne(next, NAMES);
    const cells = columns.map((c) => {
      if (!clean) return cell(c, next, name, account);
      if (c === 'arn') return `arn:aws:iam::${account}:user/${name}`;
      return c === 'user' ? name : cell(c, () => next() * 0.1, name, account);
    });
    if (next() < 0.04) cells.pop();
    if (next() < 0.04) cells.push('extra');
    lines.push(cells.map((v) => quoted(v, quoteAll)).join(','));
  }
  const endings = ['\n', '\r\n', '\r', '\n\r', '\r\r\n'];
  // One line ending for the whole report, or (a damaged file) any of them between any two lines.
  const mixed = next() < 0.2;
  const ending = pickOne(next, endings);
  const end = () => (mixed ? pickOne(next, endings) : ending);
  const bom = next() < 0.05 ? '\uFEFF' : '';
  return bom + lines.reduce((text, line) => `${text}${end()}${line}`) + (next() < 0.5 ? end() : '');
}

describe('parseCredentialReport gives what the row-object parser gave', () => {
  it.each(readdirSync(realReportsDir).filter((f) => f.endsWith('.csv')))('on the real-world report %s', (file) => {
    expectSame(readFileSync(join(realReportsDir, file), 'utf8'));
  });

  it('on edge cases: empty, header only, blank lines, a BOM, a stray quote', () => {
    const header = REPORT_COLUMNS.join(',');
    for (const text of ['', '\n\n', header, `${header}\n`, `\uFEFF${header}\n\n`, `${header}\n"unclosed`, `${header}\na"b`, `,\n,`]) {
      expectSame(text);
    }
  });

  it('on 1,000 random hostile reports, with and without --strict-names', () => {
    const next = seededRandom(18);
    parsed = 0;
    for (let i = 0; i < 1000; i++) expectSame(randomReport(next), i % 2 === 1);
    // Both outcomes are well represented: reports read, and reports refused.
    expect(parsed).toBeGreaterThan(200);
    expect(parsed).toBeLessThan(800);
  });
});
