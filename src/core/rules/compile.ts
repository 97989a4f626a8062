import type { Diagnostic, SourceLocation } from '../../model/index.js';
import { didYouMean } from '../util/suggest.js';
import { FIELDS, resolveField, type FieldScope, type FieldType } from './fields.js';
import { credentialsOf, type EvalFrame } from './frame.js';

/** A compiled condition: a plain closure, no interpretation at evaluation time. */
export type Predicate = (frame: EvalFrame) => boolean;

/** A parameter as the compiler sees it: its declared type and effective value. */
export interface ParamBinding {
  type: 'integer' | 'number' | 'boolean' | 'string';
  value: unknown;
}

/** What the compiler needs besides the condition itself. */
export interface CompileContext {
  params: Readonly<Record<string, ParamBinding>>;
  /** Item scopes readable at the top of the condition (from the rule's subject). */
  scopes: ReadonlySet<FieldScope>;
  locate(pointer: string): SourceLocation;
  diagnostics: Diagnostic[];
  /** When given, receives the path of every field the condition reads (see CompiledRule.reads). */
  reads?: Set<string>;
}

const COMPARATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists'] as const;
type Comparator = (typeof COMPARATORS)[number];
const QUANTIFIERS = ['some', 'every', 'none'] as const;
const COLLECTIONS: Record<string, FieldScope> = { accessKeys: 'key', certificates: 'cert', credentials: 'credential' };
const CONDITION_KEYS = ['all', 'any', 'not', 'fact', ...QUANTIFIERS];

const NEVER: Predicate = () => false;

/**
 * Compiles a declarative condition into a predicate. Problems are appended to
 * `ctx.diagnostics` (all of them, with pointers); the returned predicate is then
 * meaningless and must not be used.
 */
export function compileCondition(condition: unknown, ctx: CompileContext, pointer = '/condition'): Predicate {
  return compileNode(condition, ctx, ctx.scopes, pointer);
}

function compileNode(node: unknown, ctx: CompileContext, scopes: ReadonlySet<FieldScope>, pointer: string): Predicate {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) {
    return fail(ctx, pointer, 'a condition must be a mapping with one of: all, any, not, fact, some, every, none');
  }
  const record = node as Record<string, unknown>;
  if ('all' in record || 'any' in record) return compileJunction(record, ctx, scopes, pointer);
  if ('not' in record) {
    checkOnlyKeys(record, ['not'], ctx, pointer);
    const inner = compileNode(record.not, ctx, scopes, `${pointer}/not`);
    return (frame) => !inner(frame);
  }
  if ('fact' in record) return compileComparison(record, ctx, scopes, pointer);
  const quantifier = QUANTIFIERS.find((q) => q in record);
  if (quantifier) return compileQuantifier(quantifier, record, ctx, scopes, pointer);
  const [first] = Object.keys(record);
  return fail(ctx, pointer, `unknown condition '${first ?? ''}'`, first ? didYouMean(first, CONDITION_KEYS) : undefined, first);
}

function compileJunction(
  record: Record<string, unknown>,
  ctx: CompileContext,
  scopes: ReadonlySet<FieldScope>,
  pointer: string,
): Predicate {
  const op = 'all' in record ? 'all' : 'any';
  checkOnlyKeys(record, [op], ctx, pointer);
  const items = record[op];
  if (!Array.isArray(items) || items.length === 0) return fail(ctx, `${pointer}/${op}`, `'${op}' needs a non-empty list of conditions`);
  const parts = items.map((item, i) => compileNode(item, ctx, scopes, `${pointer}/${op}/${i}`));
  // Plain loops instead of every/some with a fresh arrow per call: predicates run per subject.
  if (op === 'all') {
    return (frame) => {
      for (const part of parts) if (!part(frame)) return false;
      return true;
    };
  }
  return (frame) => {
    for (const part of parts) if (part(frame)) return true;
    return false;
  };
}

