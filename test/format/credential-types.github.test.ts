/** --format github annotates every credential type beyond the credential report (issue 22). */
import { describe, expect, it } from 'vitest';
import { INACTIVE_CREDENTIAL_ID, PLANTED, scanCredentialTypes, secretsIn } from './credential-types.js';

/** GitHub's workflow-command escaping of a property value. */
const property = (text: string) => text.replaceAll('%', '%25').replaceAll(':', '%3A').replaceAll(',', '%2C');

describe('credential types in --format github', () => {
  it('has an annotation per planted credential titled with rule, principal, account and kind:id, naming the principal ARN', async () => {
    const run = await scanCredentialTypes('github');
    expect(run.code, run.stderr).toBe(0);
    const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::'));
    for (const planted of PLANTED) {
      const title = `${planted.ruleId}%3A ${property(planted.principalName)} in ${planted.accountId}${
        planted.credential ? ` (${property(planted.credential)})` : ''
      }::`;
      const line = annotations.find((a) => a.includes(` ${title}`));
      expect(line, title).toBeDefined();
      expect(line).toMatch(/^::(error|warning|notice) title=/);
      expect(line).toContain(`Principal: ${planted.principalArn}`);
      expect(line).toContain(`Remediation: ${planted.procedure}`);
      if (planted.id) expect(line).toContain(planted.id);
    }
    expect(run.stdout).not.toContain(INACTIVE_CREDENTIAL_ID);
    expect(secretsIn(run.stdout)).toEqual([]);
  });
});
