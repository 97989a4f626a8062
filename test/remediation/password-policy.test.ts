import { describe, expect, it } from 'vitest';
import { planFindings } from '../../src/core/remediation/index.js';
import { describePasswordPolicy, targetPasswordPolicy } from '../../src/core/remediation/password-policy.js';
import { builtInCatalogue, finding, result } from './helpers.js';

const catalogue = builtInCatalogue();

function planCommands(policy: unknown): string[] {
  const f = finding(
    'password-policy-min-length',
    'set-account-password-policy',
    null,
    { 'account.facts.passwordPolicy': policy },
    { type: 'root' },
  );
  const plan = planFindings(result([f]), catalogue).accounts[0]!.plans[0]!;
  return plan.steps.flatMap((s) => [s.text, ...(s.commands ?? [])]);
}

describe('set-account-password-policy: the update repeats the whole policy', () => {
  it('keeps every current setting and raises length, reuse and character classes', () => {
    expect(
      targetPasswordPolicy({
        MinimumPasswordLength: 8,
        RequireSymbols: false,
        RequireNumbers: true,
        AllowUsersToChangePassword: false,
        ExpirePasswords: true,
        MaxPasswordAge: 90,
        PasswordReusePrevention: 5,
        HardExpiry: true,
      }),
    ).toEqual({
      MinimumPasswordLength: 14,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: false,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 24,
      HardExpiry: true,
    });
  });

  it('never lowers a stricter setting, and leaves unset expiry out (the API refuses 0)', () => {
    const target = targetPasswordPolicy({ MinimumPasswordLength: 20, PasswordReusePrevention: 24 });
    expect(target.MinimumPasswordLength).toBe(20);
    expect(target).not.toHaveProperty('MaxPasswordAge');
    expect(target).not.toHaveProperty('HardExpiry');
  });

  it('the plan shows the current values and one quoted --cli-input-json argument', () => {
    const lines = planCommands({ MinimumPasswordLength: 8, RequireSymbols: false, MaxPasswordAge: 90 });
    expect(lines.join('\n')).toContain('At scan time it was: MinimumPasswordLength=8, RequireSymbols=false, MaxPasswordAge=90.');
    expect(lines.join('\n')).toMatch(/replaces the whole policy/);
    const update = lines.find((l) => l.startsWith('aws iam update-account-password-policy'))!;
    expect(update).toBe(
      `aws iam update-account-password-policy --cli-input-json='{"MinimumPasswordLength":14,"RequireSymbols":true,"RequireNumbers":true,"RequireUppercaseCharacters":true,"RequireLowercaseCharacters":true,"AllowUsersToChangePassword":true,"MaxPasswordAge":90,"PasswordReusePrevention":24}'`,
    );
  });

  it('a missing policy is described as such', () => {
    expect(describePasswordPolicy('none')).toMatch(/^none: the account has no password policy/);
    expect(planCommands('none').join('\n')).toContain('At scan time it was: none');
  });
});
