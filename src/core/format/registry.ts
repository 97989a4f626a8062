import type { FormatterEntry } from './types.js';
import { jsonFormatter } from './json.js';
import { textFormatter } from './text.js';
import { csvFormatter } from './csv.js';
import { markdownFormatter } from './markdown.js';
import { sarifFormatter } from './sarif.js';
import { junitFormatter } from './junit.js';
import { githubFormatter } from './github.js';
import { asffFormatter } from './asff.js';
import { htmlFormatter } from './html.js';
import { ocsfFormatter } from './ocsf.js';
import { xlsxFormatter } from './xlsx.js';

/**
 * The one formatter registry. Every output format is listed here, so `--format`,
 * `--help` and the GitHub Action all see the same set.
 */
const FORMATTERS: readonly FormatterEntry[] = [
  textFormatter,
  jsonFormatter,
  csvFormatter,
  markdownFormatter,
  sarifFormatter,
  junitFormatter,
  githubFormatter,
  asffFormatter,
  ocsfFormatter,
  htmlFormatter,
  xlsxFormatter,
];

/** All registered formatters, in display order. */
export function listFormatters(): readonly FormatterEntry[] {
  return FORMATTERS;
}

/** The formatter registered under `name` or one of its aliases, in any case (`JSON`, `md`), or undefined. */
export function findFormatter(name: string): FormatterEntry | undefined {
  const wanted = name.trim().toLowerCase();
  return FORMATTERS.find((f) => f.name === wanted || (f.aliases ?? []).includes(wanted));
}

/** The formatter an --output file name asks for by its extension (`report.JSON`, `out.md`), or undefined. */
export function formatterForFile(path: string): FormatterEntry | undefined {
  const extension = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : FORMATTERS.find((f) => (f.infersFrom ?? []).includes(extension));
}

/** Every accepted format name, for help and error messages (`markdown (md)`). */
export function formatNames(): string[] {
  return FORMATTERS.map((f) => (f.aliases && f.aliases.length > 0 ? `${f.name} (${f.aliases.join(', ')})` : f.name));
}
