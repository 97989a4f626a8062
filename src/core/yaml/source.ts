import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { Diagnostic, SourceLocation } from '../../model/index.js';

/** A parsed YAML (or JSON) document that can map JSON pointers back to lines. */
export interface YamlSource {
  file: string;
  /** The document as plain data. */
  value: unknown;
  /** Syntax errors, each with file and line. Empty when the text parsed. */
  errors: Diagnostic[];
  /** The location of the value at `pointer`, or of its nearest existing ancestor. */
  locate(pointer: string): SourceLocation;
  /** The location of the key `key` in the mapping at `pointer` (for unknown-property errors). */
  locateKey(pointer: string, key: string): SourceLocation;
}

/** Splits an RFC 6901 JSON pointer into its segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Parses YAML text, keeping positions so that validation errors can name a line.
 * Never throws: syntax errors are returned in `errors`.
 */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const errors: Diagnostic[] = doc.errors.map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    return { severity: 'error', file, line: pos.line, column: pos.col, message: `YAML syntax: ${firstLine(error.message)}` };
  });
  const at = (node: Node | undefined, pointer: string): SourceLocation => {
    const offset = node?.range?.[0];
    if (offset === undefined) return { file, pointer };
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col, pointer };
  };
  if (errors.length === 0) errors.push(...nonFiniteNumbers(doc, file, lineCounter));
  const value = errors.length === 0 ? toData(doc, file, errors, lineCounter) : undefined;
  return {
    file,
    value,
    errors,
    locate: (pointer) => at(findNode(doc, pointerSegments(pointer)), pointer),
    locateKey: (pointer, key) => {
      const parent = findNode(doc, pointerSegments(pointer));
      const pair = isMap(parent) ? parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key) : undefined;
      const keyNode = pair && isScalar(pair.key) ? pair.key : parent;
      return at(keyNode ?? undefined, pointer);
    },
  };
}

/**
 * The document as plain data. Aliases are expanded with a budget: a "billion laughs" alias bomb
 * becomes an error naming the file and the first alias, not an unexpected error without a file.
 */
function toData(doc: Document, file: string, errors: Diagnostic[], lineCounter: LineCounter): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    let aliasAt: number | undefined;
    visit(doc, {
      Alias: (_, node) => {
        aliasAt ??= node.range?.[0];
        return visit.BREAK;
      },
    });
    const pos = aliasAt !== undefined ? lineCounter.linePos(aliasAt) : undefined;
    const excessive = error instanceof Error && /alias/i.test(error.message);
    errors.push({
      severity: 'error',
      file,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
      message: excessive
        ? 'YAML aliases expand too much (an alias bomb?): refused'
        : `YAML: ${firstLine(error instanceof Error ? error.message : String(error))}`,
      ...(excessive ? { suggestion: 'write the values out instead of nesting aliases (&anchor / *alias)' } : {}),
    });
    return undefined;
  }
}

/**
 * Numbers that are not finite: `1e400` reads as infinity and `.nan` as not-a-number, which no
 * credwarden setting means and which JSON (and so every message quoting the value) writes as
 * null. Refused where they are written.
 */
function nonFiniteNumbers(doc: Document, file: string, lineCounter: LineCounter): Diagnostic[] {
  const found: Diagnostic[] = [];
  visit(doc, {
    Scalar: (_, node) => {
      if (typeof node.value !== 'number' || Number.isFinite(node.value)) return;
      const pos = node.range ? lineCounter.linePos(node.range[0]) : undefined;
      const written = String(node.source ?? node.value);
      const shown = written.length > 40 ? `${written.slice(0, 40)}…` : written;
      found.push({
        severity: 'error',
        file,
        ...(pos ? { line: pos.line, column: pos.col } : {}),
        message: Number.isNaN(node.value)
          ? `'${shown}' is not a number (YAML reads it as NaN)`
          : `'${shown}' is beyond the largest number a value can hold (YAML reads it as ${node.value > 0 ? '' : 'minus '}infinity)`,
        suggestion: 'write a finite number, e.g. 3650',
      });
    },
  });
  return found;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** Walks the YAML tree along `segments`, stopping at the deepest node that exists. */
function findNode(doc: Document, segments: string[]): Node | undefined {
  let node: unknown = doc.contents;
  for (const segment of segments) {
    let next: unknown;
    if (isMap(node)) {
      next = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment)?.value;
    } else if (isSeq(node)) {
      next = node.items[Number(segment)];
    }
    if (next === undefined || next === null) break;
    node = next;
  }
  return node as Node | undefined;
}
