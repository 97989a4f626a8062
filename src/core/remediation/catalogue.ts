import type { Diagnostic, ProcedureFile, ProcedureStep, StepEntry } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import { didYouMean } from '../util/suggest.js';
import { schemaDiagnostics, valueAt } from '../validation/schema-diagnostics.js';
import { definitionValidator } from '../validation/ajv.js';
import { definitions as procedureDefinitions, validate as validateProcedureFile } from '../validation/generated/procedure.js';
import { parseYamlSource, type YamlSource } from '../yaml/source.js';
import { commandTemplateProblems } from './shell.js';
import { templateProblems } from './template.js';
import type { Catalogue, CredentialAction, Procedure, ProcedureAlternative } from './types.js';

/** The text of one procedure or shared-step file, and the name diagnostics use for it. */
export interface ProcedureSource {
  text: string;
  file: string;
}

/** Everything a catalogue is built from; the caller reads the files (core does no I/O). */
export interface CatalogueSources {
  /** Shared steps (procedures/steps/<id>.yaml), referenced from procedures by `use: <id>`. */
  steps: readonly ProcedureSource[];
  /** The built-in procedures (procedures/<id>.yaml). */
  builtIn: readonly ProcedureSource[];
  /** User procedures, in the order they apply: a known id is overridden, a new id is added. */
  overrides?: readonly ProcedureSource[];
}

/** Fields a procedure needs when there is no procedure of the same id to inherit them from. */
const REQUIRED_FOR_NEW = ['title', 'actor', 'summary', 'phase', 'steps'] as const;

/** Fields of a procedure file that hold templates, besides the steps. */
const TEMPLATE_LISTS = ['prerequisites', 'verification', 'verifyCommands'] as const;

const validateProcedure = validateProcedureFile;
// A shared step is checked against the schema's step definition.
const validateStep = definitionValidator(procedureDefinitions, 'ProcedureStep');

interface Parsed<T> {
  value: T;
  source: YamlSource;
}

/**
 * Builds the catalogue: the built-in procedures with user procedures applied on top, every
 * `use:` resolved. Every file goes through the same schema (schemas/procedure.schema.json),
 * file-name and template checks.
 * @throws InputError listing every problem of every file at once, each with file, line and pointer
 */
export function buildCatalogue(sources: CatalogueSources): Catalogue {
  const diagnostics: Diagnostic[] = [];
  const steps = new Map<string, ProcedureStep>();
  for (const parsed of sources.steps.map((s) => parseFile<ProcedureStep>(s, 'step', diagnostics))) {
    if (parsed) steps.set(parsed.value.id, parsed.value);
  }
  const byId = new Map<string, Procedure>();
  const files = [...sources.builtIn.map((s) => ({ s, builtIn: true })), ...(sources.overrides ?? []).map((s) => ({ s, builtIn: false }))];
  for (const { s, builtIn } of files) {
    const parsed = parseFile<ProcedureFile>(s, 'procedure', diagnostics);
    if (!parsed) continue;
    const base = byId.get(parsed.value.id);
    if (builtIn && base) {
      diagnostics.push({
        severity: 'error',
        ...parsed.source.locate('/id'),
        message: `procedure id '${parsed.value.id}' is already defined in ${base.source ?? 'another file'}`,
      });
      continue;
    }
    const procedure = applyFile(base, parsed, steps, diagnostics);
    if (procedure) byId.set(procedure.id, procedure);
  }
  if (diagnostics.length > 0) throw new InputError(diagnostics, 'invalid remediation procedures');
  return byId;
}

