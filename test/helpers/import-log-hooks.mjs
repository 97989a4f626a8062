// Module hooks for the start-up tests: every module URL that the process resolves is appended to
// the file named by CREDWARDEN_IMPORT_LOG, so a test can see what a command loaded.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (process.env.CREDWARDEN_IMPORT_LOG) appendFileSync(process.env.CREDWARDEN_IMPORT_LOG, `${resolved.url}\n`);
  return resolved;
}
