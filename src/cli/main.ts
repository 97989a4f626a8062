import { run } from './run.js';

/** Process entry point used by bin/credwarden.js. */
export async function main(): Promise<void> {
  process.exitCode = await run(process.argv.slice(2));
}
