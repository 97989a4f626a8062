#!/usr/bin/env node
// Validates action.yml and every workflow (.github/workflows, examples/workflows) against
// GitHub's schemas with @action-validator/core (a maintained validator that runs offline, as
// WebAssembly, on Node 20). Exit 1 lists every problem of every file.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { validateAction, validateWorkflow } from '@action-validator/core';

const root = new URL('..', import.meta.url).pathname;
const workflowDirs = ['.github/workflows', 'examples/workflows'];
const files = [
  'action.yml',
  ...workflowDirs.flatMap((dir) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir))
          .filter((name) => /\.ya?ml$/.test(name))
          .sort()
          .map((name) => `${dir}/${name}`)
      : [],
  ),
];
let failed = 0;
for (const file of files) {
  const text = readFileSync(join(root, file), 'utf8');
  const result = file === 'action.yml' ? validateAction(text) : validateWorkflow(text);
  if (result.errors.length === 0) continue;
  failed++;
  console.error(`${file}:`);
  for (const error of result.errors) console.error(`  ${error.path || '/'}: ${error.title}${error.detail ? ` (${error.detail})` : ''}`);
}
if (failed > 0) process.exit(1);
console.log(`${files.length} files valid: ${files.join(', ')}`);
