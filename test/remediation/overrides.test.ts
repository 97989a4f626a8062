import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/index.js';
import { buildCatalogue, parseProcedureFile } from '../../src/core/remediation/index.js';

function errorsOf(text: string): string[] {
  try {
    parseProcedureFile(text, 'procs/x.yaml');
  } catch (error) {
    if (error instanceof InputError) return error.diagnostics.map((d) => `${d.line ?? '?'}: ${d.message}${d.suggestion ? ` (${d.suggestion})` : ''}`);
    throw error;
  }
  return [];
}

describe('procedure overrides', () => {
  it('adds a runbook and extra links to a built-in procedure and keeps its steps', () => {
    const overrides = parseProcedureFile(
      ['id: rotate-access-key', 'runbook: https://wiki.example.com/aws/key-rotation', 'extraLinks:', '  - title: Vault paths', '    url: https://wiki.example.com/vault'].join('\n'),
      'procs/rotate.yaml',
    );
    const procedure = buildCatalogue(overrides).get('rotate-access-key')!;
    const builtIn = buildCatalogue().get('rotate-access-key')!;
    expect(procedure.runbook).toBe('https://wiki.example.com/aws/key-rotation');
    expect(procedure.steps).toEqual(builtIn.steps);
    expect(procedure.links.map((l) => l.url)).toEqual([...builtIn.links.map((l) => l.url), 'https://wiki.example.com/vault']);
  });

  it('replaces the steps of a built-in procedure', () => {
    const overrides = parseProcedureFile(['id: enable-user-mfa', 'steps:', '  - id: ticket', '    text: Open a ticket for {user} in ITSM.'].join('\n'), 'p.yaml');
    expect(buildCatalogue(overrides).get('enable-user-mfa')!.steps.map((s) => s.id)).toEqual(['ticket']);
  });

  it('adds a new procedure from a list of procedures', () => {
    const text = ['procedures:', '  - id: page-owner', '    title: Page the owner', '    actor: administrator', '    summary: Ask the owner.', '    steps:', '      - id: page', '        text: Page the owner of {user}.'].join('\n');
    const procedure = buildCatalogue(parseProcedureFile(text, 'p.yaml')).get('page-owner')!;
    expect(procedure.title).toBe('Page the owner');
    expect(procedure.appliesTo).toEqual(['root', 'user']);
    expect(procedure.links).toEqual([]);
  });

  it('reports every problem at once, with lines and suggestions', () => {
    const errors = errorsOf(['id: my-proc', 'titel: Mine', 'actor: admin', 'steps:', '  - id: one', '    txt: hello'].join('\n'));
    expect(errors).toEqual([
      "2: unknown field 'titel' (did you mean 'title'?)",
      "3: `actor` must be one of root, iam-user, administrator, management-account (did you mean 'administrator'?)",
      "6: unknown step field 'txt' (did you mean 'text'?)",
      '5: a step needs a string `text`',
      "1: new procedure 'my-proc' needs `title` (only overrides of built-in procedures may leave it out)",
      "1: new procedure 'my-proc' needs `summary` (only overrides of built-in procedures may leave it out)",
    ]);
  });

  it('rejects YAML syntax errors and non-kebab ids', () => {
    expect(errorsOf('id: [unclosed')[0]).toMatch(/YAML syntax/);
    expect(errorsOf('id: Not_Kebab')).toEqual(['1: `id` must be a kebab-case procedure id']);
  });
});
