import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The process surface the CLI uses; tests pass a fake one. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
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

/**
 * Writes a file atomically (temporary file, then rename), so a failed run never
 * leaves a half-written report behind.
 */
export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}
