/** What publish sends: batches within Security Hub's limits, resolved findings, waiver workflow. */
import { describe, expect, it } from 'vitest';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { Finding, ScanResult } from '../../src/model/index.js';
import { batchFindings, planPublication, resolvedFindings } from '../../src/core/securityhub/publication.js';
import { exampleResult } from '../format/helpers.js';

const finding = (id: string, padding = 0): AwsSecurityFinding => ({ Id: id, Description: 'x'.repeat(padding) }) as AwsSecurityFinding;

describe('batchFindings', () => {
  it('puts at most 100 findings in a batch', () => {
    const { batches } = batchFindings(Array.from({ length: 250 }, (_, i) => finding(String(i))));
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
  });

  it('keeps every batch under 6 MB and refuses a finding over 240 KB', () => {
    const big = Array.from({ length: 80 }, (_, i) => finding(String(i), 200 * 1024));
    const { batches, rejected } = batchFindings([...big, finding('huge', 241 * 1024)]);
    for (const batch of batches) expect(JSON.stringify({ Findings: batch }).length).toBeLessThanOrEqual(6 * 1024 * 1024);
    expect(batches.flat()).toHaveLength(80);
    expect(rejected).toEqual([{ Id: 'huge', reason: expect.stringContaining('at most 245760') }]);
  });

  it('counts multi-byte characters as UTF-8 bytes', () => {
    // 90,000 characters of 3 bytes each: 270,000 bytes, over the limit though the string length is not.
    const { rejected } = batchFindings([finding('ok', 0), { Id: 'wide', Description: '€'.repeat(90_000) } as AwsSecurityFinding]);
    expect(rejected.map((r) => r.Id)).toEqual(['wide']);
  });
});

describe('planPublication', () => {
  it('archives baseline findings that are gone, only in accounts the result scanned', async () => {
    const result = await exampleResult();
    const [gone, alsoGone] = result.findings.filter((f) => f.accountId === '222222222222');
    const unscanned = { ...(result.findings[0] as Finding), accountId: '999999999999', fingerprint: 'f'.repeat(32) };
    const later: ScanResult = { ...result, findings: result.findings.filter((f) => f !== gone && f !== alsoGone) };
    const baseline: ScanResult = { ...result, findings: [...result.findings, unscanned] };
    expect(
      resolvedFindings(later, baseline)
        .map((f) => f.fingerprint)
        .sort(),
    ).toEqual([gone?.fingerprint, alsoGone?.fingerprint].sort());
    const plan = planPublication(later, { region: 'us-east-1', toolVersion: 't', baseline });
    const payments = plan.find((p) => p.accountId === '222222222222');
    expect(payments?.archived).toBe(2);
    expect(
      payments?.batches
        .flat()
        .filter((f) => f.RecordState === 'ARCHIVED')
        .map((f) => f.Id)
        .sort(),
    ).toEqual([`credwarden/${gone?.fingerprint}`, `credwarden/${alsoGone?.fingerprint}`].sort());
    expect(plan.some((p) => p.accountId === '999999999999')).toBe(false);
  });

  it('suppresses waived findings and reopens those whose waiver ended, grouped by note', async () => {
    const result = await exampleResult();
    const [a, b, c] = result.findings.filter((f) => f.accountId === '222222222222');
    const waiver = { id: 'SEC-1', reason: 'tracked', expires: '2027-01-01' };
    const waived = (f: Finding | undefined) => ({ ...(f as Finding), status: 'waived' as const, waiver });
    const now: ScanResult = { ...result, findings: result.findings.map((f) => (f === a || f === b ? waived(f) : f)) };
    const baseline: ScanResult = { ...result, findings: result.findings.map((f) => (f === c ? waived(f) : f)) };
    const plan = planPublication(now, { region: 'us-east-1', toolVersion: 't', baseline }).find((p) => p.accountId === '222222222222');
    expect(plan?.updates).toEqual([
      {
        status: 'SUPPRESSED',
        note: expect.stringContaining('SEC-1'),
        identifiers: [a, b].map((f) => ({
          Id: `credwarden/${f?.fingerprint}`,
          ProductArn: 'arn:aws:securityhub:us-east-1:222222222222:product/222222222222/default',
        })),
      },
      {
        status: 'NEW',
        note: expect.stringContaining('no longer applies'),
        identifiers: [
          { Id: `credwarden/${c?.fingerprint}`, ProductArn: 'arn:aws:securityhub:us-east-1:222222222222:product/222222222222/default' },
        ],
      },
    ]);
  });

  it('publishes only --accounts', async () => {
    const result = await exampleResult();
    expect(planPublication(result, { region: 'us-east-1', toolVersion: 't', accounts: ['333333333333'] }).map((p) => p.accountId)).toEqual([
      '333333333333',
    ]);
  });
});

describe('clip', () => {
  it('cuts by code points, never half a surrogate pair, and leaves texts that fit', async () => {
    const { clip } = await import('../../src/core/securityhub/limits.js');
    expect(clip('abcd', 3)).toBe('ab…');
    expect(clip('𝕏𝕏𝕏', 3)).toBe('𝕏𝕏𝕏');
    expect(clip('𝕏𝕏𝕏𝕏', 3)).toBe('𝕏𝕏…');
    expect(clip('é𝕏é𝕏é', 4)).toBe('é𝕏é…');
    expect(clip('   ', 5)).toBe('-');
    expect(Array.from(clip('𝕏'.repeat(600), 256))).toHaveLength(256);
  });
});
