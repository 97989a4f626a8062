/** --format markdown shows every credential type beyond the credential report, and the control matrix their controls (issue 22). */
import { describe, expect, it } from 'vitest';
import { INACTIVE_CREDENTIAL_ID, PLANTED, scanCredentialTypes, secretsIn } from './credential-types.js';

describe('credential types in --format markdown', () => {
  it('has a findings row per planted credential and control rows for CIS 1.8, 1.9 and 1.19', async () => {
    const run = await scanCredentialTypes('markdown');
    expect(run.code, run.stderr).toBe(0);
    const text = run.file('credwarden.md');
    const rows = text.split('\n').filter((line) => line.startsWith('| `'));
    for (const planted of PLANTED) {
      const row = rows.find((r) => r.includes(`| \`${planted.ruleId}\` |`) && r.includes(`\`${planted.principalArn}\``));
      expect(row, `${planted.ruleId} ${planted.principalArn}`).toBeDefined();
      expect(row).toContain(`| \`${planted.accountId}\``);
      expect(row).toContain(`| ${planted.credential ?? '—'} |`);
    }
    for (const [control, rule] of [
      ['CIS 3.0 1.8', 'password-policy-min-length'],
      ['CIS 3.0 1.9', 'password-policy-reuse-prevention'],
      ['CIS 3.0 1.19', 'expired-server-certificate'],
      ['CIS 5.0 1.7', 'password-policy-min-length'],
    ]) {
      const row = text.split('\n').find((line) => line.startsWith(`| ${control} |`));
      expect(row, control).toContain(`\`${rule}\``);
      expect(row).toContain('failed');
    }
    expect(text).not.toContain(INACTIVE_CREDENTIAL_ID);
    expect(secretsIn(text)).toEqual([]);
  });
});
