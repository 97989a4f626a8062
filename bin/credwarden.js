#!/usr/bin/env node
// Launcher: the TypeScript sources are compiled to dist/ by `npm ci` (prepare script).
//
// `credwarden --version` (or -V) alone is answered here, from package.json, before the CLI and its
// argument parser are loaded: it is what scripts and bug reports call most, and Node's own
// start-up is most of its cost already. Its output is the one the CLI prints (checked by
// test/cli/startup.test.ts). `--help` (or -h) alone, piped, is answered from dist/help.txt, the
// CLI's own help rendered by the build (scripts/render-help.mjs); at a terminal the CLI renders it
// to the terminal's width. Every other command line goes to the CLI.
import { readFileSync, statSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';

const argv = process.argv.slice(2);
const only = argv.length === 1 ? argv[0] : undefined;

/** Writes text to stdout; a reader that went away (`credwarden --help | head -1`) is not an error. */
function print(text) {
  try {
    writeSync(1, text);
  } catch {
    // Nothing left to say to a closed pipe.
  }
}

/**
 * The help the build rendered, or undefined when there is none or it is older than the CLI that
 * would render it (dist/ rebuilt by `tsc` alone): then the CLI answers, never a stale text.
 */
function prerenderedHelp() {
  const help = new URL('../dist/help.txt', import.meta.url);
  try {
    if (statSync(help).mtimeMs < statSync(new URL('../dist/src/cli/run.js', import.meta.url)).mtimeMs) return undefined;
    return readFileSync(help, 'utf8');
  } catch {
    return undefined;
  }
}

const help = (only === '--help' || only === '-h') && !isatty(1) ? prerenderedHelp() : undefined;
if (only === '--version' || only === '-V') {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  print(`${version}\n`);
} else if (help !== undefined) {
  print(help);
} else {
  // A live scan's collection thread loads the AWS SDK while this thread loads the CLI (src/cli/live-prestart.ts).
  const offlineOrHelp = (arg) => arg === '--from' || arg.startsWith('--from=') || arg === '--help' || arg === '-h';
  if (argv[0] === 'scan' && !argv.some(offlineOrHelp)) {
    (await import('../dist/src/cli/live-prestart.js')).spawnCollectionWorkerAhead();
  }
  const { main } = await import('../dist/src/cli/main.js');
  await main();
}
