/**
 * Trend over many resolved findings (issue 20 item 11): copying each rule's list of remediation
 * times for every resolved finding made trend quadratic (200,000 took 174 s), and the worst time
 * spread the whole list into Math.max, which overflows the stack past about 120,000 values.
 * The speed itself is measured by the bench's trend scenario (bench/trend.ts), not here.
 */
import { describe, expect, it } from 'vitest';
import type { Finding, ScanResult } from '../../src/model/index.js';
import { buildTrend } from '../../src/core/trend/index.js';

const RESOLVED = 130_000;
const ACCOUNT = '222222222222';

function finding(i: number): Finding {
  return {
    ruleId: 'access-key-unused',
    title: 'Access key unused',
    severity: 'high',
    accountId: ACCOUNT,
    principal: { type: 'user', name: `user-${i}`, arn: `arn:aws:iam::${ACCOUNT}:user/user-${i}` },
    credential: 'access_key_1',
    message: 'unused',
    evidence: {},
    frameworks: { 'cis-aws-3.0': [], 'cis-aws-5.0': [], 'aws-security-hub': [], 'aws-config': [] },
    remediation: { procedure: 'deactivate-access-key' },
    status: 'open',
    fingerprint: `fp-${i}`,
  };
}

function result(asOf: string, findings: Finding[]): ScanResult {
  return {
    schemaVersion: 2,
    tool: { name: 'credwarden', version: '0.0.0' },
    asOf,
    pack: 'recommended',
    rulesHash: 'h',
    rules: [],
    accounts: [{ id: ACCOUNT, status: 'scanned' }],
    summary: {
      total: findings.length,
      open: findings.length,
      waived: 0,
      bySeverity: { critical: 0, high: findings.length, medium: 0, low: 0, info: 0 },
      byRule: {},
      accounts: { scanned: 1, failed: 0, skipped: 0 },
    },
    findings,
    plans: [],
  };
}

describe('trend at scale', () => {
  it(`gives the remediation times of ${RESOLVED.toLocaleString('en')} findings of one rule resolved at once`, () => {
    const first = Array.from({ length: RESOLVED }, (_, i) => finding(i));
    // Half the findings were first seen a month earlier: the worst time is 40 days, the median 25.
    const earlier = first.filter((_, i) => i % 2 === 0);
    const trend = buildTrend([
      { label: 'a', result: result('2026-08-23T00:00:00Z', earlier) },
      { label: 'b', result: result('2026-09-22T00:00:00Z', first) },
      { label: 'c', result: result('2026-10-02T00:00:00Z', []) },
    ]);
    expect(trend.points.map((p) => p.resolved)).toEqual([0, 0, RESOLVED]);
    expect(trend.rules).toEqual([
      expect.objectContaining({ ruleId: 'access-key-unused', resolved: RESOLVED, worstDays: 40, medianDays: 25, stillOpen: 0 }),
    ]);
  });
});
