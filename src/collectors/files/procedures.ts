import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import { buildCatalogue, type ProcedureOverride } from '../../core/remediation/catalogue.js';
import { parseProcedureFile } from '../../core/remediation/overrides.js';
import type { Catalogue } from '../../core/remediation/types.js';

/** Folder of procedure overrides used when it exists in the working directory. */
export const DEFAULT_PROCEDURES_DIR = '.credwarden/procedures';

const isProcedureFile = (name: string): boolean => /\.(ya?ml|json)$/.test(name);

/**
 * The remediation catalogue: the built-in procedures, overridden or extended by
 * every procedure file in `dirs` (in order; files sorted by name), and by
 * `cwd`/.credwarden/procedures when `useDefault` and that folder exists.
 * @throws InputError listing the problems of every invalid file at once
 */
export function loadCatalogue(dirs: readonly string[], cwd: string, useDefault = true): Catalogue {
  const folders = [...(useDefault && existsSync(join(cwd, DEFAULT_PROCEDURES_DIR)) ? [join(cwd, DEFAULT_PROCEDURES_DIR)] : []), ...dirs.map((d) => resolve(cwd, d))];
  const diagnostics: Diagnostic[] = [];
  const overrides: ProcedureOverride[] = [];
  for (const folder of folders) {
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      diagnostics.push({ severity: 'error', file: folder, message: 'procedures folder not found' });
      continue;
    }
    for (const name of readdirSync(folder).filter(isProcedureFile).sort()) {
      const file = join(folder, name);
      try {
        overrides.push(...parseProcedureFile(readFileSync(file, 'utf8'), file));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        diagnostics.push(...error.diagnostics);
      }
    }
  }
  if (diagnostics.length > 0) throw new InputError(diagnostics, 'invalid remediation procedures');
  return buildCatalogue(overrides);
}
