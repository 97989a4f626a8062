/**
 * Issue 18 item 4: `merge` streams version 3 shards through the report sinks, account by
 * account, instead of reading each shard whole. docs/reports.md (Sharding): the merged result
 * has exactly the accounts, findings and summary of a single run; merged reports are the
 * single run's reports, byte for byte.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccountSlice } from '../../src/core/pipeline/index.js';
import { ResultStreamParser } from '../../src/core/result/stream.js';
import { cli, tempDir } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

/** The example organisation as reports/examples shows it: fixed as-of, waivers and a baseline. */
const SCAN = [
  'scan',
  '--from',
  'examples/org',
  '--as-of',
  '2026-11-01T12:00:00Z',
  '--waivers',
  'reports/examples/waivers.yaml',
  '--baseline',
  'reports/examples/baseline.json',
  '--quiet',
];
const FORMATS = ['json', 'sarif', 'markdown', 'csv', 'html', 'text', 'junit', 'ocsf', 'asff'].flatMap((f) => ['--format', f]);

async function ok(argv: string[]): Promise<string> {
  const run = await cli(argv);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

/** The shards K/N of the example scan, as JSON files in `dir`. */
async function shards(dir: string, count: number): Promise<string[]> {
  const files = Array.from({ length: count }, (_, k) => join(dir, `shard-${k + 1}.json`));
  for (const [k, file] of files.entries()) await ok([...SCAN, '--shard', `${k + 1}/${count}`, '--format', 'json', '-o', file]);
  return files;
}

/** Every file of a folder, by name. */
function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

describe('merge streams version 3 shards through the sinks', () => {
  it.each([2, 3])('merging %i shards writes, in every format, the bytes of a single scan of their accounts', async (count) => {
    const dir = tempDir();
    const files = await shards(dir, count);
    await ok([...SCAN, ...FORMATS, '--output-dir', join(dir, 'single')]);
    await ok(['merge', ...files, ...FORMATS, '--output-dir', join(dir, 'merged'), '--quiet']);
    const single = filesOf(join(dir, 'single'));
    const merged = filesOf(join(dir, 'merged'));
    expect(Object.keys(merged).sort()).toEqual(Object.keys(single).sort());
    for (const [name, text] of Object.entries(single)) expect(merged[name], name).toBe(text);
    // One of the shards of three holds no account at all: the reports still open with its header.
    if (count === 3) expect(files.map((f) => JSON.parse(readFileSync(f, 'utf8')).accounts.length)).toContain(0);
  });

  it('hands each account on as soon as it is read, before the file ends', async () => {
    const text = await ok([...SCAN, '--format', 'json']);
    const bytes = Buffer.from(text);
    const seen: AccountSlice[] = [];
    let header: Readonly<Record<string, unknown>> | undefined;
    const parser = new ResultStreamParser('result.json', {
      beforeAccounts: (parts) => void (header = parts),
      account: (slice) => void seen.push(slice),
      finding: () => expect.unreachable('findings come with their account'),
    });
    // Everything up to the end of the second account's block (one line per item, blocks end with "}]}").
    const secondEnd = text.indexOf(']},\n', text.indexOf(']},\n', text.indexOf('"accounts":[')) + 1) + 3;
    parser.write(bytes.subarray(0, Buffer.byteLength(text.slice(0, secondEnd))));
    expect(header?.rulesHash).toBe(JSON.parse(text).rulesHash);
    expect(seen.map((s) => s.id)).toEqual(
      JSON.parse(text)
        .accounts.slice(0, 2)
        .map((a: { id: string }) => a.id),
    );
    // A slice carries the plans whole and the facts they were made from, so merge writes them compact again.
    const planned = seen.find((s) => s.plans.length > 0);
    expect(planned?.outlines?.every((o) => o.facts !== undefined)).toBe(true);
    parser.write(bytes.subarray(Buffer.byteLength(text.slice(0, secondEnd))));
    expect('header' in parser.end()).toBe(true);
    expect(seen.length).toBe(JSON.parse(text).accounts.length);
  });

  it('writes nothing when the shards cannot be merged', async () => {
    const dir = tempDir();
    const [one] = await shards(dir, 2);
    const run = await cli(['merge', one!, one!, '--format', 'json', '--format', 'markdown', '--output-dir', join(dir, 'out')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('also in');
    expect(run.stderr).toContain('missing shard(s) 2/2');
    expect(existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')) : []).toEqual([]);
  });

  it('merges a shard whose header parts come after its accounts (keys reordered) to the same findings and plans', async () => {
    const dir = tempDir();
    const files = await shards(dir, 2);
    const reordered = join(dir, 'reordered.json');
    const parsed = JSON.parse(readFileSync(files[0]!, 'utf8')) as Record<string, unknown>;
    const { notes, access, ...rest } = parsed;
    writeFileSync(reordered, JSON.stringify({ ...rest, notes, access }));
    const single = readResultText(await ok([...SCAN, '--format', 'json']));
    const merged = readResultText(await ok(['merge', reordered, files[1]!, '--quiet']));
    expect(merged.findings).toEqual(single.findings);
    expect(merged.plans).toEqual(single.plans);
    expect(merged.notes).toEqual(single.notes);
    const markdown = await ok(['merge', reordered, files[1]!, '--format', 'markdown', '--quiet']);
    expect(markdown).toBe(await ok([...SCAN, '--format', 'markdown']));
  });
});
