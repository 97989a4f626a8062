#!/usr/bin/env node
// Launcher: the TypeScript sources are compiled to dist/ by `npm ci` (prepare script).
//
// `credwarden --version` (or -V) alone is answered here, from package.json, before the CLI and its
// argument parser are loaded: it is what scripts and bug reports call most, and Node's own
// start-up is most of its cost already. Its output is the one the CLI prints (checked by
// test/cli/startup.test.ts). Every other command line goes to the CLI.
import { readFileSync, writeSync } from 'node:fs';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  try {
    writeSync(1, `${version}\n`);
  } catch {
    // The reader went away (`credwarden --version | true`): nothing left to say.
  }
} else {
  const { main } = await import('../dist/src/cli/main.js');
  await main();
}
