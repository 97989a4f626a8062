import { describe, expect, it } from 'vitest';
import { InputError, type ScanResult } from '../../src/model/index.js';
import { mergeResults, parseShard, selectShard, shardOf } from '../../src/core/baseline/index.js';
import { cli } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

async function scan(extra: string[]): Promise<ScanResult> {
  const run = await cli(['scan', '--from', 'examples/org', '--format', 'json', '--quiet', ...extra]);
  expect(run.code, run.stderr).toBe(0);
  return readResultText(run.stdout);
}

describe('--shard K/N', () => {
  it('parses K/N and rejects out-of-range shards', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('0/4')).toMatch(/out of range/);
    expect(parseShard('5/4')).toMatch(/out of range/);
    expect(parseShard('two')).toMatch(/not K\/N/);
  });

  it('puts every account in exactly one shard, the same one every time', () => {
    const ids = Array.from({ length: 200 }, (_, i) => String(100000000000 + i * 7919));
    for (const count of [1, 2, 3, 7]) {
      const shards = Array.from({ length: count }, (_, k) => selectShard(ids, { index: k + 1, count }, (id) => id));
      expect(shards.flat().sort()).toEqual([...ids].sort());
      for (const id of ids) expect(shardOf(id, count)).toBe(shardOf(id, count));
      // A hash spreads accounts: no shard of several is empty with 200 accounts.
      if (count > 1) for (const shard of shards) expect(shard.length).toBeGreaterThan(0);
    }
  });
});

describe('credwarden merge', () => {
  it.each([2, 3, 4])('merges %i shards into exactly the single-run result', async (count) => {
    const single = await scan([]);
    const shards = await Promise.all(Array.from({ length: count }, (_, k) => scan(['--shard', `${k + 1}/${count}`])));
    expect(shards.map((s) => s.shard)).toEqual(Array.from({ length: count }, (_, k) => ({ index: k + 1, count })));
    expect(shards.reduce((n, s) => n + s.accounts.length, 0)).toBe(single.accounts.length);
    const merged = mergeResults(shards.map((result, k) => ({ file: `shard-${k + 1}.json`, result })));
    expect(merged.findings).toEqual(single.findings);
    expect(merged).toEqual(single);
  });

  it('refuses shards of different rules, duplicate accounts and missing shards', async () => {
    const one = await scan(['--shard', '1/2']);
    const two = await scan(['--shard', '2/2']);
    const fail = (inputs: ScanResult[]) => {
      try {
        mergeResults(inputs.map((result, i) => ({ file: `r${i}.json`, result })));
      } catch (error) {
        if (error instanceof InputError) return error.diagnostics.map((d) => d.message).join('\n');
      }
      return 'merged';
    };
    expect(fail([one, { ...two, rulesHash: 'x' }])).toMatch(/rules hash/);
    expect(fail([one])).toMatch(/missing shard\(s\) 2\/2/);
    expect(fail([one, one])).toMatch(/also in r0\.json/);
  });

  it('works end to end through the CLI, rendering any format', async () => {
    const { tempDir } = await import('../helpers/cli.js');
    const dir = tempDir();
    for (const k of [1, 2, 3]) {
      const run = await cli([
        'scan',
        '--from',
        'examples/org',
        '--format',
        'json',
        '--output',
        `${dir}/shard-${k}.json`,
        '--shard',
        `${k}/3`,
      ]);
      expect(run.code, run.stderr).toBe(0);
    }
    const merged = await cli(['merge', `${dir}/shard-1.json`, `${dir}/shard-2.json`, `${dir}/shard-3.json`, '--fail-on', 'critical']);
    expect(merged.code).toBe(1);
    expect(readResultText(merged.stdout).findings).toEqual((await scan([])).findings);
    const markdown = await cli(['merge', `${dir}/shard-1.json`, `${dir}/shard-2.json`, `${dir}/shard-3.json`, '--format', 'markdown']);
    expect(markdown.stdout).toMatch(/^# credwarden: IAM credential hygiene report/);
    const missing = await cli(['merge', `${dir}/shard-1.json`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing shard(s) 2/3, 3/3');
  });
});
