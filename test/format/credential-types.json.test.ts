/** --format json (result v3) shows every credential type beyond the credential report (issue 22). */
import { describe, expect, it } from 'vitest';
import { readResultText } from '../helpers/result.js';
import { INACTIVE_CREDENTIAL_ID, NEW_RULES, PLANTED, scanCredentialTypes, secretsIn } from './credential-types.js';

describe('credential types in --format json', () => {
  it('has one finding per planted credential, with its identity, kind, id, procedure, plan and framework ids', async () => {
    const run = await scanCredentialTypes('json');
    expect(run.code, run.stderr).toBe(0);
    const text = run.file('credwarden.json');
    const result = readResultText(text);
    const mine = result.findings.filter((f) => NEW_RULES.includes(f.ruleId));
    expect(mine.map((f) => `${f.ruleId} ${f.principal.arn} ${f.credential}`).sort()).toEqual(
      PLANTED.map((p) => `${p.ruleId} ${p.principalArn} ${p.credential}`).sort(),
    );
    const plans = new Map(result.plans.map((plan) => [plan.id, plan]));
    for (const planted of PLANTED) {
      const finding = mine.find(
        (f) => f.ruleId === planted.ruleId && f.principal.arn === planted.principalArn && f.credential === planted.credential,
      )!;
      expect(finding, planted.ruleId).toMatchObject({
        accountId: planted.accountId,
        principal: { name: planted.principalName },
        status: 'open',
        remediation: { procedure: planted.procedure },
      });
      // The credential's own id is in the evidence, so a reader can find it in IAM.
      if (planted.id) expect(Object.values(finding.evidence), planted.ruleId).toContain(planted.id);
      else expect(Object.keys(finding.evidence)).toContain('account.facts.passwordPolicy');
      for (const [framework, ids] of Object.entries(planted.frameworks ?? {}))
        expect(finding.frameworks[framework as keyof typeof finding.frameworks], `${planted.ruleId} ${framework}`).toEqual(ids);
      const plan = plans.get(finding.remediation.planId ?? '');
      expect(plan?.procedures, planted.ruleId).toContain(planted.procedure);
    }
    expect(text).not.toContain(INACTIVE_CREDENTIAL_ID);
    expect(secretsIn(text)).toEqual([]);
  });
});
