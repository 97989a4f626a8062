/**
 * Framework catalogues (frameworks/<id>.yaml): every control of a framework's identity
 * section, each evaluated by rules with the framework's own parameter values, not evaluated
 * yet, or out of scope. From them a ruleset learns its coverage and, rule by rule, where the
 * parameters in force are looser than the framework's (a `deviates` control, never `passed`).
 */
import type { Diagnostic, RuleFile } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import type { FrameworkFile } from '../../model/generated/framework.js';
import type { Deviation, FrameworkCoverage } from '../../model/index.js';
import { schemaDiagnostics } from '../validation/schema-diagnostics.js';
import { validate as validateFrameworkFile } from '../validation/generated/framework.js';
import { parseYamlSource } from '../yaml/source.js';
import type { Sourced } from './settings.js';
import { declaredParameter } from './definition.js';

export type { FrameworkFile, Deviation, FrameworkCoverage };

/** Parses and validates one catalogue. @throws InputError with every problem, file and line */
export function parseFramework(text: string, file: string): Sourced<FrameworkFile> {
  const source = parseYamlSource(text, file);
  if (source.errors.length > 0) throw new InputError(source.errors, `invalid framework ${file}`);
  const validate = validateFrameworkFile;
  if (!validate(source.value)) throw new InputError(schemaDiagnostics(validate.errors ?? [], source), `invalid framework ${file}`);
  const value = source.value as FrameworkFile;
  const diagnostics: Diagnostic[] = [];
  const base = file.split(/[\\/]/).pop() ?? file;
  if (base !== `${value.id}.yaml`)
    diagnostics.push({
      severity: 'error',
      ...source.locate('/id'),
      message: `framework id '${value.id}' does not match the file name '${base}'`,
      suggestion: `rename the file to ${value.id}.yaml`,
    });
  const seen = new Set<string>();
  value.controls.forEach((c, i) => {
    if (seen.has(c.id))
      diagnostics.push({ severity: 'error', ...source.locate(`/controls/${i}/id`), message: `control '${c.id}' is listed twice` });
    seen.add(c.id);
  });
  if (diagnostics.length > 0) throw new InputError(diagnostics, `invalid framework ${file}`);
  return { value, source };
}

/**
 * Problems between the catalogues and the rule files: a rule naming a control the catalogue
 * does not list or lists without that rule, a catalogue control naming a rule that does not
 * map to it, and a pinned parameter the rule lacks or whose direction (`looser`) it does not say.
 */
export function catalogueProblems(
  catalogues: readonly Sourced<FrameworkFile>[],
  rules: readonly { rule: RuleFile; file: string }[],
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const byId = new Map(rules.map((r) => [r.rule.id, r]));
  for (const { value: fw, source } of catalogues) {
    const controls = new Map(fw.controls.map((c) => [c.id, c]));
    for (const { rule, file } of rules)
      for (const id of rule.frameworks[fw.id] ?? []) {
        if (!Object.keys(controls.get(id)?.rules ?? {}).includes(rule.id))
          diagnostics.push({
            severity: 'error',
            file,
            message: `rule '${rule.id}' maps to ${fw.label} ${id}, but ${source.file} does not list it under that control's rules`,
            suggestion: `add '${rule.id}' to the rules of ${fw.label} ${id} in ${source.file}, with the framework's parameter values`,
          });
      }
    fw.controls.forEach((control, i) => {
      for (const [ruleId, params] of Object.entries(control.rules ?? {})) {
        const where = source.locate(`/controls/${i}/rules/${ruleId}`);
        const entry = byId.get(ruleId);
        if (!entry || !(entry.rule.frameworks[fw.id] ?? []).includes(control.id)) {
          diagnostics.push({
            severity: 'error',
            ...where,
            message: `${fw.label} ${control.id} lists rule '${ruleId}', which does not map to it`,
            suggestion: entry ? `add '${control.id}' to ${entry.file} frameworks.${fw.id}` : 'name a built-in rule',
          });
          continue;
        }
        for (const name of Object.keys(params ?? {})) {
          const declared = declaredParameter(entry.rule, name);
          if (!declared) diagnostics.push({ severity: 'error', ...where, message: `rule '${ruleId}' has no parameter '${name}'` });
          else if (!declared.looser)
            diagnostics.push({
              severity: 'error',
              file: entry.file,
              message: `parameter '${name}' of rule '${ruleId}' is pinned by ${fw.label} ${control.id} but does not say which way it loosens the rule`,
              suggestion: 'add looser: higher or looser: lower',
            });
        }
      }
    });
  }
  return diagnostics;
}

/** What the result carries of the catalogues: every control, with the rules that evaluate it. */
export function frameworkCoverage(catalogues: readonly FrameworkFile[]): FrameworkCoverage[] {
  return catalogues.map((fw) => ({
    id: fw.id,
    title: fw.title,
    label: fw.label,
    section: fw.section,
    controls: fw.controls.map((c) => ({
      id: c.id,
      title: c.title,
      rules: Object.keys(c.rules ?? {}),
      ...(c.notEvaluated !== undefined ? { notEvaluated: c.notEvaluated } : {}),
      ...(c.outOfScope !== undefined ? { outOfScope: c.outOfScope } : {}),
      ...(c.difference !== undefined ? { difference: c.difference } : {}),
    })),
  }));
}

/**
 * Where a rule's parameters in force are looser than a framework control's own values
 * (`looser` of the rule's parameter says which way loosens it).
 */
export function deviations(
  rule: Pick<RuleFile, 'id' | 'parameters'>,
  params: Readonly<Record<string, unknown>>,
  catalogues: readonly FrameworkFile[],
): Deviation[] {
  const found: Deviation[] = [];
  for (const fw of catalogues)
    for (const control of fw.controls)
      for (const [name, pinned] of Object.entries(control.rules?.[rule.id] ?? {})) {
        const direction = declaredParameter(rule, name)?.looser;
        const value = params[name];
        if (direction === undefined || typeof value !== 'number' || typeof pinned.value !== 'number') continue;
        const looser = direction === 'higher' ? value > pinned.value : value < pinned.value;
        if (!looser) continue;
        found.push({
          framework: fw.id,
          control: control.id,
          parameter: name,
          value,
          required: pinned.value,
          text: `${rule.id} evaluated with ${name} ${value}; ${fw.label} ${control.id} ${pinned.says} (${name} ${pinned.value})`,
        });
      }
  return found;
}
