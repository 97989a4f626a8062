import type { Diagnostic, Parameter, RuleFile } from '../../model/index.js';
import { schemaDiagnostics } from '../validation/schema-diagnostics.js';
import { validate as validateRuleFile } from '../validation/generated/rule.js';
import { parseYamlSource, type YamlSource } from '../yaml/source.js';
import { compileCondition, type ParamBinding } from './compile.js';
import { compileTemplate } from './template.js';
import { factRootOf, resolveField, type FieldScope } from './fields.js';
import { ITEM_FACTS } from './items.js';
import { didYouMean } from '../util/suggest.js';
import { checkBounds } from './bounds.js';

/** A rule file that passed validation, with where it came from. */
export interface RuleDefinition {
  rule: RuleFile;
  /** File name used in diagnostics and SARIF locations. */
  file: string;
  /** Whether the rule ships with credwarden (otherwise it came from --rules or the config). */
  builtIn: boolean;
  source: YamlSource;
}

/** Item scopes readable in a rule's condition, by subject. */
/** The fact path a subject implies (see SUBJECT_FACTS), as a list. */
export function subjectReads(subject: RuleFile['subject']): string[] {
  const path = SUBJECT_FACTS[subject];
  return path === undefined ? [] : [path];
}

export const SUBJECT_SCOPES: Readonly<Record<RuleFile['subject'], ReadonlySet<FieldScope>>> = {
  principal: new Set(['principal']),
  password: new Set(['principal']),
  accessKey: new Set(['principal', 'key']),
  certificate: new Set(['principal', 'cert']),
  credential: new Set(['principal', 'credential']),
  serverCertificate: new Set(['principal', 'serverCertificate']),
  serviceCredential: new Set(['principal', 'serviceCredential']),
  sshPublicKey: new Set(['principal', 'sshPublicKey']),
};

/**
 * The fact a subject's items come from: a rule about server certificates, service-specific
 * credentials or SSH keys reads that fact root whatever its condition says, so a collector
 * gathers it and saved reports, which lack it, leave the rule not evaluated.
 */
export const SUBJECT_FACTS: Readonly<Partial<Record<RuleFile['subject'], string>>> = ITEM_FACTS;

/**
 * Parses and validates one rule file: YAML syntax, the rule JSON Schema, the file
 * name, parameter defaults, the condition, message and evidence fields. Returns
 * every problem found, never throws.
 */
export function parseRuleDefinition(
  text: string,
  file: string,
  builtIn = false,
): { definition?: RuleDefinition; diagnostics: Diagnostic[] } {
  const source = parseYamlSource(text, file);
  if (source.errors.length > 0) return { diagnostics: source.errors };
  const validate = validateRuleFile;
  const diagnostics: Diagnostic[] = [];
  if (!validate(source.value)) {
    // Condition shape errors come from the compiler below, with better messages than anyOf noise.
    const errors = (validate.errors ?? []).filter((e) => !e.instancePath.startsWith('/condition'));
    diagnostics.push(...schemaDiagnostics(errors, source));
  }
  const rule = source.value as RuleFile;
  if (rule === null || typeof rule !== 'object') return { diagnostics };
  checkFileName(rule, file, source, diagnostics);
  const params = checkParameters(rule, source, diagnostics);
  if (rule.subject in SUBJECT_SCOPES && rule.condition !== undefined) {
    const scopes = SUBJECT_SCOPES[rule.subject];
    const reads = new Set<string>([...(rule.evidence ?? []), ...subjectReads(rule.subject)]);
    compileCondition(rule.condition, { params, scopes, locate: source.locate, diagnostics, reads });
    if (typeof rule.message === 'string') {
      compileTemplate(rule.message, scopes, defaults(params), source.locate('/message'), diagnostics, reads);
    }
    checkEvidence(rule, scopes, source, diagnostics);
    checkOptionalFacts(rule, reads, source, diagnostics);
    checkBounds(rule, source, diagnostics);
  }
  return diagnostics.length > 0 ? { diagnostics } : { definition: { rule, file, builtIn, source }, diagnostics };
}

