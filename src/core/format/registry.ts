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

/**
 * The one formatter registry. Every output format is listed here, so `--format`,
 * `--help` and the GitHub Action all see the same set.
 */
const FORMATTERS: readonly FormatterEntry[] = [textFormatter, jsonFormatter, csvFormatter, markdownFormatter, sarifFormatter, junitFormatter, githubFormatter, asffFormatter, htmlFormatter];

/** All registered formatters, in display order. */
export function listFormatters(): readonly FormatterEntry[] {
  return FORMATTERS;
}

/** The formatter registered under `name`, or undefined. */
export function findFormatter(name: string): FormatterEntry | undefined {
  return FORMATTERS.find((f) => f.name === name);
}
