import { run } from './run.js';
import { isClosedPipe, processIO } from './io.js';

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

/** Process entry point used by bin/credwarden.js. */
export async function main(): Promise<void> {
  const io = { ...processIO(), stdout: tolerantWriter(process.stdout), stderr: tolerantWriter(process.stderr) };
  process.exitCode = await run(process.argv.slice(2), io);
}
