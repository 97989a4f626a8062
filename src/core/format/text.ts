import type { FormatterEntry } from './types.js';

/** Human-readable terminal output (filled in by the core issue). */
export const textFormatter: FormatterEntry = {
  name: 'text',
  description: 'grouped, aligned terminal output',
  extension: 'txt',
  format: (result) => `${result.findings.length} findings\n`,
};