/** Parses and validates one file; undefined (with diagnostics) when it is not usable. */
function parseFile<T extends { id: string }>(
  input: ProcedureSource,
  kind: 'procedure' | 'step',
  diagnostics: Diagnostic[],
): Parsed<T> | undefined {
  const source = parseYamlSource(input.text, input.file);
  if (source.errors.length > 0) {
    diagnostics.push(...source.errors);
    return undefined;
  }
  const validate = kind === 'procedure' ? validateProcedure : validateStep;
  const found: Diagnostic[] = [];
  if (!validate(source.value)) found.push(...schemaDiagnostics(branchErrors(validate.errors ?? [], source.value), source));
  const value = source.value as T;
  if (value === null || typeof value !== 'object') {
    diagnostics.push(...found);
    return undefined;
  }
  checkFileName(value.id, input.file, source, found);
  if (kind === 'procedure') checkProcedureTemplates(value as unknown as ProcedureFile, source, found);
  else checkStepTemplates(value as unknown as ProcedureStep, '', source, found);
  diagnostics.push(...found);
  return found.length > 0 ? undefined : { value, source };
}

/**
 * A step entry is either a step or `use: <id>`. ajv reports the failures of both branches;
 * keep only the branch the entry meant (it has `use`, or it does not), so one mistake gives one error.
 */
function branchErrors<E extends { instancePath: string; schemaPath: string }>(errors: readonly E[], value: unknown): E[] {
  return errors.filter((error) => {
    const entry = /^(.*\/steps\/\d+)(\/|$)/.exec(error.instancePath)?.[1];
    if (entry === undefined) return true;
    const entryValue = valueAt(value, entry);
    const isReference = entryValue !== null && typeof entryValue === 'object' && 'use' in entryValue;
    if (error.schemaPath.includes('/StepReference/')) return isReference;
    if (error.schemaPath.includes('/ProcedureStep/')) return !isReference;
    return true;
  });
}

function checkFileName(id: unknown, file: string, source: YamlSource, diagnostics: Diagnostic[]): void {
  const base = file.split(/[\\/]/).pop() ?? file;
  if (typeof id === 'string' && base !== `${id}.yaml` && base !== `${id}.yml` && base !== `${id}.json`) {
    diagnostics.push({
      severity: 'error',
      ...source.locate('/id'),
      message: `id '${id}' does not match the file name '${base}'`,
      suggestion: `rename the file to ${id}.yaml`,
    });
  }
}

function checkProcedureTemplates(file: ProcedureFile, source: YamlSource, diagnostics: Diagnostic[]): void {
  for (const list of TEMPLATE_LISTS)
    (file[list] ?? []).forEach((t, i) => checkTemplate(t, `/${list}/${i}`, source, diagnostics, list === 'verifyCommands'));
  (file.steps ?? []).forEach((s, i) => checkStepTemplates(s, `/steps/${i}`, source, diagnostics));
  (file.alternatives ?? []).forEach((a, i) =>
    a.steps.forEach((s, j) => checkStepTemplates(s, `/alternatives/${i}/steps/${j}`, source, diagnostics)),
  );
}

function checkStepTemplates(entry: StepEntry, at: string, source: YamlSource, diagnostics: Diagnostic[]): void {
  if ('use' in entry) return;
  checkTemplate(entry.text, `${at}/text`, source, diagnostics);
  (entry.commands ?? []).forEach((c, i) => checkTemplate(c, `${at}/commands/${i}`, source, diagnostics, true));
}

/** Checks one template; a shell command also gets the checks that keep values from becoming code. */
function checkTemplate(template: unknown, pointer: string, source: YamlSource, diagnostics: Diagnostic[], command = false): void {
  if (typeof template !== 'string') return;
  const problems = [...templateProblems(template), ...(command ? commandTemplateProblems(template) : [])];
  for (const problem of problems) diagnostics.push({ severity: 'error', ...source.locate(pointer), ...problem });
}

