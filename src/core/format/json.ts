import type { FormatterEntry } from './types.js';

/** The documented result (schemas/result.schema.json), pretty-printed. */
export const jsonFormatter: FormatterEntry = {
  name: 'json',
  description: 'machine-readable result (schemas/result.schema.json)',
  extension: 'json',
  format: (result) => `${JSON.stringify(result, null, 2)}\n`,
};
