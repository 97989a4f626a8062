import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../../model/index.js';

/**
 * Reads a user-named input file as UTF-8 text, the one way commands open their inputs
 * (results, snapshots, waivers, config, account lists). A missing file, a folder, an
 * unreadable file or a file too large for one string is an InputError naming `label`
 * (the path as the user wrote it), so the CLI exits 2 with a message, not a stack trace.
 * @param what what the file is, e.g. 'result file' or 'snapshot file'
 * @throws InputError
 */
export function readInputFile(path: string, what: string, label: string = path): string {
  const fail = (message: string, suggestion?: string): never => {
    throw new InputError([{ severity: 'error', file: label, message, ...(suggestion ? { suggestion } : {}) }]);
  };
  let size: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) fail(`${what} is a folder, not a file`);
    size = stats.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    return fail(`${what} not found`);
  }
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_STRING_TOO_LONG')
      return fail(`${what} is too large to read (${Math.round(size / 2 ** 20)} MiB)`, 'split the scan with --shard K/N');
    return fail(`cannot read ${what}: ${code ?? (error as Error).message}`);
  }
}
