import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import resultSchema from '../../schemas/result.schema.json' with { type: 'json' };
import resultSchemaV3 from '../../schemas/result-v3.schema.json' with { type: 'json' };
import { Ajv } from 'ajv';
import { cli, tempDir } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

const WAIVERS = `waivers:
  - rule: root-access-key-exists
    account: '222222222222'
    principal: 'arn:aws:iam::222222222222:root'
    reason: migration tracked in SEC-101
    approvedBy: ciso@example.com
    expires: 2026-12-31
  - rule: console-user-without-mfa
    account: '*'
    principal: nobody
    reason: stale on purpose
    expires: 2026-12-31
`;

// The JSON contract still holds with every reports feature switched on.
describe('result schema with waivers, baseline and shards', () => {
  it('validates a waived, baselined, sharded and merged result', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'waivers.yaml'), WAIVERS);
    const baseline = join(dir, 'baseline.json');
    await cli(['scan', '--from', 'examples/org', '--as-of', '2026-08-01T00:00:00Z', '--format', 'json', '--output', baseline]);
    const shards = [1, 2].map((k) => join(dir, `shard-${k}.json`));
    for (const [i, file] of shards.entries()) {
      const run = await cli([
        'scan',
        '--from',
        'examples/org',
        '--as-of',
        '2026-11-01T12:00:00Z',
        '--waivers',
        join(dir, 'waivers.yaml'),
        '--baseline',
        baseline,
        '--shard',
        `${i + 1}/2`,
        '--format',
        'json',
        '--output',
        file,
      ]);
      expect(run.code, run.stderr).toBe(0);
    }
    const merged = await cli(['merge', ...shards]);
    // The file as written (v3), and the model every reader gives (v2).
    const validateWritten = new Ajv({ strict: false }).compile(resultSchemaV3);
    const validate = new Ajv({ strict: false }).compile(resultSchema);
    for (const text of [...shards.map((f) => readFileSync(f, 'utf8')), merged.stdout]) {
      expect(validateWritten(JSON.parse(text)), JSON.stringify(validateWritten.errors)).toBe(true);
      const result = readResultText(text);
      expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
    }
    const result = readResultText(merged.stdout);
    expect(result.shard).toBeUndefined();
    expect(result.waivers?.map((w) => [w.state, w.matched])).toEqual([
      ['active', 1],
      ['stale', 0],
    ]);
    expect(result.findings.some((f) => f.baseline === 'new')).toBe(true);
  });
});
