/** --format junit has a failing test case per planted credential beyond the credential report (issue 22). */
import { describe, expect, it } from 'vitest';
import { INACTIVE_CREDENTIAL_ID, PLANTED, scanCredentialTypes, secretsIn } from './credential-types.js';

const xml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

describe('credential types in --format junit', () => {
  it('names each case by account, principal, rule and kind:id, and fails it', async () => {
    const run = await scanCredentialTypes('junit');
    expect(run.code, run.stderr).toBe(0);
    const text = run.file('credwarden.xml');
    for (const planted of PLANTED) {
      const name = `${planted.ruleId}: ${xml(planted.principalName)}${planted.credential ? ` ${planted.credential}` : ''}`;
      const testcase = new RegExp(
        `<testcase classname="${planted.accountId}\\.${xml(planted.principalName)}" name="${name}">\\s*<failure `,
      );
      expect(text, name).toMatch(testcase);
    }
    // The control cases carry the framework ids.
    expect(text).toContain('name="password-policy-missing (cis-aws-3.0 1.8, cis-aws-3.0 1.9');
    expect(text).toContain('aws-security-hub IAM.7, aws-security-hub IAM.15, aws-security-hub IAM.16');
    expect(text).toContain('name="expired-server-certificate (cis-aws-3.0 1.19, cis-aws-5.0 1.18)"');
    expect(text).not.toContain(INACTIVE_CREDENTIAL_ID);
    expect(secretsIn(text)).toEqual([]);
  });
});
