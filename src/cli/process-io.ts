/**
 * The process surface of the CLI, apart from the file writers of io.ts: what `main` and `run`
 * need before any command is loaded, so `--version` and `--help` import nothing more (no
 * crypto, no stream helpers). io.ts re-exports it.
 */
/** The process surface the CLI uses; tests pass a fake one. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * The real standard output, when there is one: reports are streamed to it with
   * backpressure. Without it (tests), report chunks go through {@link CliIO.stdout}.
   */
  stdoutStream?: NodeJS.WritableStream;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Whether stdout is a terminal (colours, tables). */
  stdoutIsTTY: boolean;
  /** Whether stderr is a terminal (progress bars). */
  stderrIsTTY: boolean;
  /** The wall clock: used only by adapters (waiver expiry, timestamps), never by the core. */
  now(): Date;
}

/** The real process. */
export function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdoutStream: process.stdout,
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    now: () => new Date(),
  };
}

/** Colours only on a TTY, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(io: CliIO, disabled = false): boolean {
  const noColor = io.env.NO_COLOR;
  return !disabled && io.stdoutIsTTY && (noColor === undefined || noColor === '');
}

/** Error codes of a write to a pipe whose reader has gone (`credwarden … | head`). */
const CLOSED_PIPE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

/** Whether an error only says that the reader of a pipe went away. */
export function isClosedPipe(error: unknown): boolean {
  return CLOSED_PIPE.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}
