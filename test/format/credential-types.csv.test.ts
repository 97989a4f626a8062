/**
 * --format csv shows every credential type beyond the credential report, and the controls matrix
 * (credwarden-controls.csv) lists the new rules with their framework ids (issue 22).
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { INACTIVE_CREDENTIAL_ID, NEW_RULES, PLANTED, scanCredentialTypes, secretsIn } from './credential-types.js';

const FRAMEWORK_COLUMNS: Record<string, string> = {
  'cis-aws-3.0': 'cis_aws_3_0',
  'cis-aws-5.0': 'cis_aws_5_0',
  'aws-security-hub': 'aws_security_hub',
};

describe('credential types in --format csv', () => {
  it('has a row per planted credential with account, principal, kind:id, procedure and framework ids', async () => {
    const run = await scanCredentialTypes('csv');
    expect(run.code, run.stderr).toBe(0);
    const text = run.file('credwarden.csv');
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    const mine = rows.filter((r) => NEW_RULES.includes(r.rule!));
    expect(mine).toHaveLength(PLANTED.length);
    for (const planted of PLANTED) {
      const row = mine.find((r) => r.rule === planted.ruleId && r.arn === planted.principalArn);
      expect(row, `${planted.ruleId} ${planted.principalArn}`).toMatchObject({
        account: planted.accountId,
        principal: planted.principalName,
        credential: planted.credential ?? '',
        remediation: planted.procedure,
        status: 'open',
      });
      if (planted.id) expect(row?.evidence).toContain(planted.id);
      for (const [framework, ids] of Object.entries(planted.frameworks ?? {}))
        expect(row?.[FRAMEWORK_COLUMNS[framework]!], `${planted.ruleId} ${framework}`).toBe(ids.join(' '));
    }
    expect(text).not.toContain(INACTIVE_CREDENTIAL_ID);
    expect(secretsIn(text)).toEqual([]);

    // The control matrix: every new rule, its framework ids, and failed (each has an open finding).
    const controls = parse(run.file('credwarden-controls.csv'), { columns: true }) as Record<string, string>[];
    for (const rule of NEW_RULES) expect(controls.find((c) => c.rule === rule)?.status, rule).toBe('failed');
    const ids = (rule: string, column: string) => controls.find((c) => c.rule === rule)?.[column];
    expect(ids('password-policy-missing', 'cis_aws_3_0')).toBe('1.8 1.9');
    expect(ids('password-policy-missing', 'aws_security_hub')).toBe('IAM.7 IAM.15 IAM.16');
    expect(ids('password-policy-min-length', 'aws_security_hub')).toBe('IAM.15');
    expect(ids('password-policy-reuse-prevention', 'aws_security_hub')).toBe('IAM.16');
    expect(ids('password-policy-weak', 'aws_security_hub')).toBe('IAM.7');
    expect(ids('expired-server-certificate', 'cis_aws_3_0')).toBe('1.19');
  });
});
