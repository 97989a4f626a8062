import { describe, expect, it } from 'vitest';
import { listFormatters } from '../../src/core/format/registry.js';
import { IDENTITY_CENTER_NOTE } from '../../src/core/remediation/index.js';
import { CONTEXT, exampleResult } from './helpers.js';

/** Occurrences of `needle` in `text`. */
function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** A distinctive part of the note that survives every format's escaping. */
const MARK = 'IAM Identity Center users are not IAM users';

/** CSV is a table of findings (one row each); ASFF and OCSF are lists of findings: none has room for prose. */
const TABLE_FORMATS = new Set(['csv', 'asff', 'ocsf']);

describe('scope notes (issue 12: IAM Identity Center is not covered)', () => {
  it('the result states what no credential report covers', async () => {
    const result = await exampleResult();
    expect(result.notes).toEqual([IDENTITY_CENTER_NOTE]);
  });

  for (const entry of listFormatters().filter((f) => !TABLE_FORMATS.has(f.name) && !f.binary)) {
    it(`--format ${entry.name} states the Identity Center note exactly once`, async () => {
      const result = await exampleResult();
      const text = Array.from(entry.format(result, CONTEXT)).join('');
      expect(count(text, MARK)).toBe(1);
    });
  }

  it('a result without notes (written before they existed) renders without one', async () => {
    const { notes: _notes, ...older } = await exampleResult();
    for (const entry of listFormatters().filter((f) => f.name === 'text' || f.name === 'markdown')) {
      expect(Array.from(entry.format(older, CONTEXT)).join('')).not.toContain(MARK);
    }
  });
});
