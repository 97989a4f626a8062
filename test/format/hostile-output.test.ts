import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/index.js';
import { formatJobSummary } from '../../src/core/format/github.js';
import { listFormatters } from '../../src/core/format/registry.js';
import { renderToString } from '../../src/core/format/types.js';
import { CONTEXT, injectionResult } from './helpers.js';

// Values a tampered report, an Organizations account name or an error message can
// carry: line breaks that would start a CSV row or a workflow command, terminal
// escapes, C1 controls, NUL, bidi overrides. Set on the result directly, so the
// formatters are tested whatever the report parser lets through.
const NAMES = [
  'x\n=cmd|calc',
  'y\r\n::error::forged',
  '\u001b[31mred\u001b[0m',
  'bell\u0007nul\u0000',
  'c1\u009b31m',
  'a|b\nc',
  ' ::warning::lead',
  'rtl\u202egnp.exe',
];

async function hostileResult(): Promise<ScanResult> {
  const result = await injectionResult();
  result.findings = result.findings.map((f, i) => {
    const name = NAMES[i % NAMES.length] as string;
    return {
      ...f,
      accountName: `acct\n::notice::${i}`,
      principal: { ...f.principal, name },
      message: `${f.message}\r\n@SUM(1)\u001b]0;title\u0007`,
    };
  });
  result.accounts = result.accounts.map((a) => ({ ...a, name: 'evil\n::warning::account\u001b[2J', reason: 'x\n::error::reason' }));
  result.warnings = ['warn\n::error::from a warning\u0007'];
  return result;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;

function render(format: string, result: ScanResult, companions = false): string {
  const formatter = listFormatters().find((f) => f.name === format);
  if (!formatter) throw new Error(`no ${format}`);
  return renderToString(formatter.format(result, { ...CONTEXT, companions }));
}

describe('hostile values in every format', () => {
  it.each(['text', 'markdown', 'csv', 'junit', 'json', 'sarif', 'ocsf'])(
    '%s: no line starts with :: (a GitHub runner would obey it)',
    async (format) => {
      const text = render(format, await hostileResult());
      const commands = text.split(/\r\n|\r|\n/).filter((line) => /^\s*::/.test(line));
      expect(commands).toEqual([]);
    },
  );

  it.each(['text', 'markdown', 'junit'])('%s: control characters are shown, never written raw', async (format) => {
    const text = render(format, await hostileResult());
    expect(text).not.toMatch(CONTROL);
    expect(text).toMatch(/\\{1,2}x1b\\?\[31mred/);
  });

  it('the job summary shows control characters and never starts a command', async () => {
    const text = renderToString(formatJobSummary(await hostileResult(), CONTEXT));
    expect(text).not.toMatch(CONTROL);
    expect(text.split('\n').filter((line) => /^\s*::/.test(line))).toEqual([]);
  });

  it('github: one annotation per finding, each a single line with control characters shown', async () => {
    const result = await hostileResult();
    const lines = render('github', result).trimEnd().split('\n');
    // One line per finding, one per scope note, one summary.
    expect(lines).toHaveLength(result.findings.length + (result.notes ?? []).length + 1);
    for (const line of lines) expect(line).toMatch(/^::(error|warning|notice) title=[^:]*::/);
    expect(lines.join('\n')).not.toMatch(CONTROL);
  });

  it('csv: every cell with CR or LF is quoted, and the formula guard holds on every line', async () => {
    const result = await hostileResult();
    const text = render('csv', result);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(result.findings.length);
    // A line break never splits a row: each record still has the full row's values.
    expect(rows.map((r) => r.rule)).toEqual(result.findings.map((f) => f.ruleId));
    for (const line of text.split(/\r\n|\r|\n/)) expect(line, `line ${JSON.stringify(line)}`).not.toMatch(/^(?:[=+\-@\t]|\s*::)/);
    for (const row of rows)
      for (const value of Object.values(row)) for (const line of value.split(/\r\n|\r|\n/)) expect(line).not.toMatch(/^[=+\-@\t]/);
    // A lone LF inside a value is quoted too (csv-stringify only quotes the record delimiter by default).
    expect(text).toContain('"x\n\'=cmd|calc"');
  });

  it('markdown: every table row keeps its cells on one line', async () => {
    const text = render('markdown', await hostileResult());
    const findingRows = text.split('\n').filter((l) => l.startsWith('| `444444444444`'));
    // The accounts table and one row per finding.
    expect(findingRows.length).toBeGreaterThan(NAMES.length);
    const cells = (line: string) => line.replace(/\\\|/g, '').split('|').length;
    const widths = new Set(findingRows.filter((l) => l.includes('<br>`arn:')).map(cells));
    expect(widths.size).toBe(1);
  });

  it('junit: a line break in a value cannot start a line', async () => {
    const text = render('junit', await hostileResult());
    for (const line of text.split('\n')) expect(line).not.toMatch(/^\s*::/);
    expect(text).toContain('x\\x0a=cmd|calc');
  });
});
