/**
 * --format ocsf shows every credential type beyond the credential report, passes the shared
 * OCSF validator (/work/shared/ocsf/validate.py), and its Compliance Findings carry the controls (issue 22).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INACTIVE_CREDENTIAL_ID, PLANTED, scanCredentialTypes, secretsIn } from './credential-types.js';

function validatorPath(): string {
  const candidates = [process.env.OCSF_VALIDATOR, resolve('..', 'shared', 'ocsf', 'validate.py'), '/work/shared/ocsf/validate.py'];
  const found = candidates.find((p): p is string => typeof p === 'string' && existsSync(p));
  if (!found) throw new Error(`OCSF validator not found (set OCSF_VALIDATOR); looked in ${candidates.filter(Boolean).join(', ')}`);
  return found;
}

interface OcsfFinding {
  class_uid: number;
  metadata: { event_code?: string };
  cloud: { account: { uid: string } };
  resources?: { uid: string; name: string; data?: { credential?: string | null } }[];
  compliance?: { control: string; requirements: string[] };
  status?: string;
}

describe('credential types in --format ocsf', () => {
  it('is valid OCSF with a Detection Finding per planted credential and Compliance Findings naming the controls', async () => {
    const run = await scanCredentialTypes('ocsf');
    expect(run.code, run.stderr).toBe(0);
    const file = join(run.dir, 'credwarden.ocsf.json');
    const check = spawnSync('python3', [validatorPath(), file], { encoding: 'utf8', timeout: 600_000 });
    expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);

    const text = run.file('credwarden.ocsf.json');
    const records = JSON.parse(text) as OcsfFinding[];
    const detections = records.filter((r) => r.class_uid === 2004);
    for (const planted of PLANTED) {
      const finding = detections.find((r) => r.metadata.event_code === planted.ruleId && r.resources?.[0]?.uid === planted.principalArn);
      expect(finding, `${planted.ruleId} ${planted.principalArn}`).toBeDefined();
      expect(finding!.cloud.account.uid).toBe(planted.accountId);
      // OCSF names the root user's resource 'root'.
      expect(finding!.resources![0]).toMatchObject({ name: planted.principalName === '<root_account>' ? 'root' : planted.principalName });
      // A finding on no single credential (the password policy) reads 'none', as in ASFF.
      expect(finding!.resources![0]!.data?.credential).toBe(planted.credential ?? 'none');
    }
    const compliance = records.filter((r) => r.class_uid === 2003 && r.status !== 'Resolved');
    const requirements = (rule: string) =>
      new Set(compliance.filter((r) => r.compliance?.control === rule).flatMap((r) => r.compliance!.requirements));
    expect([...requirements('password-policy-missing')]).toEqual(
      expect.arrayContaining([
        'CIS AWS Foundations Benchmark v3.0.0/1.8',
        'CIS AWS Foundations Benchmark v3.0.0/1.9',
        'AWS Security Hub controls/IAM.7',
      ]),
    );
    expect([...requirements('expired-server-certificate')]).toContain('CIS AWS Foundations Benchmark v3.0.0/1.19');
    expect([...requirements('password-policy-reuse-prevention')]).toContain('AWS Security Hub controls/IAM.16');
    expect(text).not.toContain(INACTIVE_CREDENTIAL_ID);
    expect(secretsIn(text)).toEqual([]);
  });
});
