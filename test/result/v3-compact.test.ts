import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/index.js';
import { compactFinding, expandFinding, ruleDefaults } from '../../src/core/result/v3.js';

const FRAMEWORKS: Finding['frameworks'] = {
  'cis-aws-3.0': ['1.14'],
  'cis-aws-5.0': ['2.13'],
  'aws-security-hub': ['IAM.3'],
  'aws-config': [],
};
const ACCOUNT = { id: '111111111111', name: 'prod', ouPath: '/r-1/ou-1' };

function finding(frameworks: Finding['frameworks'], credential: Finding['credential'] = 'access_key_1'): Finding {
  return {
    ruleId: 'access-key-not-rotated',
    title: 'Access key not rotated',
    severity: 'medium',
    accountId: ACCOUNT.id,
    accountName: ACCOUNT.name,
    ouPath: ACCOUNT.ouPath,
    principal: { type: 'user', name: 'alice', arn: 'arn:aws:iam::111111111111:user/alice' },
    credential,
    message: 'old key',
    evidence: { 'key.ageDays': 100 },
    frameworks,
    remediation: { procedure: 'rotate-access-key' },
    status: 'open',
    fingerprint: `fp-${credential}`,
  };
}

describe('compactFinding', () => {
  it("states a finding's frameworks only when their text differs from its rule's, whichever object holds them", () => {
    // The rule defaults hold a copy, as a worker thread's do (its header came by message).
    const rules = ruleDefaults(
      [{ id: 'access-key-not-rotated', title: 'Access key not rotated', frameworks: structuredClone(FRAMEWORKS) }],
      {
        'access-key-not-rotated': 'rotate-access-key',
      },
    );
    const rule = rules.get('access-key-not-rotated');
    const other: Finding['frameworks'] = { ...FRAMEWORKS, 'aws-config': ['access-keys-rotated'] };
    // The same object again and again, another one, then the first again: each answer is its own object's.
    const sequence = [FRAMEWORKS, FRAMEWORKS, other, other, FRAMEWORKS, structuredClone(other), structuredClone(FRAMEWORKS)];
    const stated = sequence.map((frameworks) => compactFinding(finding(frameworks), rule, ACCOUNT).frameworks);
    expect(stated).toEqual([undefined, undefined, other, other, undefined, other, undefined]);
    // Read back, each finding has the frameworks it was written with.
    for (const frameworks of sequence)
      expect(
        expandFinding(JSON.parse(JSON.stringify(compactFinding(finding(frameworks), rule, ACCOUNT))), rule, ACCOUNT).frameworks,
      ).toEqual(frameworks);
  });

  it('states every member a rule gives when the finding has no rule defaults', () => {
    const compact = compactFinding(finding(FRAMEWORKS, null), undefined, ACCOUNT);
    expect(compact).toMatchObject({ title: 'Access key not rotated', frameworks: FRAMEWORKS, procedure: 'rotate-access-key' });
    expect(compact).not.toHaveProperty('accountName');
  });
});
