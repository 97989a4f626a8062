import type { ContextValue, RequestContext } from './types.js';

/**
 * Builds a request context from plain entries. Condition keys are case-insensitive in IAM,
 * so they are stored lower-case. Use `null` for a key known to be absent from the request;
 * leave a key out when its value cannot be known offline. A `family/*` key set to `null`
 * (e.g. `aws:PrincipalTag/*`) marks every unlisted key of that family as absent.
 */
export function makeContext(entries: Readonly<Record<string, ContextValue | undefined>>): RequestContext {
  const map = new Map<string, ContextValue>();
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined) map.set(key.toLowerCase(), value);
  }
  return map;
}

/** What a context says about a key: its value(s), known-absent, or unknown. */
export type Lookup = { state: 'present'; values: string[] } | { state: 'absent' } | { state: 'unknown' };

/** Looks up a condition key, normalising every value to strings (IAM compares strings). */
export function lookup(context: RequestContext, key: string): Lookup {
  const lower = key.toLowerCase();
  if (!context.has(lower)) {
    // `aws:PrincipalTag/*: null` says every tag of the principal is listed: any other tag key is absent.
    const slash = lower.indexOf('/');
    const family = slash > 0 ? `${lower.slice(0, slash + 1)}*` : undefined;
    return family !== undefined && context.has(family) ? { state: 'absent' } : { state: 'unknown' };
  }
  const value = context.get(lower);
  if (value === null || value === undefined) return { state: 'absent' };
  if (Array.isArray(value)) return { state: 'present', values: value.map(String) };
  return { state: 'present', values: [String(value)] };
}
