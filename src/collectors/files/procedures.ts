import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import { buildCatalogue, type ProcedureSource } from '../../core/remediation/catalogue.js';
import type { Catalogue } from '../../core/remediation/types.js';
import { packageRoot } from './package-root.js';
import { readInputFile } from './input.js';

/** Folder of procedure overrides used when it exists in the working directory. */
export const DEFAULT_PROCEDURES_DIR = '.credwarden/procedures';

const isProcedureFile = (name: string): boolean => /\.(ya?ml|json)$/.test(name);

/** Where the built-in procedures live (procedures/<id>.yaml, shared steps in procedures/steps/). */
export function builtInProceduresDir(): string {
  return join(packageRoot(), 'procedures');
}

/**
 * The remediation catalogue: the built-in procedures, overridden or extended by
 * every procedure file in `dirs` (in order; files sorted by name), and by
 * `cwd`/.credwarden/procedures when `useDefault` and that folder exists.
 * @throws InputError listing the problems of every invalid file at once
 */
export function loadCatalogue(dirs: readonly string[], cwd: string, useDefault = true): Catalogue {
  const folders = [
    ...(useDefault && existsSync(join(cwd, DEFAULT_PROCEDURES_DIR)) ? [join(cwd, DEFAULT_PROCEDURES_DIR)] : []),
    ...dirs.map((d) => resolve(cwd, d)),
  ];
  const diagnostics: Diagnostic[] = [];
  const overrides = folders.flatMap((folder) => {
    if (existsSync(folder) && statSync(folder).isDirectory()) return readFolder(folder, false);
    diagnostics.push({ severity: 'error', file: folder, message: 'procedures folder not found' });
    return [];
  });
  if (diagnostics.length > 0) throw new InputError(diagnostics, 'invalid remediation procedures');
  const dir = builtInProceduresDir();
  return buildCatalogue({ steps: readFolder(join(dir, 'steps'), true), builtIn: readFolder(dir, true), overrides });
}

/** The procedure files of one folder, sorted by name. Built-in files are named relative to the package. */
function readFolder(folder: string, builtIn: boolean): ProcedureSource[] {
  return readdirSync(folder)
    .filter(isProcedureFile)
    .sort()
    .map((name) => {
      const path = join(folder, name);
      const file = builtIn ? relative(packageRoot(), path) : path;
      return { text: readInputFile(path, 'procedure file', file), file };
    });
}
