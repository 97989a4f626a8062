import { run } from './run.js';
import { processIO } from './io.js';

/** Error codes of a write to a pipe whose reader has gone (`credwarden … | head`). */
const CLOSED_PIPE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

/**
 * Writes to `stream` until its reader goes away, then drops further output quietly. A closed
 * pipe is the reader's choice, not a failure: the run goes on (files are still written, the
 * gate still decides the exit code) instead of crashing with EPIPE and exit 1, which CI would
 * read as a failed gate.
 */
function tolerantWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (CLOSED_PIPE.has(error.code ?? '')) closed = true;
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
