import { run } from './run.js';
import { isClosedPipe, processIO } from './process-io.js';

/**
 * Writes to `stream` until its reader goes away, then drops further output quietly. A closed
 * pipe is the reader's choice, not a failure: the run goes on (files are still written, the
 * gate still decides the exit code) instead of crashing with EPIPE and exit 1, which CI would
 * read as a failed gate.
 */
function tolerantWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (isClosedPipe(error)) closed = true;
    else throw error;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

/**
 * The AWS SDK warns, once per process, on Node 20 that its releases after January 2027 need
 * Node 22. credwarden supports Node >= 20 and pins the SDK in package-lock.json, so the warning
 * says nothing about this install and would be printed by every live command (scan, explain,
 * publish). Every process entry point (this, the GitHub Action) turns it off before any client
 * exists; AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false shows it again.
 */
export function quietSdkNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** Process entry point used by bin/credwarden.js. */
export async function main(): Promise<void> {
  quietSdkNodeVersionWarning();
  const io = { ...processIO(), stdout: tolerantWriter(process.stdout), stderr: tolerantWriter(process.stderr) };
  process.exitCode = await run(process.argv.slice(2), io);
}
