import type { ConditionBlock, PolicyDocument, PrincipalSpec, Statement } from './types.js';

/** A policy document that cannot be read. Callers turn it into an "unknown" result, never "no path". */
export class PolicyParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyParseError';
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** IAM element names are case-sensitive in the grammar but AWS accepts any case; read them case-insensitively. */
function element(statement: Json, name: string): unknown {
  if (name in statement) return statement[name];
  const lower = name.toLowerCase();
  const key = Object.keys(statement).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : statement[key];
}

function stringList(value: unknown, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  for (const item of list) {
    if (typeof item !== 'string') throw new PolicyParseError(`${where} must hold strings`);
  }
  return list as string[];
}

function principalSpec(value: unknown, where: string): PrincipalSpec | undefined {
  if (value === undefined) return undefined;
  if (value === '*') return '*';
  if (!isObject(value)) throw new PolicyParseError(`${where} must be "*" or an object`);
  const spec: Record<string, string[]> = {};
  for (const [kind, ids] of Object.entries(value)) spec[kind] = stringList(ids, `${where}.${kind}`) ?? [];
  return spec;
}

/** Condition values may be strings, numbers or booleans; IAM compares their string forms. */
function conditionBlock(value: unknown, where: string): ConditionBlock | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new PolicyParseError(`${where} must be an object`);
  const block: Record<string, Record<string, string[]>> = {};
  for (const [operator, keys] of Object.entries(value)) {
    if (!isObject(keys)) throw new PolicyParseError(`${where}.${operator} must be an object`);
    block[operator] = {};
    for (const [key, raw] of Object.entries(keys)) {
      const list = Array.isArray(raw) ? raw : [raw];
      block[operator][key] = list.map((v) => (v === null ? 'null' : String(v)));
    }
  }
  return block;
}

function parseStatement(raw: unknown, index: number): Statement {
  const where = `Statement[${index}]`;
  if (!isObject(raw)) throw new PolicyParseError(`${where} must be an object`);
  const effect = element(raw, 'Effect');
  if (effect !== 'Allow' && effect !== 'Deny') throw new PolicyParseError(`${where}.Effect must be Allow or Deny`);
  const sid = element(raw, 'Sid');
  const statement: Statement = {
    index,
    effect,
    ...(typeof sid === 'string' ? { sid } : {}),
    ...optional('action', stringList(element(raw, 'Action'), `${where}.Action`)),
    ...optional('notAction', stringList(element(raw, 'NotAction'), `${where}.NotAction`)),
    ...optional('resource', stringList(element(raw, 'Resource'), `${where}.Resource`)),
    ...optional('notResource', stringList(element(raw, 'NotResource'), `${where}.NotResource`)),
    ...optional('principal', principalSpec(element(raw, 'Principal'), `${where}.Principal`)),
    ...optional('notPrincipal', principalSpec(element(raw, 'NotPrincipal'), `${where}.NotPrincipal`)),
    ...optional('condition', conditionBlock(element(raw, 'Condition'), `${where}.Condition`)),
  };
  if (!statement.action && !statement.notAction) throw new PolicyParseError(`${where} needs Action or NotAction`);
  return statement;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/**
 * Decodes a policy document as IAM returns it: GetAccountAuthorizationDetails and
 * Get*Policy return URL-encoded JSON text; SCPs and hand-written fixtures are plain JSON.
 */
export function decodePolicyText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return trimmed;
  try {
    return decodeURIComponent(trimmed);
  } catch {
    throw new PolicyParseError('policy document is neither JSON nor URL-encoded JSON');
  }
}

/**
 * Where JSON.parse failed, never what it read: V8's message quotes the first bytes of the text
 * (`Unexpected token 'A', "[AKIAIOSFOD"... is not valid JSON`), and a document may hold a secret.
 */
function jsonErrorPlace(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return ` (at character ${position})`;
  return /end of JSON input/.test(message) ? ' (it ends too early)' : '';
}

/**
 * Parses a policy document given as text (plain or URL-encoded JSON) or as an object.
 * `Statement` may be one object or an array; every element that may be single or an
 * array is normalised to an array.
 */
export function parsePolicyDocument(input: string | object): PolicyDocument {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(decodePolicyText(input));
    } catch (error) {
      if (error instanceof PolicyParseError) throw error;
      throw new PolicyParseError(`policy document is not valid JSON${jsonErrorPlace(error)}`);
    }
  }
  if (!isObject(raw)) throw new PolicyParseError('policy document must be a JSON object');
  const version = element(raw, 'Version');
  const statements = element(raw, 'Statement');
  if (statements === undefined) throw new PolicyParseError('policy document has no Statement');
  const list = Array.isArray(statements) ? statements : [statements];
  return {
    ...(typeof version === 'string' ? { version } : {}),
    statements: list.map((s, i) => parseStatement(s, i)),
  };
}
