/** What no-recovery-path tells the reader about root, the one fallback left (issue 19 item 6). */
import { describe, expect, it } from 'vitest';
import { builtInRulesDir, loadRuleset } from '../../src/collectors/files/rules.js';
import { loadRulesUnderTest } from '../../src/collectors/files/rule-cases.js';
import { prepareCases } from '../../src/core/rules/testing/prepare.js';
import { evaluateAccount } from '../../src/core/engine/evaluate.js';

const underTest = loadRulesUnderTest(builtInRulesDir(), true).rules.find((r) => r.definition.rule.id === 'no-recovery-path')!;
const { cases } = prepareCases(underTest.definition, underTest.table!);
const { ruleset } = loadRuleset({ rulesDirs: [] });

/** The messages of no-recovery-path for the account of one case of its table. */
function messages(caseName: string): string[] {
  const prepared = cases.find((c) => c.name === caseName)!;
  return evaluateAccount(prepared.account, ruleset)
    .filter((f) => f.ruleId === 'no-recovery-path')
    .map((f) => f.message);
}

describe('no-recovery-path message', () => {
  it('never promises root when an SCP blocks it, and names the fallback of the credential lost', () => {
    const [message] = messages('an SCP blocks even root for keys; the password has a path');
    expect(message).not.toMatch(/only the root user/i);
    expect(message).toContain('access keys blocked-by-scp');
    expect(message).toContain('blocked-by-scp: an SCP denies even root');
  });

  it('says a user may hold up to 8 MFA devices, which the report cannot count, where a lost device is a lockout', () => {
    const [message] = messages('the password can be reset, but nobody can deactivate the lost MFA device that console sign-in asks for');
    expect(message).toContain('deactivate a lost MFA device: false');
    expect(message).toContain('up to 8 MFA devices, which the report cannot count');
  });
});
