import type { Catalogue, Procedure, ProcedureLink } from './types.js';
import { BUILT_IN_PROCEDURES } from './procedures/index.js';

/**
 * A user procedure. For a built-in id every field is optional and replaces the
 * built-in field; `extraLinks` are added after the built-in links. A new id must
 * be complete (title, actor, summary, steps).
 */
export type ProcedureOverride = Partial<Procedure> & { id: string; extraLinks?: ProcedureLink[] };

/**
 * The built-in catalogue with user procedures on top, applied in order: an
 * override of a built-in id is merged over it, a new id adds a procedure.
 */
export function buildCatalogue(overrides: readonly ProcedureOverride[] = []): Catalogue {
  const byId = new Map<string, Procedure>(BUILT_IN_PROCEDURES.map((p) => [p.id, p]));
  for (const override of overrides) {
    const base = byId.get(override.id);
    byId.set(override.id, mergeProcedure(base, override));
  }
  return byId;
}

/** Merges one override over its base (or over nothing, for a new procedure). */
export function mergeProcedure(base: Procedure | undefined, override: ProcedureOverride): Procedure {
  const { extraLinks, ...fields } = override;
  const merged = { ...(base ?? { appliesTo: ['root', 'user'], prerequisites: [], verification: [], links: [] }) } as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) merged[key] = value;
  const procedure = merged as unknown as Procedure;
  return extraLinks && extraLinks.length > 0 ? { ...procedure, links: [...procedure.links, ...extraLinks] } : procedure;
}

/** The built-in catalogue. */
export function builtInCatalogue(): Catalogue {
  return buildCatalogue();
}
