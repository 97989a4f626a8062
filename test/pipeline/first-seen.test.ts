import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';
import { EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE } from '../format/helpers.js';

/** The example baseline observed every account at this time (an August scan). */
const BASELINE_AS_OF = '2026-08-01T12:00:00Z';

describe('first seen, carried from scan to scan through --baseline', () => {
  it('an existing finding is first seen when the baseline saw it, a new one now; ASFF CreatedAt follows, through a second scan too', async () => {
    const first = await cli([...EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE, '--format', 'json', '--quiet']);
    expect(first.code, first.stderr).toBe(0);
    const result = readResultText(first.stdout);
    const existing = result.findings.filter((f) => f.baseline === 'existing');
    const fresh = result.findings.filter((f) => f.baseline === 'new');
    expect(existing.length).toBeGreaterThan(0);
    expect(fresh.length).toBeGreaterThan(0);
    for (const f of existing) expect(f.firstSeen).toBe(BASELINE_AS_OF);
    for (const f of fresh) expect(f.firstSeen).toBeUndefined();
    for (const f of result.resolved ?? []) expect(f.firstSeen).toBe(BASELINE_AS_OF);

    // A later scan against the first one: the August time carries on; the November findings keep November.
    const file = join(tempDir(), 'november.json');
    writeFileSync(file, first.stdout);
    const args = ['scan', '--from', 'examples/org', '--as-of', '2026-12-01T12:00:00Z', '--baseline', file, '--quiet'];
    const second = await cli([...args, '--format', 'asff']);
    expect(second.code, second.stderr).toBe(0);
    const asff = JSON.parse(second.stdout) as { Id: string; CreatedAt: string; LastObservedAt: string }[];
    const created = new Set(asff.map((f) => f.CreatedAt));
    expect(created.has('2026-08-01T12:00:00Z')).toBe(true);
    expect(created.has('2026-11-01T12:00:00Z')).toBe(true);
    for (const f of asff) expect(f.LastObservedAt).toBe('2026-12-01T12:00:00Z');
    // The second scan has no waivers: every finding the August baseline had is listed with its August time.
    expect(asff.filter((f) => f.CreatedAt === '2026-08-01T12:00:00Z')).toHaveLength(existing.length);
  });
});
