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

  describe('a parameter declares the fact it bounds (bounds)', () => {
    const BOUNDED = VALID.replace(
      'maxAgeDays: { type: integer, default: 90, minimum: 1 }',
      'maxAgeDays: { type: integer, bounds: key.ageDays, default: 90, minimum: 1 }',
    );

    it('accepts a fact the condition compares with the parameter, and the rule carries it', () => {
      expect(errors(BOUNDED)).toEqual([]);
      expect(parseRuleDefinition(BOUNDED, 'my-rule.yaml').definition?.rule.parameters?.maxAgeDays?.bounds).toBe('key.ageDays');
    });

    it('accepts a comparison inside a quantifier or under not', () => {
      const quantified = BOUNDED.replace('subject: accessKey', 'subject: principal')
        .replace(
          /condition:[\s\S]*?message:/,
          'condition:\n  not:\n    some: accessKeys\n    where: { fact: key.ageDays, lte: { param: maxAgeDays } }\nmessage:',
        )
        .replace('{{credential}} is {{key.ageDays}} days old', 'has old keys')
        .replace('evidence: [key.ageDays]', 'evidence: [principal.name]');
      expect(errors(quantified)).toEqual([]);
    });

    it.each([
      [
        'a fact the condition does not compare with it',
        'bounds: key.ageDays',
        'bounds: key.lastUsedDaysAgo',
        "the condition compares 'maxAgeDays' with: key.ageDays",
      ],
      ['a misspelt fact', 'bounds: key.ageDays', 'bounds: key.agedays', "did you mean 'key.ageDays'?"],
      [
        'a fact compared only by equality',
        'gt: { param: maxAgeDays }',
        'eq: { param: maxAgeDays }',
        'compare a fact with { param: maxAgeDays }',
      ],
    ])('refuses %s, at the bounds line', (_name, from, to, suggestion) => {
      const [d, ...more] = errors(BOUNDED.replace(from, to));
      expect(more).toEqual([]);
      expect(d).toMatchObject({
        file: 'my-rule.yaml',
        line: 8,
        pointer: '/parameters/maxAgeDays/bounds',
        message: expect.stringContaining("parameter 'maxAgeDays' bounds"),
        suggestion: expect.stringContaining(suggestion),
      });
    });

    it('refuses a bounds that is not a field path (schema)', () => {
      const diagnostics = errors(BOUNDED.replace('bounds: key.ageDays', 'bounds: 90'));
      expect(diagnostics).toContainEqual(expect.objectContaining({ pointer: '/parameters/maxAgeDays/bounds' }));
    });
  });

  it('reports YAML syntax errors with a line', () => {
    const [d] = errors('id: x\n  title: [unclosed\n');
    expect(d).toMatchObject({ file: 'my-rule.yaml', line: expect.any(Number), message: expect.stringContaining('YAML syntax') });
  });
});
