import { describe, expect, it } from 'vitest';
import { parseRuleDefinition } from '../../src/core/rules/definition.js';

const VALID = `id: my-rule
title: My rule
description: Flags old active keys.
severity: medium
appliesTo: [user]
subject: accessKey
parameters:
  maxAgeDays: { type: integer, default: 90, minimum: 1 }
condition:
  all:
    - fact: key.active
      eq: true
    - fact: key.ageDays
      gt: { param: maxAgeDays }
message: "{{principal.name}} {{credential}} is {{key.ageDays}} days old"
evidence: [key.ageDays]
remediation: { procedure: rotate-access-key }
frameworks: { cis-aws-3.0: ["1.14"] }
docs: https://example.com/rule
`;

function errors(text: string, file = 'my-rule.yaml') {
  return parseRuleDefinition(text, file).diagnostics;
}

describe('rule file validation', () => {
  it('accepts a valid rule', () => {
    expect(errors(VALID)).toEqual([]);
  });

  it('reports a schema violation with line, pointer and a suggestion', () => {
    const diagnostics = errors(VALID.replace('severity: medium', 'severity: medum').replace('docs:', 'doc:'));
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ file: 'my-rule.yaml', line: 4, pointer: '/severity', suggestion: "did you mean 'medium'?" }),
    );
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ line: 19, pointer: '/doc', message: "unknown property 'doc'", suggestion: "did you mean 'docs'?" }),
    );
    expect(diagnostics).toContainEqual(expect.objectContaining({ message: "missing required property 'docs'" }));
  });

  it('reports an unknown field in a condition with did-you-mean', () => {
    const [d] = errors(VALID.replace('fact: key.ageDays', 'fact: key.agedays'));
    expect(d).toMatchObject({
      line: 13,
      pointer: '/condition/all/1/fact',
      message: "unknown field 'key.agedays'",
      suggestion: "did you mean 'key.ageDays'?",
    });
  });

  it('reports a field used outside its subject', () => {
    const [d] = errors(
      VALID.replace('subject: accessKey', 'subject: password').replace('[key.ageDays]', '[]').replace('is {{key.ageDays}} days old', 'x'),
    );
    expect(d).toMatchObject({ pointer: '/condition/all/0/fact', message: "field 'key.active' is not available here" });
    expect(d?.suggestion).toContain("subject 'accessKey'");
  });

  it('reports an unknown parameter reference', () => {
    const [d] = errors(VALID.replace('gt: { param: maxAgeDays }', 'gt: { param: maxAge }'));
    expect(d).toMatchObject({
      line: 14,
      pointer: '/condition/all/1/gt/param',
      message: "unknown parameter 'maxAge'",
      suggestion: "did you mean 'maxAgeDays'?",
    });
  });

  it('reports a wrong type in a comparison', () => {
    const [d] = errors(VALID.replace('eq: true', 'eq: "yes"'));
    expect(d).toMatchObject({ line: 12, pointer: '/condition/all/0/eq', message: expect.stringContaining("'key.active' is a boolean") });
  });

  it('reports an unknown operator and an unknown placeholder', () => {
    const diagnostics = errors(VALID.replace('gt: { param: maxAgeDays }', 'greater: 3').replace('{{credential}}', '{{credentail}}'));
    expect(diagnostics).toContainEqual(expect.objectContaining({ message: "unknown comparison 'greater'" }));
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        line: 15,
        message: "unknown placeholder '{{credentail}}' in message",
        suggestion: "did you mean 'credential'?",
      }),
    );
  });

  it('reports every problem at once', () => {
    const diagnostics = errors(
      VALID.replace('severity: medium', 'severity: 3').replace('fact: key.active', 'fact: key.actve').replace('default: 90', 'default: 0'),
    );
    expect(diagnostics.map((d) => d.pointer)).toEqual(
      expect.arrayContaining(['/severity', '/condition/all/0/fact', '/parameters/maxAgeDays/default']),
    );
  });

  it('requires the file name to match the id', () => {
    const [d] = errors(VALID, 'rules/other.yaml');
    expect(d).toMatchObject({ line: 1, pointer: '/id', suggestion: 'rename the file to my-rule.yaml' });
  });

  it('reports YAML syntax errors with a line', () => {
    const [d] = errors('id: x\n  title: [unclosed\n');
    expect(d).toMatchObject({ file: 'my-rule.yaml', line: expect.any(Number), message: expect.stringContaining('YAML syntax') });
  });
});
