import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/index.js';
import { applyBaseline, diffResults, formatDiff, hasNewFindings } from '../../src/core/baseline/index.js';
import { exampleResult } from '../format/helpers.js';

/** The example result without some findings and with one extra, as an older scan. */
async function olderScan(): Promise<{ current: ScanResult; previous: ScanResult }> {
  const current = await exampleResult();
  const [gone, ...rest] = current.findings;
  if (!gone) throw new Error('expected findings');
  const extra = { ...gone, ruleId: 'old-rule', fingerprint: 'f-resolved', message: 'fixed since' };
  return { current, previous: { ...current, findings: [...rest.slice(2), extra] } };
}

describe('applyBaseline', () => {
  it('marks findings new or existing by fingerprint and lists resolved ones', async () => {
    const { current, previous } = await olderScan();
    const marked = applyBaseline(current, previous);
    const fresh = marked.findings.filter((f) => f.baseline === 'new').map((f) => f.fingerprint);
    expect(fresh).toEqual(current.findings.slice(0, 3).map((f) => f.fingerprint));
    expect(marked.findings.filter((f) => f.baseline === 'existing')).toHaveLength(current.findings.length - 3);
    expect(marked.resolved?.map((f) => f.fingerprint)).toEqual(['f-resolved']);
    expect(marked.summary.new).toBe(3);
    expect(hasNewFindings(marked)).toBe(true);
  });

  it("keeps when an existing or resolved finding was first seen: the baseline's firstSeen, else the baseline's as-of", async () => {
    const { current, previous } = await olderScan();
    const baseline = {
      ...previous,
      accounts: previous.accounts.map((a) => ({ ...a, asOf: '2026-08-01T00:00:00Z' })),
      findings: previous.findings.map((f, i) => (i === 0 ? { ...f, firstSeen: '2026-02-01T00:00:00Z' } : f)),
    };
    const marked = applyBaseline(current, baseline);
    const carried = baseline.findings[0]!.fingerprint;
    for (const f of marked.findings) {
      if (f.baseline === 'new') expect(f.firstSeen).toBeUndefined();
      else expect(f.firstSeen).toBe(f.fingerprint === carried ? '2026-02-01T00:00:00Z' : '2026-08-01T00:00:00Z');
    }
    expect(marked.resolved?.map((f) => f.firstSeen)).toEqual(['2026-08-01T00:00:00Z']);
    // Chained: the next scan against this one keeps the same first-seen times.
    const next = applyBaseline({ ...current, accounts: current.accounts.map((a) => ({ ...a, asOf: '2026-12-01T00:00:00Z' })) }, marked);
    expect(next.findings.map((f) => f.firstSeen)).toEqual(marked.findings.map((f) => f.firstSeen ?? marked.accounts[0]!.asOf));
  });

  it('finds nothing new against itself', async () => {
    const current = await exampleResult();
    const marked = applyBaseline(current, current);
    expect(marked.findings.every((f) => f.baseline === 'existing')).toBe(true);
    expect(marked.resolved).toEqual([]);
    expect(hasNewFindings(marked)).toBe(false);
  });

  it('does not call findings resolved for accounts this scan did not cover', async () => {
    const previous = await exampleResult();
    const current = {
      ...previous,
      accounts: previous.accounts.map((a) =>
        a.id === '222222222222' ? { id: a.id, status: 'failed' as const, reason: 'AccessDenied' } : a,
      ),
      findings: previous.findings.filter((f) => f.accountId !== '222222222222'),
    };
    expect(applyBaseline(current, previous).resolved).toEqual([]);
  });

  it('gates --fail-on-new only on open new findings at the threshold', async () => {
    const { current, previous } = await olderScan();
    const marked = applyBaseline(current, previous);
    const newSeverities = marked.findings.filter((f) => f.baseline === 'new').map((f) => f.severity);
    expect(newSeverities).not.toContain('low');
    expect(hasNewFindings(marked, (f) => f.severity === 'low')).toBe(false);
    expect(hasNewFindings(marked, (f) => f.severity === newSeverities[0])).toBe(true);
    const waived = { ...marked, findings: marked.findings.map((f) => (f.baseline === 'new' ? { ...f, status: 'waived' as const } : f)) };
    expect(hasNewFindings(waived)).toBe(false);
  });
});

describe('diffResults', () => {
  it('reports added, resolved, changed and unchanged findings', async () => {
    const { current, previous } = await olderScan();
    const changedPrint = previous.findings[0]?.fingerprint;
    previous.findings[0] = { ...(previous.findings[0] as ScanResult['findings'][number]), severity: 'low' };
    const diff = diffResults(previous, current);
    expect(diff.added.map((f) => f.fingerprint)).toEqual(current.findings.slice(0, 3).map((f) => f.fingerprint));
    expect(diff.resolved.map((f) => f.fingerprint)).toEqual(['f-resolved']);
    expect(diff.changed.map((c) => [c.before.fingerprint, c.changes])).toEqual([[changedPrint, ['severity']]]);
    expect(diff.unchanged).toBe(current.findings.length - 4);
    expect(diff.rulesChanged).toBe(false);
  });

  it('renders text, Markdown and JSON', async () => {
    const { current, previous } = await olderScan();
    const diff = diffResults(previous, current);
    const text = formatDiff(diff, 'text');
    expect(text).toMatch(/^credwarden diff: 3 new, 1 resolved, 0 changed, 15 unchanged/);
    expect(text).toContain('\nNew (3)\n');
    expect(text).toContain('- MEDIUM');
    const markdown = formatDiff(diff, 'markdown');
    expect(markdown).toContain('### New findings (3)');
    expect(markdown).toContain('### Resolved findings (1)');
    expect(markdown).toContain('| Severity | Account | Principal | Credential | Rule | Message |');
    expect(JSON.parse(formatDiff(diff, 'json'))).toMatchObject({ unchanged: 15, resolved: [{ fingerprint: 'f-resolved' }] });
  });

  it('notes a change of rules between the scans', async () => {
    const current = await exampleResult();
    const diff = diffResults({ ...current, rulesHash: 'other' }, current);
    expect(diff.rulesChanged).toBe(true);
    expect(formatDiff(diff, 'text')).toContain('rules or parameters changed');
  });
});
