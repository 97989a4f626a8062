import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from './cli.js';

const ROOT = resolve(import.meta.dirname, '../..');

let checkout: string | undefined;

/**
 * A checkout of the action as GitHub lays it out for `uses:` (action.yml, the bundle, rules/,
 * packs/, procedures/, schemas/ beside it), with a bundle freshly built from the current sources,
 * so these tests never depend on the committed bundle being current (`npm run check:action`
 * checks that, in CI). Built once per test file.
 */
export function freshActionCheckout(): string {
  if (checkout) return checkout;
  const dir = tempDir();
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build-action.mjs'), '--outfile', join(dir, 'dist-action/index.mjs')], {
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`building the action bundle failed: ${built.stderr}`);
  for (const name of ['action.yml', 'package.json', 'rules', 'packs', 'frameworks', 'procedures', 'schemas', 'examples'])
    symlinkSync(join(ROOT, name), join(dir, name));
  checkout = dir;
  return dir;
}
