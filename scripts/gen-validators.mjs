// Generates src/core/validation/generated/**.ts from schemas/**.schema.json: ajv's standalone
// validation code, so no command compiles a schema (or loads ajv) at start-up. One module per
// schema file, so a command loads only the validators it uses. The JSON Schemas stay the single
// source of truth: `npm run gen:types` writes these beside the types, `npm run check:types` fails
// when they are stale (a schema, ajv or ajv-formats changed).
import { createRequire } from 'node:module';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { Ajv, _ } = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;
const addFormats = require('ajv-formats');

/** Options of the validators: as src/core/validation/ajv.ts documents them. */
const AJV_OPTIONS = { allErrors: true, strict: false, verbose: true };

/** Runtime helpers the generated code needs, as ES imports (ajv writes CommonJS `require` calls). */
const RUNTIME = [
  { require: 'require("ajv/dist/runtime/ucs2length").default', name: 'ucs2length', from: 'ajv/dist/runtime/ucs2length.js' },
  { require: 'require("ajv/dist/runtime/equal").default', name: 'deepEqual', from: 'ajv/dist/runtime/equal.js' },
  { require: 'require("ajv/dist/runtime/uri").default', name: 'uriResolver', from: 'ajv/dist/runtime/uri.js' },
  { require: 'require("ajv-formats/dist/formats").fullFormats', name: 'fullFormats', from: 'ajv-formats/dist/formats.js', named: true },
];

/** Every schema file below `schemaDir` (legacy versions included), relative, sorted. */
async function schemaFiles(schemaDir, sub = '') {
  const entries = await readdir(join(schemaDir, sub), { withFileTypes: true });
  const files = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) files.push(...(await schemaFiles(schemaDir, join(sub, entry.name))));
    else if (entry.name.endsWith('.schema.json')) files.push(join(sub, entry.name));
  }
  return files;
}

/** The ES module text: ajv's code with its `require` calls turned into imports, and typed exports. */
function moduleText(file, code, definitionNames) {
  let body = code.replace(/^"use strict";/, '');
  const imports = [];
  for (const helper of RUNTIME) {
    if (!body.includes(helper.require)) continue;
    body = body.split(helper.require).join(helper.name);
    imports.push(
      helper.named
        ? `import { ${helper.name} } from '${helper.from}';`
        : // CommonJS default: Node gives module.exports ({ default }), a bundler may give the default itself.
          `import ${helper.name}Module from '${helper.from}';\nconst ${helper.name} = ${helper.name}Module.default ?? ${helper.name}Module;`,
    );
  }
  const leftover = /require\([^)]*\)/.exec(body);
  if (leftover) throw new Error(`${file}: the generated code needs ${leftover[0]}; add it to RUNTIME in scripts/gen-validators.mjs`);
  // ajv's own exports (`export const root = validate10;`) become typed ones below.
  const exported = new Map();
  body = body.replace(/export const (\w+) = (validate\d+);/g, (_match, name, fn) => {
    exported.set(name, fn);
    return '';
  });
  const definitions = definitionNames.map(
    (d) => `  ${JSON.stringify(d)}: ${exported.get(`d${definitionNames.indexOf(d)}`)} as unknown as ValidateFunction,`,
  );
  return [
    '/* eslint-disable */',
    '// @ts-nocheck',
    `/**\n * Generated from schemas/${file} by scripts/gen-validators.mjs (ajv standalone code). Do not edit;\n * run \`npm run gen:types\`.\n */`,
    "import type { ValidateFunction } from 'ajv';",
    ...imports,
    body.trim(),
    '',
    `/** Validates a whole document against schemas/${file}. */`,
    `export const validate = ${exported.get('root')} as unknown as ValidateFunction;`,
    '',
    "/** Validates a value against one of the schema's definitions (`#/definitions/NAME`). */",
    `export const definitions: Readonly<Record<string, ValidateFunction>> = {`,
    ...definitions,
    '};',
    '',
  ].join('\n');
}

/**
 * The generated modules: path (relative to `outDir`) and text, one per schema file. Each exports
 * `validate` (the whole document) and `definitions` (one validator per `#/definitions/NAME`).
 */
export async function generateValidators(schemaDir) {
  const out = [];
  for (const file of await schemaFiles(schemaDir)) {
    const schema = JSON.parse(await readFile(join(schemaDir, file), 'utf8'));
    const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } });
    addFormats(ajv);
    ajv.addSchema(schema);
    const definitionNames = Object.keys(schema.definitions ?? {}).sort();
    const refs = { root: schema.$id };
    definitionNames.forEach((name, i) => (refs[`d${i}`] = `${schema.$id}#/definitions/${name}`));
    out.push({ path: file.replace(/\.schema\.json$/, '.ts'), text: moduleText(file, standaloneCode(ajv, refs), definitionNames) });
  }
  return out;
}
