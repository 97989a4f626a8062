import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/index.js';
import { loadCatalogue } from '../../src/collectors/files/procedures.js';
import { builtInCatalogue, catalogueWith } from './helpers.js';

/** Every diagnostic of the user files, as `file:line pointer: message (suggestion)`. */
function errorsOf(files: Record<string, string>): string[] {
  try {
    catalogueWith(files);
  } catch (error) {
    if (error instanceof InputError)
      return error.diagnostics.map(
        (d) => `${d.file}:${d.line ?? '?'} ${d.pointer ?? ''}: ${d.message}${d.suggestion ? ` (${d.suggestion})` : ''}`,
      );
    throw error;
  }
  return [];
}

describe('user procedures: the same format and schema as the built-in ones', () => {
  it('adds a runbook and extra links to a built-in procedure and keeps its steps', () => {
    const yaml = [
      'id: rotate-access-key',
      'runbook: https://wiki.example.com/aws/key-rotation',
      'extraLinks:',
      '  - title: Vault paths',
      '    url: https://wiki.example.com/vault',
    ].join('\n');
    const procedure = catalogueWith({ 'procs/rotate-access-key.yaml': yaml }).get('rotate-access-key')!;
    const builtIn = builtInCatalogue().get('rotate-access-key')!;
    expect(procedure.runbook).toBe('https://wiki.example.com/aws/key-rotation');
    expect(procedure.steps).toEqual(builtIn.steps);
    expect(procedure.phase).toBe(builtIn.phase);
    expect(procedure.links.map((l) => l.url)).toEqual([...builtIn.links.map((l) => l.url), 'https://wiki.example.com/vault']);
    expect(procedure.source).toBe('procedures/rotate-access-key.yaml, procs/rotate-access-key.yaml');
  });

  it('replaces the steps of a built-in procedure, and may reuse shared steps by id', () => {
    const yaml = [
      'id: enable-user-mfa',
      'steps:',
      '  - id: ticket',
      '    role: change',
      '    text: Open a ticket for {{user}} in ITSM.',
      '  - use: resolve-key-ids',
    ].join('\n');
    expect(
      catalogueWith({ 'enable-user-mfa.yaml': yaml })
        .get('enable-user-mfa')!
        .steps.map((s) => s.id),
    ).toEqual(['ticket', 'resolve-key-ids']);
  });

  it('adds a new procedure in its declared phase', () => {
    const yaml = [
      'id: page-owner',
      'title: Page the owner',
      'actor: administrator',
      'summary: Ask the owner.',
      'phase: 20',
      'steps:',
      '  - id: page',
      '    role: document',
      '    text: Page the owner of {{user}}.',
    ].join('\n');
    const procedure = catalogueWith({ 'page-owner.yaml': yaml }).get('page-owner')!;
    expect(procedure.title).toBe('Page the owner');
    expect(procedure.phase).toBe(20);
    expect(procedure.appliesTo).toEqual(['root', 'user']);
  });

  it('reports every problem at once, with file, line, pointer and suggestions', () => {
    const yaml = [
      'id: my-proc',
      'titel: Mine',
      'actor: admin',
      'steps:',
      '  - id: one',
      '    role: change',
      '    txt: hello',
      '  - use: resolve-key-id',
    ].join('\n');
    expect(errorsOf({ 'p/my-proc.yaml': yaml })).toEqual([
      "p/my-proc.yaml:2 /titel: unknown property 'titel' (did you mean 'title'?)",
      'p/my-proc.yaml:3 /actor: must be one of: root, iam-user, administrator, management-account, auditor (got "admin") (did you mean \'administrator\'?)',
      "p/my-proc.yaml:5 /steps/0: missing required property 'text'",
      "p/my-proc.yaml:7 /steps/0/txt: unknown property 'txt' (did you mean 'text'?)",
    ]);
  });

  it('checks a new procedure for the fields it cannot inherit, and resolves its shared steps', () => {
    const yaml = ['id: my-proc', 'actor: administrator', 'steps:', '  - use: resolve-key-id'].join('\n');
    expect(errorsOf({ 'my-proc.yaml': yaml })).toEqual([
      "my-proc.yaml:1 : new procedure 'my-proc' needs `title` (only a file that overrides an existing procedure may leave it out)",
      "my-proc.yaml:1 : new procedure 'my-proc' needs `summary` (only a file that overrides an existing procedure may leave it out)",
      "my-proc.yaml:1 : new procedure 'my-proc' needs `phase` (e.g. phase: 90 (after the built-in procedures))",
      "my-proc.yaml:4 /steps/0/use: unknown shared step 'resolve-key-id' (did you mean 'resolve-key-ids'?)",
    ]);
  });

  it('checks templates when the file loads: an unknown name is an error, and so is the old single-brace syntax', () => {
    const yaml = [
      'id: enable-user-mfa',
      'steps:',
      '  - id: ticket',
      '    role: change',
      '    text: Open a ticket for {{usr}} in {account}.',
      '    commands:',
      '      - aws iam get-user --user-name {{ user }} --x {{nope}}',
    ].join('\n');
    expect(errorsOf({ 'enable-user-mfa.yaml': yaml })).toEqual([
      "enable-user-mfa.yaml:5 /steps/0/text: unknown placeholder '{{usr}}' (did you mean 'user'?)",
      "enable-user-mfa.yaml:5 /steps/0/text: '{account}' is not a placeholder (write {{account}})",
      expect.stringMatching(
        /^enable-user-mfa\.yaml:7 \/steps\/0\/commands\/0: unknown placeholder '\{\{nope\}\}' \(known placeholders: account, /,
      ),
    ]);
  });

  it('refuses a placeholder inside quotes, backticks or $(…) in a command, naming the file and line (issue 20 item 2)', () => {
    const yaml = [
      'id: enable-user-mfa',
      'steps:',
      '  - id: ticket',
      '    role: change',
      '    text: "Tell \\"{{user}}\\" (prose may quote a name)."',
      '    commands:',
      '      - aws iam get-user --user-name "{{user}}"',
      "      - aws iam get-user --user-name '{{arn}}'",
      '      - aws iam get-user --user-name `echo {{user}}`',
      '      - aws iam get-user --user-name $(echo {{user}})',
      '      - aws iam get-user --user-name x > {{user}}',
      '      - aws iam get-user {{user}}',
      '      - aws iam get-user --user-name {{user}} --query "Users[?UserName==\'alice\']"',
      '      - aws iam get-user --role-arn arn:{{partition}}:iam::{{account}}:role/x --user-name={{user}}',
      'verifyCommands:',
      "  - echo '{{user}}'",
    ].join('\n');
    const errors = errorsOf({ 'enable-user-mfa.yaml': yaml });
    expect(errors).toEqual([
      expect.stringMatching(
        /^enable-user-mfa\.yaml:16 \/verifyCommands\/0: placeholder '\{\{user\}\}' is inside single quotes in a command/,
      ),
      expect.stringMatching(/^enable-user-mfa\.yaml:7 \/steps\/0\/commands\/0: placeholder '\{\{user\}\}' is inside double quotes/),
      expect.stringMatching(/^enable-user-mfa\.yaml:8 \/steps\/0\/commands\/1: placeholder '\{\{arn\}\}' is inside single quotes/),
      expect.stringMatching(/^enable-user-mfa\.yaml:9 \/steps\/0\/commands\/2: placeholder '\{\{user\}\}' is inside backticks/),
      expect.stringMatching(/^enable-user-mfa\.yaml:10 \/steps\/0\/commands\/3: placeholder '\{\{user\}\}' is inside \$\(…\)/),
      expect.stringMatching(/^enable-user-mfa\.yaml:11 \/steps\/0\/commands\/4: placeholder '\{\{user\}\}' starts a word .* redirection/),
      expect.stringMatching(
        /^enable-user-mfa\.yaml:12 \/steps\/0\/commands\/5: placeholder '\{\{user\}\}' starts a word of a command without being an --option's value/,
      ),
    ]);
  });

  it('treats inherited names such as {{constructor}} as unknown placeholders, never as values', () => {
    const names = ['constructor', 'valueOf', 'toString', 'hasOwnProperty'];
    const yaml = [
      'id: enable-user-mfa',
      'steps:',
      '  - id: ticket',
      '    role: change',
      `    text: Tell ${names.map((n) => `{{${n}}}`).join(' ')}`,
    ];
    expect(errorsOf({ 'enable-user-mfa.yaml': yaml.join('\n') })).toEqual(
      names.map((n) => expect.stringContaining(`/steps/0/text: unknown placeholder '{{${n}}}'`)),
    );
  });

  it('rejects YAML syntax errors, non-kebab ids and a file named after another id', () => {
    expect(errorsOf({ 'x.yaml': 'id: [unclosed' })[0]).toMatch(/YAML syntax/);
    expect(errorsOf({ 'Not_Kebab.yaml': 'id: Not_Kebab' })).toEqual([
      'Not_Kebab.yaml:1 /id: must match pattern "^[a-z0-9]+(-[a-z0-9]+)*$"',
    ]);
    expect(errorsOf({ 'other.yaml': 'id: rotate-access-key' })).toEqual([
      "other.yaml:1 /id: id 'rotate-access-key' does not match the file name 'other.yaml' (rename the file to rotate-access-key.yaml)",
    ]);
  });
});

describe('loading user procedures from folders', () => {
  it('applies .credwarden/procedures, then --procedures folders, and names a missing folder', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cw-procs-'));
    mkdirSync(join(cwd, '.credwarden/procedures'), { recursive: true });
    writeFileSync(
      join(cwd, '.credwarden/procedures/rotate-access-key.yaml'),
      'id: rotate-access-key\nrunbook: https://wiki.example.com/first\n',
    );
    mkdirSync(join(cwd, 'more'));
    writeFileSync(join(cwd, 'more/rotate-access-key.yaml'), 'id: rotate-access-key\nrunbook: https://wiki.example.com/second\n');
    expect(loadCatalogue(['more'], cwd).get('rotate-access-key')!.runbook).toBe('https://wiki.example.com/second');
    expect(() => loadCatalogue(['missing'], cwd)).toThrow(InputError);
  });
});
