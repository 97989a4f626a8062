/**
 * The password-policy rules against their frameworks (issue 22): a parameter looser than the
 * benchmark's makes the control "deviates", never passed; the benchmark's own value does not.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRuleset } from '../../src/collectors/files/rules.js';
import { tempDir } from '../helpers/cli.js';

const dir = tempDir();

function rule(pack: string, id: string, parameters?: Record<string, number>) {
  const path = join(dir, `${pack}-${id}-${Object.values(parameters ?? {}).join('-')}.yaml`);
  const override = parameters ? `rules:\n  ${id}:\n    parameters: ${JSON.stringify(parameters)}\n` : '';
  writeFileSync(path, `pack: ${pack}\n${override}`);
  return loadRuleset({ configPath: path }).ruleset.rules.find((r) => r.id === id)!;
}

const deviations = (r: ReturnType<typeof rule>) => r.deviations.map((d) => `${d.framework} ${d.control}`);

describe('password-policy rules and their framework ids', () => {
  it('map to CIS 3.0 1.8/1.9, CIS 5.0 1.7/1.8 and Security Hub IAM.7/15/16', () => {
    const frameworks = (id: string) => rule('complete', id).frameworks;
    expect(frameworks('password-policy-min-length')).toMatchObject({
      'cis-aws-3.0': ['1.8'],
      'cis-aws-5.0': ['1.7'],
      'aws-security-hub': ['IAM.15'],
    });
    expect(frameworks('password-policy-reuse-prevention')).toMatchObject({
      'cis-aws-3.0': ['1.9'],
      'cis-aws-5.0': ['1.8'],
      'aws-security-hub': ['IAM.16'],
    });
    expect(frameworks('password-policy-weak')).toMatchObject({ 'aws-security-hub': ['IAM.7'] });
    expect(frameworks('password-policy-missing')).toMatchObject({
      'cis-aws-3.0': ['1.8', '1.9'],
      'cis-aws-5.0': ['1.7', '1.8'],
      'aws-security-hub': ['IAM.7', 'IAM.15', 'IAM.16'],
    });
    expect(frameworks('expired-server-certificate')).toMatchObject({ 'cis-aws-3.0': ['1.19'], 'cis-aws-5.0': ['1.18'] });
  });

  it('a minimum length below 14 deviates from CIS 1.8 / 1.7 and IAM.15; 14 and more do not', () => {
    expect(deviations(rule('cis-aws-3.0', 'password-policy-min-length', { minLength: 10 }))).toEqual([
      'cis-aws-3.0 1.8',
      'cis-aws-5.0 1.7',
      'aws-security-hub IAM.15',
    ]);
    expect(deviations(rule('cis-aws-3.0', 'password-policy-min-length'))).toEqual([]);
    expect(deviations(rule('recommended', 'password-policy-min-length', { minLength: 16 }))).toEqual([]);
  });

  it('remembering fewer than 24 passwords deviates from CIS 1.9 / 1.8 and IAM.16', () => {
    expect(deviations(rule('recommended', 'password-policy-reuse-prevention', { minReusePrevention: 5 }))).toEqual([
      'cis-aws-3.0 1.9',
      'cis-aws-5.0 1.8',
      'aws-security-hub IAM.16',
    ]);
    expect(deviations(rule('recommended', 'password-policy-reuse-prevention'))).toEqual([]);
  });

  it('an IAM.7 minimum length below 8 deviates from IAM.7 only', () => {
    expect(deviations(rule('complete', 'password-policy-weak', { minLength: 6 }))).toEqual(['aws-security-hub IAM.7']);
    expect(deviations(rule('complete', 'password-policy-weak'))).toEqual([]);
  });
});
