/**
 * Schema validation, precompiled. The validators are ajv's standalone code, generated from
 * schemas/**.schema.json by `npm run gen:types` (scripts/gen-validators.mjs) into ./generated/,
 * one module per schema file: a command imports only the validators it uses, and none compiles a
 * schema or loads ajv when it starts (`npm run check:types` fails when they are stale). The JSON
 * Schemas stay the single source of truth. They are generated with allErrors (every problem at
 * once), verbose (errors carry their schema, for suggestions), strict off, and ajv-formats' full
 * formats.
 */
import type { ValidateFunction } from 'ajv';

/** A generated validator: ajv's ValidateFunction (its `errors` after a failed call). */
export type Validator = ValidateFunction;

/**
 * The validator of the definition `name` (`#/definitions/NAME`) from a generated module's
 * `definitions`. A missing name is a programming error, not an input error.
 */
export function definitionValidator(definitions: Readonly<Record<string, Validator>>, name: string): Validator {
  const validate = definitions[name];
  if (!validate) throw new Error(`the schema has no definition ${name}; known: ${Object.keys(definitions).join(', ')}`);
  return validate;
}
