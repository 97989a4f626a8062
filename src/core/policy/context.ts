import type { ContextValue, RequestContext } from './types.js';

/**
 * Builds a request context from plain entries. Condition keys are case-insensitive in IAM,
 * so they are stored lower-case. Use `null` for a key known to be absent from the request;
 * leave a key out when its value cannot be known offline.
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
  if (!context.has(lower)) return { state: 'unknown' };
  const value = context.get(lower);
  if (value === null || value === undefined) return { state: 'absent' };
  if (Array.isArray(value)) return { state: 'present', values: value.map(String) };
  return { state: 'present', values: [String(value)] };
}
