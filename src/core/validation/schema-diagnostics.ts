import { safeShape } from '../util/shape.js';
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../../model/index.js';
import { didYouMean } from '../util/suggest.js';
import type { YamlSource } from '../yaml/source.js';

/**
 * Turns ajv errors into user-facing diagnostics with file, line and JSON pointer.
 * Errors of `anyOf`/`oneOf` branches are dropped when a more specific error exists
 * at or below the same place, so the user sees the one that matters.
 */
export function schemaDiagnostics(errors: readonly ErrorObject[], source: YamlSource): Diagnostic[] {
  const specific = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if');
  const seen = new Set<string>();
  const result: Diagnostic[] = [];
  for (const error of specific.length > 0 ? specific : errors) {
    const diagnostic = toDiagnostic(error, source);
    const key = `${diagnostic.pointer}|${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(diagnostic);
  }
  return result;
}

function toDiagnostic(error: ErrorObject, source: YamlSource): Diagnostic {
  const pointer = error.instancePath;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      return {
        severity: 'error',
        ...source.locateKey(pointer, key),
        pointer: `${pointer}/${key}`,
        message: `unknown property '${key}'`,
        suggestion: didYouMean(key, allowed) ?? (allowed.length > 0 ? `allowed: ${allowed.join(', ')}` : undefined),
      };
    }
    case 'required':
      return {
        severity: 'error',
        ...source.locate(pointer),
        message: `missing required property '${String(error.params.missingProperty)}'`,
      };
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      const actual = valueAt(source.value, pointer);
      return {
        severity: 'error',
        ...source.locate(pointer),
        message: `must be one of: ${allowed.join(', ')} (got ${gotValue(actual)})`,
        suggestion: typeof actual === 'string' ? didYouMean(actual, allowed) : undefined,
      };
    }
    default:
      return { severity: 'error', ...source.locate(pointer), message: `${error.message ?? 'is invalid'}` };
  }
}

/** The value at a JSON pointer, or undefined. */
export function valueAt(value: unknown, pointer: string): unknown {
  let node = value;
  for (const segment of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    // Own keys only: a `__proto__` or `constructor` key in a file is data, not Object.prototype.
    node = Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

/**
 * The wrong value as the message quotes it: a short word (a typo such as "hihg") verbatim, which
 * is what helps; anything longer only by its shape, since a secret pasted into the wrong file or
 * field must not be echoed into a CI log.
 */
function gotValue(actual: unknown): string {
  if (typeof actual !== 'string')
    return typeof actual === 'object' && actual !== null ? (Array.isArray(actual) ? 'a list' : 'a mapping') : JSON.stringify(actual);
  return /^[\w.-]{0,24}$/.test(actual) ? JSON.stringify(actual) : `a value of ${safeShape(actual)}`;
}
