import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import picomatch from 'picomatch';
import { list } from './inputs.js';

/**
 * The `results` input as paths: each entry is a file, a folder or a glob (`shards/*\/credwarden.json`),
 * as a shell would have expanded it in a `run:` step. A glob that matches nothing is kept as
 * written, so the command reports the missing file instead of running on fewer results.
 */
export function expandResults(value: string | undefined, cwd: string): string[] {
  const paths: string[] = [];
  for (const entry of list(value)) {
    if (!picomatch.scan(entry).isGlob) {
      paths.push(entry);
      continue;
    }
    const { base } = picomatch.scan(entry);
    const root = resolve(cwd, base || '.');
    const isMatch = picomatch(entry, { dot: false });
    // An absolute glob matches absolute paths; a relative one, paths relative to the workspace.
    const matches = walk(root)
      .map((file) => (isAbsolute(entry) ? file : relative(cwd, file)).split('\\').join('/'))
      .filter((file) => isMatch(file))
      .sort();
    paths.push(...(matches.length > 0 ? matches : [entry]));
  }
  return paths;
}

/** Every file below `dir` (none when it does not exist). */
function walk(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
