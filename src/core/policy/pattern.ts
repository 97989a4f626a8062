import { lookup } from './context.js';
import type { RequestContext } from './types.js';

/** Result of resolving a string that may hold policy variables. */
export type Resolved =
  { state: 'ok'; regex: RegExp; literal: string } | { state: 'absent'; key: string } | { state: 'unknown'; key: string };

const VARIABLE = /\$\{([^}]*)\}/y;
const ESCAPES: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

interface Options {
  /** Treat `*` and `?` as wildcards (ARN/String Like, actions, resources). */
  wildcards: boolean;
  /** Substitute `${…}` policy variables (only in policies with Version 2012-10-17). */
  variables: boolean;
  caseInsensitive: boolean;
}

/** Parses `key` or `key, 'default'` inside `${…}`. */
function parseVariable(body: string): { key: string; fallback?: string } {
  const match = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(body);
  if (!match) return { key: body.trim() };
  return match[2] === undefined ? { key: match[1]! } : { key: match[1]!, fallback: match[2] };
}

/**
 * Compiles an IAM pattern (action, resource ARN, or condition value) into an anchored regex.
 * Values substituted for variables are matched literally, never as wildcards. A variable whose
 * key is unknown or absent (without a default) is reported instead of guessed.
 */
export function compilePattern(pattern: string, context: RequestContext, options: Options): Resolved {
  let source = '';
  let literal = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (options.variables && ch === '$') {
      VARIABLE.lastIndex = i;
      const m = VARIABLE.exec(pattern);
      if (m) {
        const body = m[1]!;
        const escaped = ESCAPES[body];
        let value: string;
        if (escaped !== undefined) value = escaped;
        else {
          const { key, fallback } = parseVariable(body);
          const found = lookup(context, key);
          if (found.state === 'present' && found.values.length === 1) value = found.values[0]!;
          else if (found.state === 'unknown' && fallback === undefined) return { state: 'unknown', key };
          else if (fallback !== undefined && found.state !== 'unknown') value = fallback;
          else if (found.state === 'unknown') return { state: 'unknown', key };
          else return { state: 'absent', key };
        }
        source += escapeRegex(value);
        literal += value;
        i += m[0].length;
        continue;
      }
    }
    if (options.wildcards && ch === '*') source += '.*';
    else if (options.wildcards && ch === '?') source += '.';
    else source += escapeRegex(ch);
    literal += ch;
    i += 1;
  }
  return { state: 'ok', regex: cachedRegex(`^${source}$`, options.caseInsensitive ? 'is' : 's'), literal };
}

// Policies repeat the same few patterns across thousands of principals: compile each once.
const REGEX_CACHE = new Map<string, RegExp>();
const REGEX_CACHE_LIMIT = 50_000;

function cachedRegex(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let regex = REGEX_CACHE.get(key);
  if (!regex) {
    if (REGEX_CACHE.size >= REGEX_CACHE_LIMIT) REGEX_CACHE.clear();
    regex = new RegExp(source, flags);
    REGEX_CACHE.set(key, regex);
  }
  return regex;
}

const NO_CONTEXT: RequestContext = new Map();
const ACTION_CACHE = new Map<string, boolean>();

/** Case-insensitive action match with `*`/`?` wildcards (actions never hold variables). */
export function actionMatches(pattern: string, action: string): boolean {
  const key = `${pattern}\n${action}`;
  let hit = ACTION_CACHE.get(key);
  if (hit === undefined) {
    const compiled = compilePattern(pattern, NO_CONTEXT, { wildcards: true, variables: false, caseInsensitive: true });
    hit = compiled.state === 'ok' && compiled.regex.test(action);
    if (ACTION_CACHE.size >= REGEX_CACHE_LIMIT) ACTION_CACHE.clear();
    ACTION_CACHE.set(key, hit);
  }
  return hit;
}
