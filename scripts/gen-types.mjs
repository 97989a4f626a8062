#!/usr/bin/env node
// Generates src/model/generated/*.ts (types) and src/core/validation/generated/**.ts (ajv
// standalone validators, scripts/gen-validators.mjs) from schemas/**.schema.json.
// With --check, fails (exit 1) when the committed files are stale.
import { readFile, writeFile, readdir, mkdir } from 'node:fs/promises';
import { join, basename, dirname } from 'node:path';
import { compile } from 'json-schema-to-typescript';
import { generateValidators } from './gen-validators.mjs';

const root = new URL('..', import.meta.url).pathname;
const schemaDir = join(root, 'schemas');
const outDir = join(root, 'src/model/generated');
const check = process.argv.includes('--check');

const banner =
  '/* eslint-disable */\n/**\n * Generated from schemas/%s by scripts/gen-types.mjs. Do not edit; run `npm run gen:types`.\n */';
let stale = [];
for (const file of (await readdir(schemaDir)).filter((f) => f.endsWith('.schema.json')).sort()) {
  const schema = JSON.parse(await readFile(join(schemaDir, file), 'utf8'));
  const ts = await compile(schema, schema.title, {
    bannerComment: banner.replace('%s', file),
    additionalProperties: false,
    style: { singleQuote: true },
    cwd: schemaDir,
  });
  const target = join(outDir, `${basename(file, '.schema.json')}.ts`);
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current === ts) continue;
  if (check) stale.push(target);
  else await writeFile(target, ts);
}
const validatorDir = join(root, 'src/core/validation/generated');
for (const { path, text } of await generateValidators(schemaDir)) {
  const target = join(validatorDir, path);
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current === text) continue;
  if (check) stale.push(target);
  else {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  }
}
if (stale.length > 0) {
  console.error(`Generated types or validators are stale: ${stale.join(', ')}\nRun \`npm run gen:types\` and commit the result.`);
  process.exit(1);
}
