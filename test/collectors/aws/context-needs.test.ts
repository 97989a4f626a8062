import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtInRulesDir, loadRuleDefinitions } from '../../../src/collectors/files/rules.js';
import { contextNeedsFor } from '../../../src/collectors/aws/options.js';
import { parseRuleDefinition, type RuleDefinition } from '../../../src/core/rules/definition.js';
import { buildRuleset } from '../../../src/core/rules/ruleset.js';
import { parsePack } from '../../../src/core/rules/settings.js';

const builtIn = loadRuleDefinitions(builtInRulesDir(), true);

function definition(id: string): RuleDefinition {
  const found = builtIn.find((d) => d.rule.id === id);
  if (!found) throw new Error(`no built-in rule ${id}`);
  return found;
}

/** A user rule: a built-in rule's file under another id, with `edit` applied to its text. */
function userRule(fromId: string, id: string, edit: (text: string) => string = (t) => t): RuleDefinition {
  const text = edit(readFileSync(`rules/${fromId}.yaml`, 'utf8').replace(`id: ${fromId}`, `id: ${id}`));
  const parsed = parseRuleDefinition(text, `${id}.yaml`);
  if (!parsed.definition) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.definition;
}

/** The calls `auto` makes for exactly these rules, compiled as a scan compiles them. */
function needs(...definitions: RuleDefinition[]) {
  const pack = parsePack(`id: t\ndescription: t\nrules:\n${definitions.map((d) => `  ${d.rule.id}:`).join('\n')}\n`, 'test-pack.yaml');
  return contextNeedsFor(buildRuleset({ definitions, pack }).rules);
}

const NONE = {
  rootMfa: false,
  passwordPolicy: false,
  summary: false,
  recovery: false,
  serverCertificates: false,
  serviceCredentials: false,
  sshPublicKeys: false,
  codeCommitAccess: false,
};

describe('contextNeedsFor: the calls follow the fact roots the compiled rules read', () => {
  it('rules of the credential report alone need no call', () => {
    expect(needs(definition('access-key-not-rotated'), definition('console-user-without-mfa'))).toEqual(NONE);
  });

  it('root-hardware-mfa needs the MFA device list', () => {
    expect(needs(definition('root-hardware-mfa'))).toEqual({ ...NONE, rootMfa: true });
  });

  it('facts a rule declares optional cost no call; the same facts required do', () => {
    expect(needs(definition('root-mfa-disabled'))).toEqual(NONE);
    const required = userRule('root-mfa-disabled', 'root-mfa-strict', (t) => t.replace(/\noptionalFacts: .*\n/, '\n'));
    expect(needs(required)).toEqual({ ...NONE, summary: true });
  });

  it('recovery facts of principals and of the account both need the recovery inputs', () => {
    expect(needs(definition('no-recovery-path')).recovery).toBe(true);
    const accountOnly = userRule('single-administrator', 'sole-admin-role', (t) =>
      t.replace(
        /condition:[\s\S]*?\nmessage:/,
        'condition:\n  all:\n    - { fact: principal.type, eq: root }\n    - { fact: account.facts.recovery.soleAdministratorKind, eq: role }\nmessage:',
      ),
    );
    expect(needs(accountOnly)).toEqual({ ...NONE, recovery: true });
  });

  it('reads in messages and evidence count, not only in conditions', () => {
    const inMessage = userRule('access-key-not-rotated', 'key-age-with-policy', (t) =>
      t.replace(/^message: .*$/m, 'message: "{{principal.name}} (policy {{account.facts.passwordPolicy.MaxPasswordAge}})"'),
    );
    expect(needs(inMessage)).toEqual({ ...NONE, passwordPolicy: true });
    const inEvidence = userRule('access-key-not-rotated', 'key-age-with-summary', (t) =>
      t.replace(/^evidence: \[/m, 'evidence: [account.facts.accountSummary.Users, '),
    );
    expect(needs(inEvidence)).toEqual({ ...NONE, summary: true });
  });

  it('a fact root no call decides needs none', () => {
    const organisation = userRule('access-key-not-rotated', 'org-root-sessions', (t) =>
      t.replace(/^evidence: \[/m, 'evidence: [account.facts.rootSessions, '),
    );
    expect(needs(organisation)).toEqual(NONE);
  });

  it('each credential the report leaves out costs its own call, implied by the rule subject', () => {
    expect(needs(definition('password-policy-missing'))).toEqual({ ...NONE, passwordPolicy: true });
    expect(needs(definition('expired-server-certificate'))).toEqual({ ...NONE, serverCertificates: true });
    expect(needs(definition('bedrock-long-term-api-key'), definition('service-credential-not-rotated'))).toEqual({
      ...NONE,
      serviceCredentials: true,
    });
    expect(needs(definition('ssh-public-key-not-rotated'))).toEqual({ ...NONE, sshPublicKeys: true });
    // Whether the owner still uses CodeCommit: IAM's service last accessed data, read only for this rule.
    expect(needs(definition('ssh-public-key-of-inactive-user'))).toEqual({ ...NONE, sshPublicKeys: true, codeCommitAccess: true });
  });
});
