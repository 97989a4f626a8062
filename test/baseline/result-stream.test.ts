/**
 * The one result reader (src/core/result/stream.ts), read as a stream by every command:
 * - issue 18 item 4: items are handed on as they are read, whatever the key order;
 * - issue 20 item 7: impossible dates are refused by every command the same way;
 * - issue 20 item 8: a waived finding without a waiver record in force is refused (merge's gate).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, ScanResult } from '../../src/model/index.js';
import { InputError } from '../../src/model/index.js';
import { ResultStreamParser } from '../../src/core/result/stream.js';
import { parseResult } from '../../src/core/result/parse.js';
import { cli, tempDir } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

const AS_OF = '2026-11-02T00:00:00Z';
const WAIVERS = `waivers:
  - rule: root-access-key-exists
    account: '222222222222'
    principal: 'arn:aws:iam::222222222222:root'
    reason: Legacy batch job; migration ticket SEC-101
    approvedBy: ciso@example.com
    expires: 2026-12-31
`;

let dir = '';
let good: ScanResult;
let goodPath = '';

beforeAll(async () => {
  dir = tempDir();
  writeFileSync(join(dir, 'waivers.yaml'), WAIVERS);
  goodPath = join(dir, 'good.json');
  const run = await cli(
    [
      'scan',
      '--from',
      'examples/org',
      '--as-of',
      AS_OF,
      '--waivers',
      join(dir, 'waivers.yaml'),
      '--format',
      'json',
      '-o',
      goodPath,
      '--quiet',
    ],
    {
      cwd: process.cwd(),
      env: {},
    },
  );
  expect(run.stderr).toBe('');
  good = readResultText(readFileSync(goodPath, 'utf8'));
  expect(good.findings.some((f) => f.status === 'waived')).toBe(true);
}, 60_000);

function write(name: string, result: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof result === 'string' ? result : JSON.stringify(result, null, 2));
  return path;
}

describe('streaming', () => {
  it('hands each finding on as soon as it is read, before the file ends', () => {
    const bytes = Buffer.from(JSON.stringify(good));
    const seen: Finding[] = [];
    const parser = new ResultStreamParser('good.json', { finding: (f) => seen.push(f) });
    const lastFinding = bytes.indexOf(Buffer.from('"plans"'));
    parser.write(bytes.subarray(0, lastFinding));
    expect(seen).toHaveLength(good.findings.length);
    parser.write(bytes.subarray(lastFinding));
    expect(parser.end()).toMatchObject({ header: { counts: { findings: good.findings.length, plans: good.plans.length } } });
  });

  it('reads the same result from one-byte chunks as from one', () => {
    const bytes = Buffer.from(JSON.stringify(good));
    const findings: Finding[] = [];
    const parser = new ResultStreamParser('good.json', { finding: (f) => findings.push(f) });
    for (let i = 0; i < bytes.length; i++) parser.write(bytes.subarray(i, i + 1));
    parser.end();
    expect(findings).toEqual(good.findings);
  });

  it('does not depend on key order: findings before schemaVersion are read in a second pass', async () => {
    const { schemaVersion, findings, ...rest } = good;
    const reordered = write('reordered.json', { findings, ...rest, schemaVersion });
    expect(parseResult(readFileSync(reordered, 'utf8'), 'reordered.json')).toEqual(good);
    const run = await cli(['diff', goodPath, reordered, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ added: [], resolved: [], changed: [], unchanged: good.findings.length });
  });

  it('refuses a key given twice rather than reading either', () => {
    const text = JSON.stringify(good).replace('"pack":', '"pack":"other","pack":');
    expect(() => parseResult(text, 'twice.json')).toThrow(InputError);
  });
});

/** Commands that read a result, each with `{}` standing for the result under test. */
const READERS: [string, (path: string) => string[]][] = [
  ['diff (new)', (p) => ['diff', goodPath, p]],
  ['diff (old)', (p) => ['diff', p, goodPath]],
  ['trend', (p) => ['trend', p]],
  ['merge', (p) => ['merge', p]],
  ['plan', (p) => ['plan', p]],
  ['publish --dry-run', (p) => ['publish', 'securityhub', p, '--dry-run']],
  ['scan --baseline', (p) => ['scan', '--from', 'examples/org', '--as-of', AS_OF, '--baseline', p]],
];