function compileQuantifier(
  quantifier: (typeof QUANTIFIERS)[number],
  record: Record<string, unknown>,
  ctx: CompileContext,
  scopes: ReadonlySet<FieldScope>,
  pointer: string,
): Predicate {
  checkOnlyKeys(record, [quantifier, 'where'], ctx, pointer);
  const collection = String(record[quantifier]);
  const scope = COLLECTIONS[collection];
  if (!scope) {
    return fail(ctx, `${pointer}/${quantifier}`, `unknown collection '${collection}'`, didYouMean(collection, Object.keys(COLLECTIONS)));
  }
  if (!('where' in record)) return fail(ctx, pointer, `'${quantifier}' needs a 'where' condition`);
  const where = compileNode(record.where, ctx, new Set([...scopes, scope]), `${pointer}/where`);
  const items = itemsOf(collection);
  // Each item is set on the frame while `where` reads it, and the frame's own value put back
  // after: a copy of the frame per item (and a closure per call) cost objects per principal.
  const holds = (frame: EvalFrame, item: unknown): boolean => {
    const slots = frame as unknown as Record<string, unknown>;
    const before = slots[scope];
    slots[scope] = item;
    try {
      return where(frame);
    } finally {
      slots[scope] = before;
    }
  };
  const anyHolds = (frame: EvalFrame): boolean => {
    const list = items(frame);
    for (let i = 0; i < list.length; i++) if (holds(frame, list[i])) return true;
    return false;
  };
  if (quantifier === 'some') return anyHolds;
  if (quantifier === 'none') return (frame) => !anyHolds(frame);
  return (frame) => {
    const list = items(frame);
    for (let i = 0; i < list.length; i++) if (!holds(frame, list[i])) return false;
    return true;
  };
}

/** The items of a quantified collection; each is set as the frame field of the collection's scope. */
function itemsOf(collection: string): (frame: EvalFrame) => readonly unknown[] {
  if (collection === 'accessKeys') return (f) => f.principal.accessKeys;
  if (collection === 'certificates') return (f) => f.principal.certificates;
  return (f) => credentialsOf(f.principal, f.times);
}

function compileComparison(
  record: Record<string, unknown>,
  ctx: CompileContext,
  scopes: ReadonlySet<FieldScope>,
  pointer: string,
): Predicate {
  const path = record.fact;
  const ops = Object.keys(record).filter((k) => k !== 'fact');
  const unknownOps = ops.filter((op) => !(COMPARATORS as readonly string[]).includes(op));
  for (const op of unknownOps) fail(ctx, pointer, `unknown comparison '${op}'`, didYouMean(op, COMPARATORS), op);
  if (typeof path !== 'string') return fail(ctx, `${pointer}/fact`, "'fact' must be a field path such as key.ageDays");
  const fieldDef = resolveField(path);
  if (!fieldDef) return fail(ctx, `${pointer}/fact`, `unknown field '${path}'`, didYouMean(path, Object.keys(FIELDS)));
  ctx.reads?.add(path);
  if (!scopes.has(fieldDef.scope)) {
    return fail(ctx, `${pointer}/fact`, `field '${path}' is not available here`, scopeHint(fieldDef.scope));
  }
  const validOps = ops.filter((op): op is Comparator => (COMPARATORS as readonly string[]).includes(op));
  if (unknownOps.length > 0) return NEVER;
  if (validOps.length !== 1) return fail(ctx, pointer, `a comparison needs exactly one of: ${COMPARATORS.join(', ')}`);
  const op = validOps[0] as Comparator;
  const operand = resolveOperand(record[op], op, fieldDef.type, path, ctx, `${pointer}/${op}`);
  if (operand === INVALID) return NEVER;
  return comparator(op, fieldDef.get, operand);
}

