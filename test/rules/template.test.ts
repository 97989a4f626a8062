import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../src/core/rules/template.js';
import type { EvalFrame } from '../../src/core/rules/frame.js';
import type { Diagnostic } from '../../src/model/index.js';

const SCOPES = new Set(['principal', 'key'] as const);

function frameOf(name: string, lastUsed: string | null): EvalFrame {
  return {
    account: { id: '123456789012', name: 'prod' },
    principal: { name, password: { lastUsed } },
    asOfMs: Date.parse('2026-11-01T00:00:00Z'),
  } as unknown as EvalFrame;
}

function compile(text: string, params: Record<string, unknown> = {}) {
  const diagnostics: Diagnostic[] = [];
  const template = compileTemplate(text, SCOPES, params, { file: 'rule.yaml' }, diagnostics);
  expect(diagnostics).toEqual([]);
  return template;
}

describe('compileTemplate (finding messages)', () => {
  it('fills each call with its own values: nothing of a previous call is kept', () => {
    const message = compile(
      '{{principal.name}} in {{account.name}}: last used {{password.lastUsedDaysAgo}} days ago (limit {{params.max}})',
      {
        max: 45,
      },
    );
    expect(message(frameOf('alice', '2026-08-01T00:00:00Z'))).toBe('alice in prod: last used 92 days ago (limit 45)');
    expect(message(frameOf('bob', null))).toBe('bob in prod: last used n/a days ago (limit 45)');
    expect(message(frameOf('alice', '2026-10-31T12:00:00Z'))).toBe('alice in prod: last used 0 days ago (limit 45)');
  });

  it('keeps text without placeholders, and placeholders side by side or at the ends', () => {
    expect(compile('no placeholder at all')(frameOf('a', null))).toBe('no placeholder at all');
    expect(compile('{{principal.name}}')(frameOf('carol', null))).toBe('carol');
    expect(compile('{{principal.name}}{{account.id}}')(frameOf('dave', null))).toBe('dave123456789012');
    expect(compile('')(frameOf('e', null))).toBe('');
  });
});
