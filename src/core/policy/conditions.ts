import { lookup } from './context.js';
import { allOf, anyOf, definite, negate, unknownOf } from './match.js';
import { compilePattern } from './pattern.js';
import { NO, YES, type ConditionBlock, type Match, type RequestContext } from './types.js';

/** Compares one request value with one policy value; `unknown` when a variable in the policy value is unknown. */
type Comparator = (requestValue: string, policyValue: string, context: RequestContext, variables: boolean) => Match;

interface OperatorDef {
  compare: Comparator;
  /** Negated operators (…NotEquals, …NotLike) match when no policy value matches. */
  negated: boolean;
}

function resolvedLiteral(policyValue: string, context: RequestContext, variables: boolean): string | Match {
  const r = compilePattern(policyValue, context, { wildcards: false, variables, caseInsensitive: false });
  if (r.state === 'ok') return r.literal;
  return r.state === 'unknown' ? unknownOf([r.key]) : NO;
}

function stringEquals(ignoreCase: boolean): Comparator {
  return (value, policyValue, context, variables) => {
    const literal = resolvedLiteral(policyValue, context, variables);
    if (typeof literal !== 'string') return literal;
    return definite(ignoreCase ? literal.toLowerCase() === value.toLowerCase() : literal === value);
  };
}

function like(ignoreCase: boolean): Comparator {
  return (value, policyValue, context, variables) => {
    const r = compilePattern(policyValue, context, { wildcards: true, variables, caseInsensitive: ignoreCase });
    if (r.state === 'ok') return definite(r.regex.test(value));
    return r.state === 'unknown' ? unknownOf([r.key]) : NO;
  };
}

function numeric(test: (a: number, b: number) => boolean): Comparator {
  return (value, policyValue) => {
    const a = Number(value);
    const b = Number(policyValue);
    return definite(!Number.isNaN(a) && !Number.isNaN(b) && test(a, b));
  };
}

/** IAM dates: ISO 8601 or epoch seconds. */
function parseDate(text: string): number {
  return /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
}

function date(test: (a: number, b: number) => boolean): Comparator {
  return (value, policyValue) => {
    const a = parseDate(value);
    const b = parseDate(policyValue);
    return definite(!Number.isNaN(a) && !Number.isNaN(b) && test(a, b));
  };
}

const boolEquals: Comparator = (value, policyValue) => definite(value.toLowerCase() === policyValue.toLowerCase());

const OPERATORS: Readonly<Record<string, OperatorDef>> = {
  stringequals: { compare: stringEquals(false), negated: false },
  stringnotequals: { compare: stringEquals(false), negated: true },
  stringequalsignorecase: { compare: stringEquals(true), negated: false },
  stringnotequalsignorecase: { compare: stringEquals(true), negated: true },
  stringlike: { compare: like(false), negated: false },
  stringnotlike: { compare: like(false), negated: true },
  arnequals: { compare: like(false), negated: false },
  arnlike: { compare: like(false), negated: false },
  arnnotequals: { compare: like(false), negated: true },
  arnnotlike: { compare: like(false), negated: true },
  numericequals: { compare: numeric((a, b) => a === b), negated: false },
  numericnotequals: { compare: numeric((a, b) => a === b), negated: true },
  numericlessthan: { compare: numeric((a, b) => a < b), negated: false },
  numericlessthanequals: { compare: numeric((a, b) => a <= b), negated: false },
  numericgreaterthan: { compare: numeric((a, b) => a > b), negated: false },
  numericgreaterthanequals: { compare: numeric((a, b) => a >= b), negated: false },
  dateequals: { compare: date((a, b) => a === b), negated: false },
  datenotequals: { compare: date((a, b) => a === b), negated: true },
  datelessthan: { compare: date((a, b) => a < b), negated: false },
  datelessthanequals: { compare: date((a, b) => a <= b), negated: false },
  dategreaterthan: { compare: date((a, b) => a > b), negated: false },
  dategreaterthanequals: { compare: date((a, b) => a >= b), negated: false },
  bool: { compare: boolEquals, negated: false },
  binaryequals: { compare: stringEquals(false), negated: false },
};

interface ParsedOperator {
  name: string;
  set?: 'any' | 'all';
  ifExists: boolean;
}

function parseOperator(raw: string): ParsedOperator {
  let name = raw.toLowerCase();
  let set: 'any' | 'all' | undefined;
  if (name.startsWith('foranyvalue:')) [set, name] = ['any', name.slice('foranyvalue:'.length)];
  else if (name.startsWith('forallvalues:')) [set, name] = ['all', name.slice('forallvalues:'.length)];
  const ifExists = name.endsWith('ifexists');
  if (ifExists) name = name.slice(0, -'ifexists'.length);
  return { name, ifExists, ...(set ? { set } : {}) };
}

/** Whether one request value satisfies the operator against the policy values (OR over values, NOR when negated). */
function valueMatches(
  def: OperatorDef,
  value: string,
  policyValues: readonly string[],
  context: RequestContext,
  variables: boolean,
): Match {
  const any = anyOf(policyValues.map((p) => def.compare(value, p, context, variables)));
  return def.negated ? negate(any) : any;
}

/** `Null: {key: true}` holds when the key is absent; it is decidable whenever the key's presence is known. */
function evaluateNull(key: string, policyValues: readonly string[], context: RequestContext): Match {
  const found = lookup(context, key);
  if (found.state === 'unknown') return unknownOf([key]);
  const absent = found.state === 'absent';
  return anyOf(policyValues.map((p) => definite((p.toLowerCase() === 'true') === absent)));
}

function evaluateKey(
  op: ParsedOperator,
  rawOperator: string,
  key: string,
  policyValues: readonly string[],
  context: RequestContext,
  variables: boolean,
): Match {
  if (op.name === 'null') return evaluateNull(key, policyValues, context);
  const def = OPERATORS[op.name];
  // An operator we do not model (IpAddress, …) cannot be decided offline.
  if (!def) return unknownOf([`${rawOperator}:${key}`]);
  const found = lookup(context, key);
  if (found.state === 'unknown') return unknownOf([key]);
  if (found.state === 'absent') {
    if (op.ifExists) return YES;
    if (op.set === 'all') return YES; // vacuously true over an empty set
    if (op.set === 'any') return NO;
    return definite(def.negated); // negated operators match a missing key
  }
  const perValue = found.values.map((v) => valueMatches(def, v, policyValues, context, variables));
  if (op.set === 'all') return allOf(perValue);
  return anyOf(perValue);
}

/**
 * Evaluates a statement's Condition block against the known context: operators and keys
 * are ANDed, the values of one key ORed. Keys whose values are unknown yield `unknown`
 * (the statement becomes conditional) unless another part is definitely false.
 */
export function evaluateCondition(block: ConditionBlock | undefined, context: RequestContext, variables: boolean): Match {
  if (!block) return YES;
  const parts: Match[] = [];
  for (const [rawOperator, keys] of Object.entries(block)) {
    const op = parseOperator(rawOperator);
    for (const [key, values] of Object.entries(keys)) parts.push(evaluateKey(op, rawOperator, key, values, context, variables));
  }
  return allOf(parts);
}
