/** The HTML report is written account by account: rows per account, the first plans in a bounded buffer. */
import { describe, expect, it } from 'vitest';
import { htmlFormatter } from '../../src/core/format/html.js';
import { HTML_PLAN_LIMIT } from '../../src/core/format/html/report.js';
import { renderToString } from '../../src/core/format/types.js';
import type { Finding, Plan, ScanResult } from '../../src/model/index.js';
import { CONTEXT, scanResult, writtenBySink } from './helpers.js';

/** The example organisation copied into `accounts` accounts, each with every finding and plan of the original. */
async function grown(accounts: number): Promise<ScanResult> {
  const base = await scanResult('examples/org', ['--as-of', '2026-11-01T12:00:00Z']);
  const findings: Finding[] = [];
  const plans: Plan[] = [];
  const list = [];
  for (let i = 0; i < accounts; i++) {
    const id = String(100_000_000_000 + ((i * 7919) % accounts));
    list.push({ id, name: `acct-${i}`, status: 'scanned' as const, principals: 5, asOf: '2026-11-01T12:00:00Z' });
    base.findings.forEach((f, n) =>
      findings.push({
        ...f,
        accountId: id,
        fingerprint: `${id}-${n}`,
        remediation: { ...f.remediation, planId: `${f.remediation.planId}-${id}` },
      }),
    );
    base.plans.forEach((p) => plans.push({ ...p, id: `${p.id}-${id}`, accountId: id }));
  }
  list.sort((a, b) => a.id.localeCompare(b.id));
  return { ...base, accounts: list, findings, plans, resolved: [] };
}

describe('--format html, account by account', () => {
  it('gives the same page whatever order accounts arrive in, with the first plans in account order and each row once', async () => {
    const result = await grown(70);
    expect(result.plans.length).toBeGreaterThan(HTML_PLAN_LIMIT);
    const page = writtenBySink(htmlFormatter, result, 'reverse');
    expect(writtenBySink(htmlFormatter, result, 'forward')).toBe(page);
    expect(renderToString(htmlFormatter.format(result, CONTEXT))).toBe(page);
    const byAccount = [...result.plans].sort((a, b) => a.accountId.localeCompare(b.accountId));
    const shown = [...page.matchAll(/<details class="plan" id="plan-([^"]+)"/g)].map((m) => m[1]);
    expect(shown).toEqual(byAccount.slice(0, HTML_PLAN_LIMIT).map((p) => p.id));
    expect(page).toContain(`${result.plans.length - HTML_PLAN_LIMIT} more plans are not shown here`);
    const data = JSON.parse(/<script type="application\/json" id="credwarden-data">(.*?)<\/script>/s.exec(page)?.[1] ?? '{}') as {
      findings: unknown[][];
      accounts: Record<string, string | null>;
    };
    expect(data.findings.map((r) => r[8])).toEqual(
      [...result.findings].sort((a, b) => a.accountId.localeCompare(b.accountId)).map((f) => f.fingerprint),
    );
    expect(Object.keys(data.accounts)).toEqual(result.accounts.map((a) => a.id));
  });
});
