import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { formatCsv as csvChunks } from '../../src/core/format/csv.js';
import { formatMarkdown as markdownChunks } from '../../src/core/format/markdown.js';
import { formatGithub as githubChunks } from '../../src/core/format/github.js';
import { formatJunit as junitChunks } from '../../src/core/format/junit.js';
import { renderToString, type FormatContext } from '../../src/core/format/types.js';
import type { ScanResult } from '../../src/model/index.js';
import { CONTEXT, injectionResult } from './helpers.js';

// test/fixtures/injection holds a credential report whose user names try to
// break each format: formulas, pipes, commas, HTML, backticks, line breaks and
// forged workflow commands.
const formatCsv = (r: ScanResult) => renderToString(csvChunks(r));
const formatMarkdown = (r: ScanResult, c: FormatContext) => renderToString(markdownChunks(r, c));
const formatGithub = (r: ScanResult) => renderToString(githubChunks(r));
const formatJunit = (r: ScanResult) => renderToString(junitChunks(r));

const HOSTILE = [
  '=1+1',
  '@x',
  '-2+3',
  '+SUM(A1)',
  'a|b',
  'x,y',
  '<img src=x onerror=alert(1)>',
  'tick`name',
  'line\nbreak',
  '%0A::error::forged',
];

describe('CSV formula injection', () => {
  it('neutralises every cell that starts with = + - @ and keeps names round-trippable', async () => {
    const rows = parse(formatCsv(await injectionResult()), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(HOSTILE.length);
    const principals = rows.map((r) => r.principal).sort();
    const expected = HOSTILE.map((n) => (/^[=+\-@]/.test(n) ? `'${n}` : n)).sort();
    expect(principals).toEqual(expected);
    for (const row of rows) {
      for (const value of Object.values(row)) expect(value, `cell ${JSON.stringify(value)}`).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('keeps a name containing a comma in one cell', async () => {
    const rows = parse(formatCsv(await injectionResult()), { columns: true }) as Record<string, string>[];
    const row = rows.find((r) => r.principal === 'x,y');
    expect(row?.arn).toBe('arn:aws:iam::444444444444:user/x,y');
    expect(row?.rule).toBe('console-user-without-mfa');
  });
});

describe('Markdown injection', () => {
  it('keeps every findings row on one line with the right number of cells', async () => {
    const text = formatMarkdown(await injectionResult(), CONTEXT);
    const section = text.slice(text.indexOf('## Findings'), text.indexOf('## Remediation plans'));
    const rows = section.split('\n').filter((l) => l.startsWith('| `444444444444` injection |'));
    expect(rows).toHaveLength(HOSTILE.length);
    for (const row of rows) {
      // Unescaped pipes delimit cells: 6 columns means 7 of them.
      expect(row.replace(/\\\|/g, '').match(/\|/g)).toHaveLength(7);
    }
  });

  it('never emits raw HTML from a name, anywhere in the report', async () => {
    const text = formatMarkdown(await injectionResult(), CONTEXT);
    // Inside code spans HTML is shown literally (CommonMark), so only text outside them counts.
    // A backslash-escaped backtick opens no code span; a span ends at the same run of backticks.
    const outsideCode = text.replace(/(?<!\\)(`+)(?:(?!\1)[\s\S])*?\1/g, '');
    expect(outsideCode).not.toContain('<img');
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('escapes backticks and pipes in names', async () => {
    const text = formatMarkdown(await injectionResult(), CONTEXT);
    expect(text).toContain('tick\\`name');
    expect(text).toContain('| a\\|b<br>');
  });
});

describe('GitHub workflow commands', () => {
  it('cannot be split or forged by a name', async () => {
    const lines = formatGithub(await injectionResult())
      .trimEnd()
      .split('\n');
    // One line per finding plus the scope and summary notices: a newline in a name did not add a line.
    const result = await injectionResult();
    expect(lines).toHaveLength(HOSTILE.length + (result.notes ?? []).length + 1);
    for (const line of lines) expect(line).toMatch(/^::(error|warning|notice) title=[^:]*::/);
    expect(lines.join('\n')).toContain('%250A%3A%3Aerror%3A%3Aforged');
  });
});

describe('JUnit XML', () => {
  it('escapes markup in names', async () => {
    const xml = formatJunit(await injectionResult());
    expect(xml).not.toContain('<img');
    expect(xml).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
