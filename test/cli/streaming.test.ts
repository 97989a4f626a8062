import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectFromFiles } from '../../src/collectors/files/reports.js';
import { loadRuleset } from '../../src/collectors/files/rules.js';
import { StreamingScan } from '../../src/cli/streaming.js';

const { snapshot } = collectFromFiles([resolve('examples/org')]);
const loaded = loadRuleset({});

function streamAll(keep: boolean) {
  const scan = new StreamingScan(loaded, {}, keep);
  for (const account of snapshot.accounts)
    scan.account({ ...account, facts: { rootMfa: 'virtual', recoveryInputs: { big: 'x'.repeat(1000) } } });
  scan.outcome({ id: '444444444444', status: 'skipped', reason: 'account state is SUSPENDED' });
  return scan.finish();
}

describe('StreamingScan', () => {
  it('keeps only the principals that have findings, for the planner', () => {
    const { result, planning } = streamAll(false);
    const kept = planning.flatMap((a) => a.principals.map((p) => p.arn)).sort();
    expect(kept).toEqual([...new Set(result.findings.map((f) => f.principal.arn))].sort());
    expect(kept.length).toBeLessThan(snapshot.accounts.flatMap((a) => a.principals).length);
  });

  it('keeps the whole snapshot only when asked (--save-snapshot)', () => {
    expect(streamAll(false).snapshot).toBeUndefined();
    const { snapshot: kept } = streamAll(true);
    expect(kept?.accounts.map((a) => a.principals.length)).toEqual(snapshot.accounts.map((a) => a.principals.length));
    expect(kept?.skippedAccounts).toEqual([{ id: '444444444444', status: 'skipped', reason: 'account state is SUSPENDED' }]);
  });

  it('reports account facts without the raw collector inputs', () => {
    const { result } = streamAll(false);
    const scanned = result.accounts.filter((a) => a.status === 'scanned');
    expect(scanned.map((a) => a.facts)).toEqual(scanned.map(() => ({ rootMfa: 'virtual' })));
    expect(result.summary.accounts).toEqual({ scanned: 4, failed: 0, skipped: 1 });
  });
});