function scopeHint(scope: FieldScope): string {
  const where = {
    key: "subject 'accessKey' or inside some/every/none: accessKeys",
    cert: "subject 'certificate' or inside some/every/none: certificates",
    credential: "subject 'credential' or inside some/every/none: credentials",
    serverCertificate: "subject 'serverCertificate'",
    serviceCredential: "subject 'serviceCredential'",
    sshPublicKey: "subject 'sshPublicKey'",
    principal: '',
  }[scope];
  return `only in ${where}`;
}

const INVALID = Symbol('invalid');

function resolveOperand(raw: unknown, op: Comparator, type: FieldType, path: string, ctx: CompileContext, pointer: string): unknown {
  if (op === 'exists') {
    return typeof raw === 'boolean' ? raw : (fail(ctx, pointer, "'exists' takes true or false"), INVALID);
  }
  let value = raw;
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const name = (raw as { param?: unknown }).param;
    const binding = typeof name === 'string' ? ctx.params[name] : undefined;
    if (!binding) {
      fail(
        ctx,
        `${pointer}/param`,
        `unknown parameter '${String(name)}'`,
        typeof name === 'string' ? didYouMean(name, Object.keys(ctx.params)) : undefined,
      );
      return INVALID;
    }
    value = binding.value;
  }
  if (op === 'in') {
    if (!Array.isArray(value)) return (fail(ctx, pointer, "'in' takes a list of values"), INVALID);
    return value.every((v, i) => checkType(v, type, path, ctx, `${pointer}/${i}`)) ? new Set(value) : INVALID;
  }
  const numeric = op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte';
  if (numeric && type !== 'number' && type !== 'any')
    return (fail(ctx, pointer, `'${op}' compares numbers, but '${path}' is a ${type}`), INVALID);
  if (numeric && typeof value !== 'number') return (fail(ctx, pointer, `'${op}' needs a number, got ${JSON.stringify(value)}`), INVALID);
  return checkType(value, type, path, ctx, pointer) ? value : INVALID;
}

function checkType(value: unknown, type: FieldType, path: string, ctx: CompileContext, pointer: string): boolean {
  if (value === null || type === 'any' || typeof value === type) return true;
  fail(ctx, pointer, `'${path}' is a ${type}, but is compared with ${JSON.stringify(value)} (${typeof value})`);
  return false;
}

function comparator(op: Comparator, get: (frame: EvalFrame) => unknown, operand: unknown): Predicate {
  switch (op) {
    case 'eq':
      return (f) => (get(f) ?? null) === operand;
    case 'ne':
      return (f) => (get(f) ?? null) !== operand;
    case 'exists':
      return (f) => (get(f) !== null && get(f) !== undefined) === operand;
    case 'in': {
      const set = operand as Set<unknown>;
      return (f) => set.has(get(f) ?? null);
    }
    case 'gt':
      return (f) => numeric(get(f), (v) => v > (operand as number));
    case 'gte':
      return (f) => numeric(get(f), (v) => v >= (operand as number));
    case 'lt':
      return (f) => numeric(get(f), (v) => v < (operand as number));
    case 'lte':
      return (f) => numeric(get(f), (v) => v <= (operand as number));
  }
}

/** Ordering comparisons are false for missing values (a never-used key has no "days since use"). */
function numeric(value: unknown, test: (v: number) => boolean): boolean {
  return typeof value === 'number' && !Number.isNaN(value) && test(value);
}

function checkOnlyKeys(record: Record<string, unknown>, allowed: string[], ctx: CompileContext, pointer: string): void {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key))
      fail(ctx, pointer, `unexpected '${key}' next to '${allowed[0]}'`, 'wrap several conditions in all: [...]', key);
  }
}

function fail(ctx: CompileContext, pointer: string, message: string, suggestion?: string, key?: string): Predicate {
  const location = ctx.locate(key ? `${pointer}/${key}` : pointer);
  ctx.diagnostics.push({
    severity: 'error',
    ...location,
    pointer: key ? `${pointer}/${key}` : pointer,
    message,
    ...(suggestion ? { suggestion } : {}),
  });
  return NEVER;
}
