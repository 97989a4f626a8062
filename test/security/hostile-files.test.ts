/** Hostile input files (issue 13): every one names its file (and line) and exits 2. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';
import { parseCredentialReport } from '../../src/core/report/parse.js';
import { InputError } from '../../src/model/index.js';

const sample = resolve('examples/org/222222222222-payments-prod.2026-11-01T120000Z.csv');
const lines = readFileSync(sample, 'utf8').trimEnd().split('\n');
const header = lines[0] as string;

function problems(text: string): string[] {
  try {
    parseCredentialReport(text, 'r.csv');
  } catch (error) {
    if (error instanceof InputError) return error.diagnostics.map((d) => `${d.line ?? '-'}: ${d.message}`);
    throw error;
  }
  return [];
}

describe('credential report headers', () => {
  it.each(['mfa_active', 'user', 'arn'])('a second %s column is refused, naming the column and the line', (column) => {
    const text = [`${header},${column}`, ...lines.slice(1).map((l) => `${l},x`)].join('\n');
    expect(problems(text)).toEqual([
      expect.stringMatching(new RegExp(`^1: column '${column}' appears twice in the header \\(columns \\d+ and 23\\)`)),
    ]);
  });

  it('a duplicate header column exits 2 from the CLI (it would have hidden findings)', async () => {
    const dir = tempDir();
    const cols = header.split(',');
    const mfa = cols.indexOf('mfa_active');
    // The second mfa_active says "true" for everyone: before the fix it replaced the first.
    writeFileSync(
      join(dir, '222222222222-x.2026-11-01T120000Z.csv'),
      [`${header},mfa_active`, ...lines.slice(1).map((l) => `${l},true`)].join('\n'),
    );
    const { code, stderr } = await cli(['scan', '--from', dir, '--fail-on', 'low']);
    expect(code).toBe(2);
    expect(stderr).toContain(`:1:23: error: column 'mfa_active' appears twice in the header (columns ${mfa + 1} and 23)`);
  });

  it('a CSV that is not a credential report: one message naming the expected columns', () => {
    const found = problems('name,email,team\nalice,a@example.com,ops\n');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^1: not an IAM credential report: the first line is not its header \(expected the columns user,arn,user_creation_time,.*cert_2_last_rotated\)$/,
    );
  });

  it('README.md given as a report says so, not "Invalid Opening Quote"', async () => {
    const { code, stderr } = await cli(['scan', '--from', 'README.md']);
    expect(code).toBe(2);
    expect(stderr).toContain('README.md:1: error: not an IAM credential report');
    expect(stderr).not.toMatch(/Opening Quote|required column/);
  });

  it('a report missing a few columns lists them in one message', () => {
    const cols = header.split(',').filter((c) => c !== 'cert_2_active' && c !== 'cert_2_last_rotated');
    expect(problems(`${cols.join(',')}\n`)).toEqual(['1: the header lacks 2 columns: cert_2_active, cert_2_last_rotated']);
  });
});

describe('huge and impossible values', () => {
  it('a 10 MB field gives a short message naming file, line and column', async () => {
    const dir = tempDir();
    const row = (lines[2] as string).split(',');
    row[2] = 'x'.repeat(10_000_000);
    writeFileSync(join(dir, '222222222222-big.2026-11-01T120000Z.csv'), [header, lines[1], row.join(',')].join('\n'));
    const { code, stderr } = await cli(['scan', '--from', dir]);
    expect(code).toBe(2);
    expect(stderr.length).toBeLessThan(2000);
    expect(stderr).toMatch(/222222222222-big\.2026-11-01T120000Z\.csv:3:3 .*\(10000000 characters\)/);
    expect(stderr).not.toContain('Invalid string length');
  });

  it('an impossible date in a report cell is refused, not rolled over to March', () => {
    const row = (lines[2] as string).split(',');
    row[2] = '2026-02-31T12:00:00+00:00';
    expect(problems([header, lines[1], row.join(',')].join('\n'))).toEqual([
      expect.stringMatching(
        /^3: column 'user_creation_time': expected an ISO 8601 time \(a real calendar day\).*'2026-02-31T12:00:00\+00:00'/,
      ),
    ]);
  });
});

describe('YAML alias bombs name their file', () => {
  const bomb = [
    'a: &a ["x","x","x","x","x","x","x","x","x"]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    '',
  ].join('\n');

  it.each([
    ['config', (dir: string) => ['scan', '--from', sample, '--config', join(dir, 'bomb.yaml')]],
    ['waivers', (dir: string) => ['scan', '--from', sample, '--waivers', join(dir, 'bomb.yaml')]],
    ['pack', (dir: string) => ['scan', '--from', sample, '--pack', join(dir, 'bomb.yaml')]],
    ['rules', (dir: string) => ['scan', '--from', sample, '--rules', join(dir, 'rules')]],
    ['procedures', (dir: string) => ['plan', '--from', sample, '--procedures', join(dir, 'procedures')]],
  ])('in a %s file', async (_, args) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bomb.yaml'), bomb);
    for (const sub of ['rules', 'procedures']) {
      mkdirSync(join(dir, sub));
      writeFileSync(join(dir, sub, 'bomb.yaml'), bomb);
    }
    const { code, stderr } = await cli(args(dir));
    expect(code).toBe(2);
    expect(stderr).toMatch(/bomb\.yaml:2:\d+: error: YAML aliases expand too much/);
    expect(stderr).not.toContain('unexpected error');
  });
});
