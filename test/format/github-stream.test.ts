/** The GitHub annotations and job summary are written account by account, keeping only bounded lists and counts. */
import { describe, expect, it } from 'vitest';
import { githubFormatter, MAX_ANNOTATIONS, openJobSummary } from '../../src/core/format/github.js';
import type { FormatterEntry } from '../../src/core/format/types.js';
import { SEVERITIES, type Finding, type ScanResult } from '../../src/model/index.js';
import { scanResult, writtenBySink } from './helpers.js';

/** The example organisation grown to many accounts, each with a copy of every finding (new in odd accounts). */
async function grown(accounts: number): Promise<ScanResult> {
  const base = await scanResult('examples/org', ['--as-of', '2026-11-01T12:00:00Z']);
  const findings: Finding[] = [];
  const list = [];
  for (let i = 0; i < accounts; i++) {
    const accountId = String(100_000_000_000 + i);
    list.push({ id: accountId, status: 'scanned' as const, principals: 10, asOf: '2026-11-01T12:00:00Z' });
    base.findings.forEach((f, n) =>
      findings.push({
        ...f,
        accountId,
        fingerprint: `${accountId}-${n}`,
        principal: { ...f.principal, arn: f.principal.arn.replace(/::\d{12}:/, `::${accountId}:`) },
        baseline: i % 2 === 1 ? 'new' : 'existing',
      }),
    );
  }
  return { ...base, accounts: list, findings, plans: [], resolved: [] };
}

const summaryEntry: FormatterEntry = { ...githubFormatter, open: (header, context) => openJobSummary(header, context, () => undefined) };

describe('GitHub annotations, account by account', () => {
  it('annotate the most severe open findings in account order, whatever order accounts arrive in, and count the rest', async () => {
    const result = await grown(40);
    const text = writtenBySink(githubFormatter, result, 'reverse');
    expect(writtenBySink(githubFormatter, result, 'forward')).toBe(text);
    const open = result.findings.filter((f) => f.status === 'open');
    const expected = SEVERITIES.flatMap((s) => open.filter((f) => f.severity === s)).slice(0, MAX_ANNOTATIONS);
    const annotations = text.split('\n').filter((l) => /^::(error|warning|notice) title=[A-Z]+ /.test(l));
    expect(annotations).toHaveLength(MAX_ANNOTATIONS);
    expect(annotations.map((l) => /in (\d{12})/.exec(l)?.[1])).toEqual(expected.map((f) => f.accountId));
    expect(text).toContain(`; ${open.length - MAX_ANNOTATIONS} more not annotated (see the reports)`);
  });
});

describe('GitHub job summary, account by account', () => {
  it('lists the most severe open findings, new ones first, whatever order accounts arrive in, and counts the rest', async () => {
    const result = await grown(40);
    const text = writtenBySink(summaryEntry, result, 'reverse');
    expect(writtenBySink(summaryEntry, result, 'forward')).toBe(text);
    const open = result.findings.filter((f) => f.status === 'open');
    const rows = text.split('\n').filter((l) => /^\| (critical|high|medium|low|info) \| `\d{12}`/.test(l));
    expect(rows).toHaveLength(50);
    const rank = (f: Finding) => SEVERITIES.indexOf(f.severity) * 2 + (f.baseline === 'new' ? 0 : 1);
    const expected = [...open].sort((a, b) => rank(a) - rank(b)).slice(0, 50);
    expect(rows.map((l) => /`(\d{12})`/.exec(l)?.[1])).toEqual(expected.map((f) => f.accountId));
    expect(text).toContain(`…and ${open.length - 50} more; see the Markdown report artifact.`);
    expect(Buffer.byteLength(text)).toBeLessThan(64 * 1024);
  });
});
