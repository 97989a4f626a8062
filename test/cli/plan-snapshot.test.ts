import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';

// Issue 19 item 13: a snapshot of another scan changes who acts and the administrators named.
describe('plan RESULT --snapshot OTHER', () => {
  it('refuses a snapshot of another scan, says what differs, and goes on only with --snapshot-mismatch-ok', async () => {
    const dir = tempDir();
    const result = join(dir, 'result.json');
    const own = join(dir, 'own.json');
    const other = join(dir, 'other.json');
    const org = join(process.cwd(), 'examples/org');
    await cli(['scan', '--from', org, '--format', 'json', '--output', result, '--save-snapshot', own, '--quiet']);
    const one = join(process.cwd(), 'examples/org/111111111111-management.2026-11-01T120000Z.csv');
    await cli(['scan', '--from', one, '--format', 'json', '--output', join(dir, 'x.json'), '--save-snapshot', other, '--quiet']);
    writeFileSync(join(dir, 'keep'), '');

    const matching = await cli(['plan', result, '--snapshot', own]);
    expect(matching.code).toBe(0);

    const refused = await cli(['plan', result, '--snapshot', other]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not the snapshot of');
    expect(refused.stderr).toContain('accounts of the result missing from the snapshot: 222222222222, 333333333333, 555555555555');
    expect(refused.stderr).toContain('--snapshot-mismatch-ok');

    const forced = await cli(['plan', result, '--snapshot', other, '--snapshot-mismatch-ok']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('warning');
  });
});
