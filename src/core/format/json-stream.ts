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
  /**
   * @param text the value's pretty JSON, every line after the first indented `depth` levels
   * @param depth how many levels `text` is indented: text made for the depth where it is placed
   *   is placed as it is, else it is re-indented (a second pass over it)
   */
  constructor(
    readonly text: string,
    readonly depth = 0,
  ) {}

  /** `value` written for placing `depth` levels deep (an array element of a member of the top object is 2). */
  static of(value: unknown, depth = 0): RawJson {
    return new RawJson(indented(value, depth), depth);
  }
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
    const depth = pad.length / INDENT.length;
    yield value.depth === depth ? value.text : value.text.split(`\n${INDENT.repeat(value.depth)}`).join(`\n${pad}`);
    return;
  }
  if (Array.isArray(value) || value instanceof LazyArray || (isPlainObject(value) && holdsLazyArray(value))) {
    yield* container(value, pad);
    return;
  }
  yield indented(value, pad.length / INDENT.length);
}

/**
 * `JSON.stringify(value, null, 2)` with every line after the first indented by `depth` levels.
 * The value is stringified as the only element of `depth` nested arrays, where JSON.stringify
 * itself indents it that deep, and the arrays' brackets are cut off: this costs about 40% less
 * than indenting afterwards (a second pass and a second string of the same size per element).
 */
function indented(value: unknown, depth: number): string {
  let wrapped = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  // An undefined or function element is written `null`, as the unwrapped value's `?? 'null'` did.
  const text = JSON.stringify(wrapped, null, INDENT) ?? 'null';
  if (depth === 0) return text;
  const [head, tail] = (WRAPPER_ENDS[depth] ??= wrapperEnds(depth));
  return text.slice(head, text.length - tail);
}

/** How many characters the brackets of `depth` nested arrays add before and after their element, by depth. */
const WRAPPER_ENDS: [number, number][] = [];

function wrapperEnds(depth: number): [number, number] {
  let wrapped: unknown = 0;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, INDENT);
  const at = text.indexOf('0');
  return [at, text.length - at - 1];
}

/** Whether a lazy array or raw JSON is anywhere inside `object` (in its members, or theirs, arrays too): JSON.stringify must not write it. */
function holdsLazyArray(object: Record<string, unknown>): boolean {
  for (const key in object) if (Object.hasOwn(object, key) && isOrHoldsLazyArray(object[key])) return true;
  return false;
}

function isOrHoldsLazyArray(value: unknown): boolean {
  if (value instanceof LazyArray || value instanceof RawJson) return true;
  if (Array.isArray(value)) return value.some(isOrHoldsLazyArray);
  return isPlainObject(value) && holdsLazyArray(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof LazyArray) && !(value instanceof RawJson)
  );
}
