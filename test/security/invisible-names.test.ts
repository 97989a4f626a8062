/**
 * Issue 20 items 4 and 5: names that IAM could not have written are flagged per row (strict:
 * exit 2), invisible and bidi characters are shown as escapes in every human-facing format,
 * ASFF fields stay within Security Hub's limits, and no format written to standard output
 * carries a raw control character or a workflow command.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';
import { CONTEXT, exampleResult } from '../format/helpers.js';
import { sarifFormatter } from '../../src/core/format/sarif.js';
import { renderToString } from '../../src/core/format/types.js';
import { readResultText } from '../helpers/result.js';

const SOURCE = 'examples/org/222222222222-payments-prod.2026-11-01T120000Z.csv';
const AS_OF = ['--as-of', '2026-11-02T00:00:00Z'];

/** Four users who all look like "admin", one whose name reverses the text after it, one of 100 KB, one with terminal escapes and a workflow command. */
const HOSTILE = [
  'admin',
  'admin\u200b',
  'admin\u200d',
  'admin\u2060',
  'admin\u202egnp.exe',
  'long'.repeat(25_000),
  'esc\u001b]0;title\u0007\u001b[2J',
  'nl\n::add-mask::secret',
];

// Characters no human-facing output may hold raw (tab, line feed and carriage return aside).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/u;

function hostileReport(): string {
  const lines = readFileSync(SOURCE, 'utf8').split('\n');
  const [header, root, user] = lines as [string, string, string];
  const rows = HOSTILE.map((name) => {
    const quoted = `"${name.replace(/"/g, '""')}"`;
    // An ARN cannot hold a line break (the parser refuses it): the name alone carries one.
    const arn = `"arn:aws:iam::222222222222:user/ci/${name.replace(/"/g, '""').replace(/[\r\n]/g, '_')}"`;
    return user.replace(/^deploy-bot,arn:aws:iam::222222222222:user\/ci\/deploy-bot/, `${quoted},${arn}`);
  });
  const dir = tempDir();
  const file = join(dir, '222222222222-hostile.2026-11-01T120000Z.csv');
  writeFileSync(file, [header, root, ...rows].join('\n'));
  return file;
}

describe('names that break IAM rules', () => {
  it('are warned about per row, naming the file and the line', async () => {
    const file = hostileReport();
    const run = await cli(['scan', '--from', file, ...AS_OF, '--format', 'json']);
    expect(run.code).toBe(0);
    const warnings = run.stderr.split('\n').filter((l) => l.includes('tampered with or damaged'));
    // Every name but the plain "admin" breaks the rules.
    expect(warnings).toHaveLength(HOSTILE.length - 1);
    expect(warnings[0]).toContain(`${file}:4`);
    expect(run.stderr).toContain("user name 'admin\\u200b' breaks IAM's rules");
    expect(run.stderr).toContain('(100000 characters)');
  });

  it('with --strict-names, refuse the report: exit 2 naming file and line', async () => {
    const file = hostileReport();
    const run = await cli(['scan', '--from', file, ...AS_OF, '--format', 'json', '--strict-names']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`${file.replace(/[.]/g, '\\.')}:4:1`));
  });

  it('keep huge names from blowing up the JSON, and two long names apart', async () => {
    const run = await cli(['scan', '--from', hostileReport(), ...AS_OF, '--format', 'json', '-q']);
    expect(run.stdout.length).toBeLessThan(1_000_000);
    const result = readResultText(run.stdout);
    const long = result.findings.find((f) => f.principal.name.startsWith('longlong'));
    expect(long?.principal.name).toMatch(/…\[100000 characters, sha256 [0-9a-f]{16}\]$/);
  });
});

describe('invisible and control characters in every human-facing format', () => {
  it.each(['text', 'markdown', 'csv', 'html', 'junit'])(
    '%s on stdout: shown as escapes, never raw; no line is a workflow command',
    async (format) => {
      const run = await cli(['scan', '--from', hostileReport(), ...AS_OF, '--format', format, '-q']);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toMatch(RAW);
      expect(run.stdout.split(/\r\n|\r|\n/).filter((line) => /^\s*(::|##\[)/.test(line))).toEqual([]);
      // The look-alike admins stay apart.
      for (const escape of ['admin\\u200b', 'admin\\u200d', 'admin\\u2060', 'admin\\u202egnp.exe']) expect(run.stdout).toContain(escape);
    },
  );

  it.each(['json', 'sarif', 'asff'])('%s on stdout: valid JSON without raw C1, bidi or invisible characters', async (format) => {
    const run = await cli(['scan', '--from', hostileReport(), ...AS_OF, '--format', format, '-q']);
    expect(run.stdout).not.toMatch(RAW);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stdout.split('\n').filter((line) => /^\s*::/.test(line))).toEqual([]);
  });

  it('sarif messages and ASFF titles show the escapes (what code scanning and Security Hub display)', async () => {
    const dir = tempDir();
    const run = await cli(['scan', '--from', hostileReport(), ...AS_OF, '--format', 'sarif,asff', '--output-dir', dir, '-q']);
    expect(run.code).toBe(0);
    const sarif = JSON.parse(readFileSync(join(dir, 'credwarden.sarif'), 'utf8')) as {
      runs: { results: { message: { text: string } }[] }[];
    };
    const messages = sarif.runs[0]?.results.map((r) => r.message.text) ?? [];
    expect(messages.some((m) => m.includes('admin\\u202egnp.exe'))).toBe(true);
    expect(messages.join('\n')).not.toMatch(RAW);
    const asffFile = readFileSync(join(dir, 'credwarden.asff.json'), 'utf8');
    const findings = JSON.parse(asffFile) as { Title: string; Description: string; Resources: { Id: string; Details: unknown }[] }[];
    expect(findings.some((f) => f.Title.includes('admin\\u200b'))).toBe(true);
    for (const f of findings) {
      // Security Hub: 240 KB per finding, Title 256, Description 1024, Resources[].Id 512 characters.
      expect(Buffer.byteLength(JSON.stringify(f))).toBeLessThan(240 * 1024);
      expect([...f.Title].length).toBeLessThanOrEqual(256);
      expect([...f.Description].length).toBeLessThanOrEqual(1024);
      expect([...(f.Resources[0]?.Id ?? '')].length).toBeLessThanOrEqual(512);
      expect(`${f.Title}${f.Description}`).not.toMatch(RAW);
    }
  });
});

describe('SARIF rule links and locations (issue 20 item 12)', () => {
  it('a docs link that is not https never becomes helpUri, and no absolute path of the machine is embedded', async () => {
    const result = await exampleResult();
    const [first, ...rest] = result.rules ?? [];
    if (!first) throw new Error('no rules');
    const hostile = { ...first, docs: 'javascript:alert(document.domain)', source: '/home/runner/secret-project/rules/mine.yaml' };
    const text = renderToString(
      sarifFormatter.format({ ...result, rules: [hostile, ...rest] }, { ...CONTEXT, ruleSources: { [first.id]: hostile.source } }),
    );
    expect(text).not.toContain('javascript:');
    expect(text).not.toContain('/home/runner');
    const log = JSON.parse(text) as { runs: { tool: { driver: { rules: { id: string; helpUri?: string }[] } } }[] };
    expect(log.runs[0]?.tool.driver.rules.find((r) => r.id === first.id)?.helpUri).toBeUndefined();
    expect(log.runs[0]?.tool.driver.rules.filter((r) => r.helpUri).every((r) => r.helpUri?.startsWith('https://'))).toBe(true);
  });
});
