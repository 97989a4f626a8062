import type { ConfigFile, Diagnostic, Frameworks, PackFile, RuleFile, RuleSettings, Severity } from '../../model/index.js';
import { FRAMEWORKS, severityRank } from '../../model/index.js';
import { sha256 } from '../util/hash.js';
import { didYouMean } from '../util/suggest.js';
import { compileCondition, type ParamBinding, type Predicate } from './compile.js';
import { declaredParameter, parameterProblem, SUBJECT_SCOPES, subjectReads, type RuleDefinition } from './definition.js';
import { factRootOf, resolveField } from './fields.js';
import type { EvalFrame } from './frame.js';
import { throwIfAny, type Sourced } from './settings.js';
import { declaredBounds } from './bounds.js';
import { compileTemplate, type Template } from './template.js';
import { deviations, frameworkCoverage, type Deviation, type FrameworkCoverage, type FrameworkFile } from './frameworks.js';

/** A rule ready to evaluate: effective settings plus compiled closures. */
export interface CompiledRule {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  appliesTo: ReadonlySet<'root' | 'user'>;
  subject: RuleFile['subject'];
  params: Readonly<Record<string, unknown>>;
  /** The fact each parameter is a threshold for, by parameter name (rule file `bounds`); undefined when none declares one. */
  bounds?: Readonly<Record<string, string>>;
  frameworks: Frameworks;
  procedure: string;
  docs: string;
  /** The rule's file, for reports that point at it. */
  file: string;
  builtIn: boolean;
  /** Every field path the rule reads, in its condition, message and evidence; sorted. */
  reads: readonly string[];
  /** The fact roots among `reads` (see factRootOf), sorted: what a collector must gather for it. */
  factRoots: readonly string[];
  /**
   * The fact roots that decide the rule: `factRoots` minus the rule's `optionalFacts`. Empty when
   * the credential report alone decides it; else the rule is decided only where these were collected.
   */
  requiredFacts: readonly string[];
  /** What saved credential reports cannot tell for this rule (rule field `needsLiveScan`). */
  needsLiveScan?: string;
  /** Framework controls whose own parameters are stricter than the ones in force (frameworks/*.yaml). */
  deviations: readonly Deviation[];
  predicate: Predicate;
  message: Template;
  evidence(frame: EvalFrame): Record<string, unknown>;
}

/** The effective rules of one scan. */
export interface Ruleset {
  pack: string;
  rules: CompiledRule[];
  /** sha256 of the effective rules and parameters: two scans with equal hashes applied the same policy. */
  hash: string;
  /** Every control of the framework catalogues, with the rules that evaluate it (none when no catalogue was given). */
  coverage: FrameworkCoverage[];
}

/** Inputs of {@link buildRuleset}. */
export interface RulesetInput {
  definitions: readonly RuleDefinition[];
  pack: Sourced<PackFile>;
  config?: Sourced<ConfigFile>;
  /** Framework catalogues (frameworks/*.yaml): coverage and deviations from the frameworks' parameters. */
  frameworks?: readonly FrameworkFile[];
}

interface Effective {
  enabled: boolean;
  severity: Severity;
  params: Record<string, unknown>;
}

/**
 * Applies the pack and the user's config to the rule definitions and compiles the
 * enabled rules. Built-in rules run only when the pack (or config) selects them;
 * the user's own rules run unless the config disables them.
 * @throws InputError with every problem: unknown rule ids, unknown or invalid parameters
 */
export function buildRuleset({ definitions, pack, config, frameworks = [] }: RulesetInput): Ruleset {
  const diagnostics: Diagnostic[] = [];
  const byId = new Map(definitions.map((d) => [d.rule.id, d]));
  const effective = new Map<string, Effective>(
    definitions.map((d) => [d.rule.id, { enabled: !d.builtIn, severity: d.rule.severity, params: defaultParams(d.rule) }]),
  );
  for (const layer of [pack, config].filter((l): l is Sourced<PackFile> | Sourced<ConfigFile> => l !== undefined)) {
    const isPack = layer === pack;
    for (const [id, settings] of Object.entries(layer.value.rules ?? {})) {
      applySettings(id, settings, isPack, layer, byId, effective, diagnostics);
    }
  }
  throwIfAny(diagnostics, 'invalid rule settings');
  const rules = definitions
    .filter((d) => effective.get(d.rule.id)?.enabled)
    .map((d) => compileRule(d, effective.get(d.rule.id) as Effective, frameworks));
  throwIfAny(diagnostics, 'invalid rules');
  rules.sort((a, b) => a.id.localeCompare(b.id));
  return { pack: pack.value.id, rules, hash: rulesetHash(rules, definitions), coverage: frameworkCoverage(frameworks) };
}

