import { InputError, formatDiagnostic, EXIT } from '../model/index.js';

/** A usage error found by the CLI itself (bad flag value, conflicting flags). */
export class UsageError extends Error {
  /**
   * @param pointsAtFlags whether `--help` would help: true for a bad or missing flag, false for
   *   a problem with the data or the environment (credentials, files), where it is noise
   */
  constructor(
    message: string,
    readonly suggestion?: string,
    readonly pointsAtFlags = true,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The scan could not cover what was asked (the organisation could not be listed, the network
 * failed): exit 3, never 2, so CI tells "fix the command" from "AWS or the network failed".
 */
export class IncompleteScanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncompleteScanError';
  }
}

/**
 * Renders any error as a short paragraph for the user and picks the exit code.
 * Stack traces are never shown; set CREDWARDEN_DEBUG=1 to see them.
 */
export function reportError(error: unknown, write: (text: string) => void, debug: boolean): number {
  if (error instanceof InputError) {
    write(`credwarden: ${error.message}\n${error.diagnostics.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}\n`);
    return EXIT.usage;
  }
  if (error instanceof UsageError) {
    write(
      `credwarden: ${error.message}${error.suggestion ? `\n  hint: ${error.suggestion}` : ''}\n${error.pointsAtFlags ? "Run 'credwarden --help' for usage.\n" : ''}`,
    );
    return EXIT.usage;
  }
  if (error instanceof IncompleteScanError) {
    write(`credwarden: incomplete scan: ${error.message}\n`);
    return EXIT.partial;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(`credwarden: unexpected error: ${message}\n${debug && error instanceof Error && error.stack ? `${error.stack}\n` : ''}`);
  return EXIT.usage;
}
