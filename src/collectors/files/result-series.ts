/**
 * Reads a series of saved results for `credwarden trend`: files, and folders searched
 * recursively for `*.json`. In a folder, JSON files that are not credwarden results (other
 * reports, ASFF, SARIF…) are skipped and named; a file given by name must be a result.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostic } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import { parseResult } from '../../core/result/parse.js';
import type { TrendInput } from '../../core/trend/index.js';
import { readInputFile } from './input.js';

/** What was read, and which folder files were not results. */
export interface ResultSeries {
  inputs: TrendInput[];
  skipped: string[];
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? jsonFiles(join(dir, entry.name)) : entry.name.endsWith('.json') ? [join(dir, entry.name)] : [],
    )
    .sort();
}

/** Whether `path` is a folder; undefined when it does not exist. */
function isFolder(path: string): boolean | undefined {
  try {
    return statSync(path).isDirectory();
  } catch {
    return undefined;
  }
}

/** A cheap look at the top of the file: does it claim to be a credwarden result? */
function looksLikeResult(text: string): boolean {
  return /"schemaVersion"\s*:/.test(text.slice(0, 4096)) && /"tool"\s*:\s*\{\s*"name"\s*:\s*"credwarden"/.test(text.slice(0, 4096));
}

/**
 * Reads every result named by `paths` (absolute) with `labels` as the user wrote them.
 * @throws InputError listing every unreadable or invalid result at once
 */
export function readResultSeries(paths: readonly { path: string; label: string }[]): ResultSeries {
  const inputs: TrendInput[] = [];
  const skipped: string[] = [];
  const problems: Diagnostic[] = [];
  const read = (path: string, label: string, fromFolder: boolean) => {
    try {
      const text = readInputFile(path, 'result file', label);
      if (fromFolder && !looksLikeResult(text)) {
        skipped.push(label);
        return;
      }
      inputs.push({ label, result: parseResult(text, label) });
    } catch (error) {
      if (error instanceof InputError) problems.push(...error.diagnostics);
      else throw error;
    }
  };
  for (const { path, label } of paths) {
    const folder = isFolder(path);
    if (folder === undefined) {
      problems.push({ severity: 'error', file: label, message: 'not found' });
      continue;
    }
    if (!folder) read(path, label, false);
    else for (const file of jsonFiles(path)) read(file, join(label, relative(path, file)), true);
  }
  if (problems.length > 0) throw new InputError(problems, 'cannot read the results');
  return { inputs, skipped };
}