function checkFileName(rule: RuleFile, file: string, source: YamlSource, diagnostics: Diagnostic[]): void {
  const base = file.split(/[\\/]/).pop() ?? file;
  if (typeof rule.id === 'string' && base !== `${rule.id}.yaml` && base !== `${rule.id}.yml`) {
    diagnostics.push({
      severity: 'error',
      ...source.locate('/id'),
      message: `rule id '${rule.id}' does not match the file name '${base}'`,
      suggestion: `rename the file to ${rule.id}.yaml`,
    });
  }
}

function checkParameters(rule: RuleFile, source: YamlSource, diagnostics: Diagnostic[]): Record<string, ParamBinding> {
  const bindings: Record<string, ParamBinding> = {};
  for (const [name, param] of Object.entries(rule.parameters ?? {})) {
    if (param === null || typeof param !== 'object') continue;
    const problem = parameterProblem(param, param.default);
    if (problem)
      diagnostics.push({ severity: 'error', ...source.locate(`/parameters/${name}/default`), message: `default of '${name}' ${problem}` });
    bindings[name] = { type: param.type, value: param.default };
  }
  return bindings;
}

/** Why `value` is not acceptable for `param`, or undefined when it is. */
/**
 * The parameter `name` the rule declares, if any. Own names only: a name from a pack, config or
 * case table such as `__proto__` or `constructor` must not find Object.prototype's members.
 */
export function declaredParameter(rule: Pick<RuleFile, 'parameters'>, name: string): Parameter | undefined {
  const declared = rule.parameters;
  return declared !== undefined && Object.hasOwn(declared, name) ? declared[name] : undefined;
}

export function parameterProblem(param: Parameter, value: unknown): string | undefined {
  const numeric = param.type === 'integer' || param.type === 'number';
  if (numeric && typeof value !== 'number') return `must be a ${param.type}, got ${JSON.stringify(value)}`;
  if (param.type === 'integer' && !Number.isInteger(value)) return `must be an integer, got ${JSON.stringify(value)}`;
  if (!numeric && typeof value !== param.type) return `must be a ${param.type}, got ${JSON.stringify(value)}`;
  if (numeric && param.minimum !== undefined && (value as number) < param.minimum)
    return `must be at least ${param.minimum}, got ${String(value)}`;
  if (numeric && param.maximum !== undefined && (value as number) > param.maximum)
    return `must be at most ${param.maximum}, got ${String(value)}`;
  return undefined;
}

function checkEvidence(rule: RuleFile, scopes: ReadonlySet<FieldScope>, source: YamlSource, diagnostics: Diagnostic[]): void {
  (rule.evidence ?? []).forEach((path, i) => {
    const field = resolveField(path);
    if (!field || !scopes.has(field.scope)) {
      diagnostics.push({
        severity: 'error',
        ...source.locate(`/evidence/${i}`),
        message: `evidence field '${path}' is not available for subject '${rule.subject}'`,
      });
    }
  });
}

/** Each optional fact root must be one the rule reads: a typo would silently make a fact required. */
function checkOptionalFacts(rule: RuleFile, reads: ReadonlySet<string>, source: YamlSource, diagnostics: Diagnostic[]): void {
  const roots = [...new Set([...reads].map(factRootOf).filter((r) => r !== undefined))];
  (rule.optionalFacts ?? []).forEach((root, i) => {
    if (roots.includes(root)) return;
    const suggestion = didYouMean(root, roots) ?? (roots.length > 0 ? `the rule reads: ${roots.join(', ')}` : 'the rule reads no facts');
    diagnostics.push({
      severity: 'error',
      ...source.locate(`/optionalFacts/${i}`),
      message: `optional fact '${root}' is not a fact root the rule reads`,
      suggestion,
    });
  });
}

function defaults(params: Record<string, ParamBinding>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.value]));
}
