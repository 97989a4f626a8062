/** Where a problem sits in a user's file. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  /** JSON pointer (RFC 6901) into the parsed document, e.g. /condition/all/0/fact. */
  pointer?: string;
}

/** One problem found in user input: a rule, config, waiver, snapshot or credential report. */
export interface Diagnostic extends SourceLocation {
  severity: 'error' | 'warning';
  message: string;
  /** A hint, e.g. "did you mean 'key.ageDays'?". */
  suggestion?: string;
}

/**
 * Thrown by loaders when input is invalid. Carries every problem found, so the
 * user can fix them all at once. The CLI prints them and exits with code 2.
 */
export class InputError extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[], summary?: string) {
    super(summary ?? `${diagnostics.length} problem(s) in input`);
    this.name = 'InputError';
    this.diagnostics = diagnostics;
  }
}

/** Renders a diagnostic as `file:line:col pointer: message (suggestion)`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.line, d.line !== undefined ? d.column : undefined].filter((x) => x !== undefined).join(':');
  const pointer = d.pointer !== undefined && d.pointer !== '' ? ` at ${d.pointer}` : '';
  const hint = d.suggestion ? ` (${d.suggestion})` : '';
  return `${where}${pointer}: ${d.severity}: ${d.message}${hint}`;
}
