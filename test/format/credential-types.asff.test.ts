/** --format asff shows every credential type beyond the credential report, with its compliance ids (issue 22). */
import { describe, expect, it } from 'vitest';
import { INACTIVE_CREDENTIAL_ID, PLANTED, scanCredentialTypes, secretsIn } from './credential-types.js';

interface AsffFinding {
  GeneratorId: string;
  AwsAccountId: string;
  Resources: { Id: string; Type: string }[];
  Compliance?: { Status: string; RelatedRequirements?: string[] };
  ProductFields: Record<string, string>;
}

const CIS: Record<string, string> = {
  'cis-aws-3.0': 'CIS AWS Foundations Benchmark v3.0.0',
  'cis-aws-5.0': 'CIS AWS Foundations Benchmark v5.0.0',
};

describe('credential types in --format asff', () => {
  it('has a finding per planted credential: resource, kind:id, procedure, CIS requirements and Security Hub controls', async () => {
    const run = await scanCredentialTypes('asff');
    expect(run.code, run.stderr).toBe(0);
    const text = run.file('credwarden.asff.json');
    const parsed = JSON.parse(text) as AsffFinding[] | { Findings: AsffFinding[] };
    const findings = Array.isArray(parsed) ? parsed : parsed.Findings;
    for (const planted of PLANTED) {
      const finding = findings.find(
        (f) => f.GeneratorId === planted.ruleId && f.ProductFields['credwarden/Principal'] === planted.principalArn,
      );
      expect(finding, `${planted.ruleId} ${planted.principalArn}`).toBeDefined();
      expect(finding!.AwsAccountId).toBe(planted.accountId);
      expect(finding!.Resources[0]).toMatchObject({
        Id: planted.principalArn,
        Type: planted.principalName === '<root_account>' ? 'AwsAccount' : 'AwsIamUser',
      });
      expect(finding!.ProductFields['credwarden/Credential']).toBe(planted.credential ?? 'none');
      expect(finding!.ProductFields['credwarden/Procedure']).toBe(planted.procedure);
      expect(finding!.Compliance?.Status).toBe('FAILED');
      for (const [framework, ids] of Object.entries(planted.frameworks ?? {})) {
        if (CIS[framework]) for (const id of ids) expect(finding!.Compliance?.RelatedRequirements).toContain(`${CIS[framework]}/${id}`);
        if (framework === 'aws-security-hub') expect(finding!.ProductFields['credwarden/SecurityHubControls']).toBe(ids.join(' '));
      }
    }
    expect(text).not.toContain(INACTIVE_CREDENTIAL_ID);
    expect(secretsIn(text)).toEqual([]);
  });
});