/** Merges one file over its base (or over nothing, for a new procedure) and resolves its shared steps. */
function applyFile(
  base: Procedure | undefined,
  parsed: Parsed<ProcedureFile>,
  steps: ReadonlyMap<string, ProcedureStep>,
  diagnostics: Diagnostic[],
): Procedure | undefined {
  const { value: file, source } = parsed;
  const problems: Diagnostic[] = [];
  if (!base) {
    for (const field of REQUIRED_FOR_NEW) {
      if (file[field] === undefined)
        problems.push({
          severity: 'error',
          ...source.locate(''),
          message: `new procedure '${file.id}' needs \`${field}\``,
          suggestion:
            field === 'phase'
              ? 'e.g. phase: 90 (after the built-in procedures)'
              : 'only a file that overrides an existing procedure may leave it out',
        });
    }
  }
  const resolve = (entries: readonly StepEntry[], at: string): ProcedureStep[] =>
    entries.flatMap((entry, i) => {
      if (!('use' in entry)) return [entry];
      const step = steps.get(entry.use);
      if (step) return [step];
      problems.push({
        severity: 'error',
        ...source.locate(`${at}/${i}/use`),
        message: `unknown shared step '${entry.use}'`,
        suggestion: didYouMean(entry.use, steps.keys()) ?? `shared steps: ${[...steps.keys()].join(', ')}`,
      });
      return [];
    });
  const resolvedSteps = file.steps ? resolve(file.steps, '/steps') : undefined;
  const alternatives: ProcedureAlternative[] | undefined = file.alternatives?.map((a, i) => ({
    ...a,
    steps: resolve(a.steps, `/alternatives/${i}/steps`),
  }));
  diagnostics.push(...problems);
  if (problems.length > 0) return undefined;
  const { extraLinks, steps: _steps, alternatives: _alternatives, ...fields } = file;
  const merged: Procedure = {
    ...(base ?? { appliesTo: ['root', 'user'], handles: [], prerequisites: [], verification: [], links: [] }),
    ...definedOnly(fields),
    ...(resolvedSteps ? { steps: resolvedSteps } : {}),
    ...(alternatives ? { alternatives } : {}),
    source: base?.source ? `${base.source}, ${source.file}` : source.file,
  } as Procedure;
  return extraLinks && extraLinks.length > 0 ? { ...merged, links: [...merged.links, ...extraLinks] } : merged;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The procedure that carries out `action` for a principal type: `preferred` when it declares
 * that action and applies, else the most specific procedure that does (fewest declared
 * actions, then id), so the choice never depends on file order.
 */
export function procedureFor(
  catalogue: Catalogue,
  action: CredentialAction,
  principalType: 'root' | 'user',
  preferred?: string,
): Procedure | undefined {
  const fits = (p: Procedure | undefined): p is Procedure =>
    p !== undefined && p.handles.includes(action) && p.appliesTo.includes(principalType);
  const first = preferred === undefined ? undefined : catalogue.get(preferred);
  if (fits(first)) return first;
  return [...catalogue.values()].filter(fits).sort((a, b) => a.handles.length - b.handles.length || a.id.localeCompare(b.id))[0];
}

/** A rule file as far as its procedure is concerned: the rule, and where its text came from. */
interface RuleSource {
  rule: { id: string; remediation: { procedure: string } };
  source: YamlSource;
}

/**
 * Problems of rules whose `remediation.procedure` names no procedure of the catalogue: each at
 * the rule's /remediation/procedure, with the closest procedure id as a suggestion. A typo there
 * would otherwise pass validation and surface only at the end of a plan.
 */
export function unknownProcedures(definitions: readonly RuleSource[], catalogue: Catalogue): Diagnostic[] {
  return definitions
    .filter((d) => !catalogue.has(d.rule.remediation.procedure))
    .map(({ rule, source }) => ({
      severity: 'error' as const,
      ...source.locate('/remediation/procedure'),
      message: `rule '${rule.id}' names remediation procedure '${rule.remediation.procedure}', which is not in the catalogue`,
      suggestion:
        didYouMean(rule.remediation.procedure, catalogue.keys()) ??
        'add it under .credwarden/procedures (or --procedures DIR), or name a built-in procedure',
    }));
}
