import type { Diagnostic, RuleCasesFile } from '../../../model/index.js';
import { schemaDiagnostics } from '../../validation/schema-diagnostics.js';
import { validate as validateCaseTable } from '../../validation/generated/rule-cases.js';
import { parseYamlSource } from '../../yaml/source.js';
import type { Sourced } from '../settings.js';

/**
 * Parses and validates a rule's case table against schemas/rule-cases.schema.json.
 * Returns every problem found, each with file, line and JSON pointer; never throws.
 */
export function parseCaseTable(text: string, file: string): { table?: Sourced<RuleCasesFile>; diagnostics: Diagnostic[] } {
  const source = parseYamlSource(text, file);
  if (source.errors.length > 0) return { diagnostics: source.errors };
  const validate = validateCaseTable;
  if (!validate(source.value)) return { diagnostics: schemaDiagnostics(validate.errors ?? [], source) };
  return { table: { value: source.value as RuleCasesFile, source }, diagnostics: [] };
}
