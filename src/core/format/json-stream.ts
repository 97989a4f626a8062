/**
 * Pretty-printed JSON written in pieces. The text is exactly what
 * `JSON.stringify(value, null, 2)` gives, but no piece is larger than one array
 * element, so a result with a million findings never becomes one string (V8
 * strings end at about 512 MiB: "Invalid string length").
 */

/** An array whose elements are produced on demand, e.g. SARIF results in priority order. */
export class LazyArray<T> {
  constructor(readonly items: () => Iterable<T>) {}
}

/**
 * A value already written as `JSON.stringify(value, null, 2)` writes it (e.g. a SARIF result
 * measured before it is written): placed as it is, re-indented to its depth, never stringified again.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

const INDENT = '  ';

/** The pieces of `JSON.stringify(value, null, 2)` followed by a newline. */
export function* jsonChunks(value: unknown): Generator<string> {
  yield* container(value, '');
  yield '\n';
}

/**
 * Objects and arrays at the top level, every array, and any object holding a
 * {@link LazyArray} are written member by member; anything else whole.
 */
function* container(value: unknown, pad: string): Generator<string> {
  if (Array.isArray(value) || value instanceof LazyArray) {
    yield* arrayChunks(value instanceof LazyArray ? value.items() : value, pad);
  } else if (isPlainObject(value)) {
    yield* objectChunks(value, pad);
  } else if (value instanceof RawJson) {
    yield* member(value, pad);
  } else {
    yield JSON.stringify(value) ?? 'null';
  }
}

function* arrayChunks(items: Iterable<unknown>, pad: string): Generator<string> {
  const inner = pad + INDENT;
  let first = true;
  for (const item of items) {
    yield `${first ? '[' : ','}\n${inner}`;
    first = false;
    yield* member(item === undefined || typeof item === 'function' ? null : item, inner);
  }
  yield first ? '[]' : `\n${pad}]`;
}

function* objectChunks(object: Record<string, unknown>, pad: string): Generator<string> {
  const inner = pad + INDENT;
  let first = true;
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || typeof value === 'function') continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* member(value, inner);
  }
  yield first ? '{}' : `\n${pad}}`;
}

/** An array element or object member: streamed when it holds a lazy array, else one piece. */
function* member(value: unknown, pad: string): Generator<string> {
  if (value instanceof RawJson) {
    yield value.text.replace(/\n/g, `\n${pad}`);
    return;
  }
  if (Array.isArray(value) || value instanceof LazyArray || (isPlainObject(value) && holdsLazyArray(value))) {
    yield* container(value, pad);
    return;
  }
  // JSON never has a raw line break inside a string, so re-indenting by line is exact.
  yield (JSON.stringify(value, null, 2) ?? 'null').replace(/\n/g, `\n${pad}`);
}

function holdsLazyArray(object: Record<string, unknown>): boolean {
  return Object.values(object).some((v) => v instanceof LazyArray || (isPlainObject(v) && holdsLazyArray(v)));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof LazyArray) && !(value instanceof RawJson)
  );
}
