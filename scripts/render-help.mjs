// Renders `credwarden --help` once, after `tsc`, into dist/help.txt. The launcher
// (bin/credwarden.js) prints that file for `--help`/`-h` when stdout is not a terminal, so the
// most-called help costs Node's own start-up and one file read instead of loading the argument
// parser and the command table (issue 18 item 5: --help within 150 ms).
//
// The text is the CLI's own output, captured through a pipe (so at Commander's default width of
// 80 columns, the width the CLI uses whenever stdout is not a terminal). The old file is removed
// first so the launcher cannot answer from it while it is being rendered.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const target = fileURLToPath(new URL('../dist/help.txt', import.meta.url));
const launcher = fileURLToPath(new URL('../bin/credwarden.js', import.meta.url));

rmSync(target, { force: true });
const rendered = spawnSync(process.execPath, [launcher, '--help'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
});
if (rendered.status !== 0 || !rendered.stdout.startsWith('Usage: credwarden')) {
  console.error(`render-help: \`credwarden --help\` failed (exit ${rendered.status}); dist/help.txt not written`);
  process.exit(1);
}
writeFileSync(target, rendered.stdout);
