import { jsonChunks } from './json-stream.js';
import { defineFormatter, wholeResultSink, type FormatterEntry } from './types.js';

/** The documented result (schemas/result.schema.json), pretty-printed, written finding by finding. */
export const jsonFormatter: FormatterEntry = defineFormatter({
  name: 'json',
  description: 'machine-readable result (schemas/result.schema.json)',
  extension: 'json',
  infersFrom: ['json'],
  open: (header) => wholeResultSink(header, jsonChunks),
});
