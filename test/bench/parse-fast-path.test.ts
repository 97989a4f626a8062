import { describe, expect, it } from 'vitest';
import { parseCredentialReport } from '../../src/core/report/parse.js';
import { InputError } from '../../src/model/index.js';
import { generateUsersCsv } from '../../src/sandbox/generate.js';

/**
 * parseCredentialReport splits quote-free reports itself and hands reports with quotes to
 * csv-parse. Quoting the first header name forces the csv-parse path on otherwise equal
 * text, so the two paths must agree on principals, warnings, line numbers and errors.
 */
function viaCsvParse(text: string): string {
  return text.replace(/^user,/, '"user",');
}

function outcome(text: string): unknown {
  try {
    return parseCredentialReport(text, 'r.csv');
  } catch (error) {
    if (error instanceof InputError) return { diagnostics: error.diagnostics };
    throw error;
  }
}

const report = generateUsersCsv({ accountId: '123456789012', users: 40, seed: 3, generatedAt: Date.parse('2026-01-01T00:00:00Z') });
const lines = report.trimEnd().split('\n');

describe('the quote-free fast path of the credential report parser', () => {
  it.each([
    ['LF with a trailing newline', report],
    ['no trailing newline', report.trimEnd()],
    ['CRLF line endings', report.replace(/\n/g, '\r\n')],
    ['CR line endings', report.replace(/\n/g, '\r')],
    ['blank lines between rows', [lines[0], '', lines[1], '', '', ...lines.slice(2)].join('\n')],
    ['a byte order mark', `\uFEFF${report}`],
    ['an unknown extra column', lines.map((line, i) => `${line},${i === 0 ? 'new_column' : 'x'}`).join('\n')],
  ])('parses like csv-parse: %s', (_name, text) => {
    const fast = outcome(text);
    expect(fast).toHaveProperty('principals');
    expect(fast).toEqual(outcome(viaCsvParse(text)));
  });

  it.each([
    ['a row with a missing field', [...lines.slice(0, 5), lines[5]?.replace(/,[^,]*$/, ''), ...lines.slice(6)].join('\n')],
    ['a bad timestamp', report.replace(/,(\d{4}-\d{2}-\d{2}T[^,]*),/, ',yesterday,')],
    ['a row of another account', [...lines.slice(0, 3), lines[3]?.replace('123456789012', '210987654321'), ...lines.slice(4)].join('\n')],
    ['a header only', `${lines[0]}\n`],
  ])('reports the same errors and lines as csv-parse: %s', (_name, text) => {
    const fast = outcome(text);
    expect(fast).toHaveProperty('diagnostics');
    expect(fast).toEqual(outcome(viaCsvParse(text)));
  });
});

describe('parseTimestamp without a regular expression', () => {
  const viaRegex = (value: string) => (/^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN);
  it.each([
    '2026-01-02T03:04:05+00:00',
    '2016-11-25T14:30:42Z',
    '2099-12-31T23:59:59.999-05:00',
    '2026-01-02 03:04:05',
    '2026-1-02T03:04:05Z',
    '202a-01-02T03:04:05Z',
    '2026/01/02T03:04:05Z',
    '2026-01-02',
    '2026-01-02T',
    'N/A',
    '',
    'Jan 2, 2026',
    ' 2026-01-02T03:04:05Z',
  ])('parses %j like the ISO prefix check', async (value) => {
    const { parseTimestamp } = await import('../../src/core/util/time.js');
    expect(parseTimestamp(value)).toEqual(viaRegex(value));
  });
});
