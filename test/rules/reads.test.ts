import { describe, expect, it } from 'vitest';
import { parseRuleDefinition } from '../../src/core/rules/definition.js';
import { loadRuleset } from '../../src/collectors/files/rules.js';

const ruleset = loadRuleset({ pack: 'complete', rulesDirs: [] }).ruleset;
const compiled = (id: string) => ruleset.rules.find((r) => r.id === id)!;

describe('what a compiled rule reads', () => {
  it('records every field of the condition (quantifiers included), the message and the evidence', () => {
    expect(compiled('root-hardware-mfa').reads).toEqual([
      'account.facts.rootCredentialsManagement',
      'account.facts.rootCredentialsPresent',
      'account.facts.rootMfa',
      'account.id',
      'principal.mfaActive',
    ]);
    expect(compiled('single-administrator').reads).toEqual([
      'account.facts.recovery.administratorCount',
      'account.facts.recovery.soleAdministrator',
      'account.facts.recovery.soleAdministratorKind',
      'account.id',
      'facts.recovery.soleAdministrator',
      'principal.type',
    ]);
    expect(compiled('two-active-access-keys').reads.some((path) => path.startsWith('key.'))).toBe(true);
  });

  it('names the fact roots it reads, and those that decide it', () => {
    expect(compiled('root-hardware-mfa')).toMatchObject({
      factRoots: ['rootCredentialsManagement', 'rootCredentialsPresent', 'rootMfa'],
      requiredFacts: ['rootMfa'],
    });
    // Whether root still has a password only refines the root fallback: unknown counts as passwordless.
    expect(compiled('no-recovery-path')).toMatchObject({ factRoots: ['recovery', 'rootPasswordPresent'], requiredFacts: ['recovery'] });
    // Its facts only narrow it: the credential report decides it alone.
    expect(compiled('root-mfa-disabled')).toMatchObject({
      factRoots: ['rootCredentialsManagement', 'rootCredentialsPresent'],
      requiredFacts: [],
    });
    expect(compiled('access-key-not-rotated')).toMatchObject({ factRoots: [], requiredFacts: [] });
  });
});

describe('optionalFacts', () => {
  const rule = (optional: string) =>
    [
      'id: my-rule',
      'title: t',
      'description: d',
      'severity: low',
      'appliesTo: [root]',
      'subject: principal',
      'condition: { all: [{ fact: account.facts.rootMfa, eq: virtual }, { fact: facts.recovery.x, eq: true }] }',
      'message: m',
      `optionalFacts: [${optional}]`,
      'remediation: { procedure: rotate-access-key }',
      'frameworks: {}',
      'docs: https://example.com/r',
    ].join('\n');

  it('accepts a root the rule reads', () => {
    expect(parseRuleDefinition(rule('recovery'), 'my-rule.yaml').diagnostics).toEqual([]);
  });

  it('rejects one it does not read, with the line and a suggestion', () => {
    expect(parseRuleDefinition(rule('rootMFA'), 'my-rule.yaml').diagnostics).toEqual([
      expect.objectContaining({
        line: 9,
        message: "optional fact 'rootMFA' is not a fact root the rule reads",
        suggestion: "did you mean 'rootMfa'?",
      }),
    ]);
  });
});
