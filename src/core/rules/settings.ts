import type { ConfigFile, Diagnostic, PackFile } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import type { Validator } from '../validation/ajv.js';
import { validate as validatePackFile } from '../validation/generated/pack.js';
import { validate as validateConfigFile } from '../validation/generated/config.js';
import { schemaDiagnostics } from '../validation/schema-diagnostics.js';
import { parseYamlSource, type YamlSource } from '../yaml/source.js';

/** A validated YAML document together with its source, for later error locations. */
export interface Sourced<T> {
  value: T;
  source: YamlSource;
}

function parseValidated<T>(text: string, file: string, validate: Validator, what: string): Sourced<T> {
  const source = parseYamlSource(text, file);
  if (source.errors.length > 0) throw new InputError(source.errors, `invalid ${what} ${file}`);
  const value = source.value ?? {};
  if (!validate(value)) throw new InputError(schemaDiagnostics(validate.errors ?? [], { ...source, value }), `invalid ${what} ${file}`);
  return { value: value as T, source };
}

/** Parses and validates a pack file (packs/*.yaml). @throws InputError */
export function parsePack(text: string, file: string): Sourced<PackFile> {
  return parseValidated<PackFile>(text, file, validatePackFile, 'pack');
}

/** Parses and validates credwarden.config.yaml. An empty file is a valid, empty config. @throws InputError */
export function parseConfig(text: string, file: string): Sourced<ConfigFile> {
  return parseValidated<ConfigFile>(text, file, validateConfigFile, 'config');
}

/** Collects diagnostics and throws them together. */
export function throwIfAny(diagnostics: Diagnostic[], summary: string): void {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new InputError(errors, summary);
}