function applySettings(
  id: string,
  settings: RuleSettings | null | undefined,
  isPack: boolean,
  layer: Sourced<PackFile> | Sourced<ConfigFile>,
  byId: Map<string, RuleDefinition>,
  effective: Map<string, Effective>,
  diagnostics: Diagnostic[],
): void {
  const pointer = `/rules/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const definition = byId.get(id);
  const state = effective.get(id);
  if (!definition || !state) {
    diagnostics.push({
      severity: 'error',
      ...layer.source.locateKey('/rules', id),
      pointer,
      message: `unknown rule '${id}'`,
      suggestion: didYouMean(id, byId.keys()),
    });
    return;
  }
  // Listing a rule in a pack selects it; in the config, only `enabled` changes selection.
  if (isPack) state.enabled = settings?.enabled ?? true;
  else if (settings?.enabled !== undefined) state.enabled = settings.enabled;
  if (settings?.severity) state.severity = settings.severity;
  for (const [name, value] of Object.entries(settings?.parameters ?? {})) {
    const declared = declaredParameter(definition.rule, name);
    const where = `${pointer}/parameters/${name}`;
    if (!declared) {
      const known = Object.keys(definition.rule.parameters ?? {});
      diagnostics.push({
        severity: 'error',
        ...layer.source.locateKey(`${pointer}/parameters`, name),
        pointer: where,
        message: `rule '${id}' has no parameter '${name}'`,
        suggestion: didYouMean(name, known) ?? (known.length ? `parameters: ${known.join(', ')}` : 'this rule takes no parameters'),
      });
      continue;
    }
    const problem = parameterProblem(declared, value);
    if (problem)
      diagnostics.push({ severity: 'error', ...layer.source.locate(where), message: `parameter '${name}' of rule '${id}' ${problem}` });
    else state.params[name] = value;
  }
}

function defaultParams(rule: RuleFile): Record<string, unknown> {
  return Object.fromEntries(Object.entries(rule.parameters ?? {}).map(([name, p]) => [name, p.default]));
}

function compileRule(definition: RuleDefinition, settings: Effective, frameworks: readonly FrameworkFile[]): CompiledRule {
  const { rule, source, file, builtIn } = definition;
  const scopes = SUBJECT_SCOPES[rule.subject];
  const bindings: Record<string, ParamBinding> = Object.fromEntries(
    Object.entries(rule.parameters ?? {}).map(([name, p]) => [name, { type: p.type, value: settings.params[name] }]),
  );
  const sink: Diagnostic[] = [];
  const reads = new Set<string>([...(rule.evidence ?? []), ...subjectReads(rule.subject)]);
  const predicate = compileCondition(rule.condition, { params: bindings, scopes, locate: source.locate, diagnostics: sink, reads });
  const message = compileTemplate(rule.message, scopes, settings.params, source.locate('/message'), sink, reads);
  throwIfAny(sink, `invalid rule ${file}`);
  const evidenceFields = (rule.evidence ?? []).map((path) => [path, resolveField(path)?.get] as const);
  const sortedReads = [...reads].sort();
  const factRoots = [...new Set(sortedReads.map(factRootOf).filter((root) => root !== undefined))].sort();
  const bounds = declaredBounds(rule);
  return {
    id: rule.id,
    title: rule.title,
    description: rule.description,
    severity: settings.severity,
    appliesTo: new Set(rule.appliesTo),
    subject: rule.subject,
    params: Object.freeze({ ...settings.params }),
    ...(bounds ? { bounds } : {}),
    frameworks: fullFrameworks(rule),
    procedure: rule.remediation.procedure,
    docs: rule.docs,
    file,
    builtIn,
    reads: sortedReads,
    factRoots,
    requiredFacts: factRoots.filter((root) => !(rule.optionalFacts ?? []).includes(root)),
    ...(rule.needsLiveScan ? { needsLiveScan: rule.needsLiveScan } : {}),
    // Only built-in rules are in the catalogues: a user's rule of the same name is another rule.
    deviations: builtIn ? deviations(rule, settings.params, frameworks) : [],
    predicate,
    message,
    evidence: (frame) => {
      // A plain loop: this runs once per finding, over a million times in a large scan.
      const evidence: Record<string, unknown> = {};
      for (const [path, get] of evidenceFields) evidence[path] = evidenceValue(get?.(frame));
      return evidence;
    },
  };
}

/** Evidence keeps ages to two decimals: exact enough to audit, short enough to read. */
function evidenceValue(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isInteger(value)) return Math.round(value * 100) / 100;
  return value ?? null;
}

function fullFrameworks(rule: RuleFile): Frameworks {
  return Object.fromEntries(FRAMEWORKS.map((f) => [f, [...(rule.frameworks[f] ?? [])]])) as unknown as Frameworks;
}

function rulesetHash(rules: readonly CompiledRule[], definitions: readonly RuleDefinition[]): string {
  const conditions = new Map(definitions.map((d) => [d.rule.id, d.rule.condition]));
  const canonical = rules.map((r) => ({
    id: r.id,
    severity: r.severity,
    subject: r.subject,
    appliesTo: [...r.appliesTo],
    params: r.params,
    condition: conditions.get(r.id),
  }));
  return sha256(JSON.stringify(canonical));
}

/**
 * The ruleset narrowed to rules whose effective severity is `minimum` or higher (--min-severity).
 * The hash changes with it: a narrowed scan applied a different policy.
 */
export function atOrAbove(ruleset: Ruleset, definitions: readonly RuleDefinition[], minimum: Severity): Ruleset {
  const limit = severityRank(minimum);
  const rules = ruleset.rules.filter((r) => severityRank(r.severity) <= limit);
  return { ...ruleset, rules, hash: rulesetHash(rules, definitions) };
}
