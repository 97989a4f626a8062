import { NO, YES, type Match } from './types.js';

/** Three-valued AND: a definite `no` wins, then `unknown` (keys merged), else `yes`. */
export function allOf(matches: Iterable<Match>): Match {
  const keys: string[] = [];
  let unknown = false;
  for (const m of matches) {
    if (m.kind === 'no') return NO;
    if (m.kind === 'unknown') {
      unknown = true;
      keys.push(...m.keys);
    }
  }
  return unknown ? unknownOf(keys) : YES;
}

/** Three-valued OR: a definite `yes` wins, then `unknown`, else `no`. */
export function anyOf(matches: Iterable<Match>): Match {
  const keys: string[] = [];
  let unknown = false;
  for (const m of matches) {
    if (m.kind === 'yes') return YES;
    if (m.kind === 'unknown') {
      unknown = true;
      keys.push(...m.keys);
    }
  }
  return unknown ? unknownOf(keys) : NO;
}

/** Three-valued NOT. */
export function negate(m: Match): Match {
  if (m.kind === 'unknown') return m;
  return m.kind === 'yes' ? NO : YES;
}

/** Converts a boolean to a definite match. */
export function definite(value: boolean): Match {
  return value ? YES : NO;
}

/** An unknown outcome depending on `keys` (deduplicated). */
export function unknownOf(keys: readonly string[]): Match {
  return { kind: 'unknown', keys: [...new Set(keys)] };
}
