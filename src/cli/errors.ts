import { InputError, formatDiagnostic, EXIT } from '../model/index.js';

/** A usage error found by the CLI itself (bad flag value, conflicting flags). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly suggestion?: string,
  ) {
    super(message);
    this.name = 'UsageError';
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
    write(`credwarden: ${error.message}${error.suggestion ? `\n  hint: ${error.suggestion}` : ''}\nRun 'credwarden --help' for usage.\n`);
    return EXIT.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(`credwarden: unexpected error: ${message}\n${debug && error instanceof Error && error.stack ? `${error.stack}\n` : ''}`);
  return EXIT.usage;
}