describe('impossible dates are refused by every reader, the same way', () => {
  const cases: [string, (r: ScanResult) => unknown, string][] = [
    ['asOf 2026-02-31', (r) => ({ ...r, asOf: '2026-02-31T00:00:00Z' }), '/asOf'],
    [
      'an account report time of 2026-04-31',
      (r) => ({ ...r, accounts: r.accounts.map((a, i) => (i === 1 ? { ...a, reportGeneratedTime: '2026-04-31T12:00:00Z' } : a)) }),
      '/accounts/1/reportGeneratedTime',
    ],
    [
      'a waiver expiring 2027-02-29',
      (r) => ({ ...r, waivers: r.waivers?.map((w) => ({ ...w, expires: '2027-02-29' })) }),
      '/waivers/0/expires',
    ],
  ];
  for (const [what, edit, pointer] of cases)
    it.each(READERS)(`${what}: %s`, async (_name, argv) => {
      const path = write(`dates-${pointer.replace(/\//g, '_')}.json`, edit(good));
      const run = await cli(argv(path));
      expect(run.code, run.stdout).toBe(2);
      expect(run.stderr).toContain(`${path}:`);
      expect(run.stderr).toContain(`at ${pointer}: error:`);
      expect(run.stderr).toMatch(
        /not an ISO 8601 (date or )?time on a real calendar day \(the file was edited or damaged: write it with `credwarden scan/,
      );
    });
});

describe('a waived finding must be waived by a waiver the result records', () => {
  const openHigh = () => good.findings.findIndex((f) => f.status === 'open' && (f.severity === 'high' || f.severity === 'critical'));

  it('merge --fail-on high no longer passes a shard edited to say waived', async () => {
    const i = openHigh();
    const tampered = { ...good, findings: good.findings.map((f) => (f.status === 'open' ? { ...f, status: 'waived' as const } : f)) };
    const path = write('tampered.json', tampered);
    const run = await cli(['merge', path, '--fail-on', 'high', '--format', 'json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`at /findings/${i}/status: error: the finding is waived, but it names no waiver`);
  });

  it.each([
    [
      'names a waiver the result does not record',
      (w: Finding['waiver']) => ({ ...w!, id: 'forged' }),
      /the result records no waiver 'forged'/,
    ],
    ['quotes another expiry', (w: Finding['waiver']) => ({ ...w!, expires: '2099-12-31' }), /its expiry differs from waiver/],
  ])('refuses a waived finding that %s', async (_what, edit, message) => {
    const i = openHigh();
    const real = good.findings.find((f) => f.status === 'waived')!;
    const tampered = {
      ...good,
      findings: good.findings.map((f, j) => (j === i ? { ...f, status: 'waived' as const, waiver: edit(real.waiver) } : f)),
    };
    const run = await cli(['merge', write('tampered-waiver.json', tampered), '--fail-on', 'high']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('refuses a waiver that does not cover the finding it is said to waive', async () => {
    const i = openHigh();
    const real = good.findings.find((f) => f.status === 'waived')!;
    const tampered = {
      ...good,
      findings: good.findings.map((f, j) => (j === i ? { ...f, status: 'waived' as const, waiver: real.waiver } : f)),
    };
    const run = await cli(['publish', 'securityhub', write('tampered-cover.json', tampered), '--dry-run']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/does not cover it \(rule, account, principal or credential\)/);
  });

  it('still merges an honest result with waived findings', async () => {
    const run = await cli(['merge', goodPath, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(readResultText(run.stdout).summary.waived).toBe(good.summary.waived);
  });
});
