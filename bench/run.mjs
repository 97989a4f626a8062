// `npm run bench`: compiles src/ and bench/ (tsconfig.bench.json, into node_modules/.cache so
// nothing is committed or shipped), then runs bench/main.ts. Arguments are passed through.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.bench.json')], { cwd: root, encoding: 'utf8' });
if (build.status !== 0) {
  // tsc still emits on type errors; go on when only files outside bench/ are affected (work in progress elsewhere).
  const ours = build.stdout.split('\n').filter((line) => line.startsWith('bench/'));
  process.stderr.write(`bench: type errors while compiling:\n${build.stdout}`);
  if (ours.length > 0 || build.error) process.exit(2);
}
const entry = join(root, 'node_modules', '.cache', 'credwarden-bench', 'bench', 'main.js');
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
