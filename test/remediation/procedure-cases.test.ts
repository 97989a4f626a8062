import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Credential } from '../../src/model/index.js';
import { InputError } from '../../src/model/index.js';
import { planFindings } from '../../src/core/remediation/index.js';
import { builtInCatalogue, catalogueWith, finding, result } from './helpers.js';

/** A procedure's table (test/remediation/cases/<id>.yaml), like the rules' valid/invalid tables. */
interface ProcedureCases {
  /** A finding that names the procedure, and the plan it must give. */
  valid: {
    name: string;
    principal: 'root' | 'user';
    credential: Credential;
    evidence?: Record<string, unknown>;
    steps: string[];
    actors: string[];
  }[];
  /** Edits of the procedure file (JSON pointer → new value) and the error each must give. */
  invalid: { name: string; set: Record<string, unknown>; error: string }[];
}

const catalogue = builtInCatalogue();
const casesDir = join(process.cwd(), 'test/remediation/cases');

/** The procedure file with `set` applied, as YAML. */
function edited(id: string, set: Record<string, unknown>): string {
  const file = parse(readFileSync(join(process.cwd(), 'procedures', `${id}.yaml`), 'utf8')) as Record<string, unknown>;
  for (const [pointer, value] of Object.entries(set)) {
    const segments = pointer.split('/').slice(1);
    let node = file as Record<string, unknown>;
    for (const segment of segments.slice(0, -1)) node = node[segment] as Record<string, unknown>;
    node[segments.at(-1)!] = value;
  }
  return stringify(file);
}

function errorsOf(id: string, set: Record<string, unknown>): string[] {
  try {
    catalogueWith({ [`cases/${id}.yaml`]: edited(id, set) });
  } catch (error) {
    if (error instanceof InputError) return error.diagnostics.map((d) => `${d.pointer ?? ''}: ${d.message}`);
    throw error;
  }
  return [];
}

describe('every built-in procedure ships a valid/invalid table', () => {
  it.each([...catalogue.keys()])('%s', (id) => {
    expect(existsSync(join(casesDir, `${id}.yaml`))).toBe(true);
  });
});

for (const id of catalogue.keys()) {
  const path = join(casesDir, `${id}.yaml`);
  if (!existsSync(path)) continue;
  const cases = parse(readFileSync(path, 'utf8')) as ProcedureCases;
  describe(`procedure ${id}`, () => {
    it.each(cases.valid.map((c) => [c.name, c] as const))('plans: %s', (_name, c) => {
      const plans = planFindings(result([finding('case', id, c.credential, c.evidence ?? {}, { type: c.principal })]), catalogue)
        .accounts[0]!.plans;
      expect(plans).toHaveLength(1);
      expect(plans[0]!.steps.map((s) => s.id)).toEqual(c.steps);
      expect(plans[0]!.actors).toEqual(c.actors);
      expect(plans[0]!.procedures).toEqual([id]);
    });
    it.each(cases.invalid.map((c) => [c.name, c] as const))('refuses: %s', (_name, c) => {
      expect(errorsOf(id, c.set).join('\n')).toContain(c.error);
    });
  });
}
