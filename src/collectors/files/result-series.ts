/**
 * Reads a series of saved results for `credwarden trend`: files, and folders searched
 * recursively for `*.json`. In a folder, JSON files that are not credwarden results (other
 * reports, ASFF, SARIF…) are skipped and named; a file given by name must be a result.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostic } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import type { Finding } from '../../model/index.js';
import type { TrendInput } from '../../core/trend/index.js';
import { inputChunks, openInputFile } from './input.js';
import { streamResultFile } from './results.js';

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
  return /"schemaVersion"\s*:/.test(text) && /"tool"\s*:\s*\{\s*"name"\s*:\s*"credwarden"/.test(text);
}

/** The first 4 KiB of a file (a regular file only, as every input). */
async function head(path: string, label: string): Promise<string> {
  const name = { what: 'result file', label };
  const opened = await openInputFile(path, name.what, label);
  try {
    for await (const chunk of inputChunks(opened, name)) return Buffer.from(chunk.subarray(0, 4096)).toString('utf8');
    return '';
  } finally {
    await opened.handle.close();
  }
}

/**
 * Reads every result named by `paths` (absolute) with `labels` as the user wrote them. Each is
 * streamed and validated by the one result reader; its plans are not kept (trend does not read them).
 * @throws InputError listing every unreadable or invalid result at once
 */
export async function readResultSeries(paths: readonly { path: string; label: string }[]): Promise<ResultSeries> {
  const inputs: TrendInput[] = [];
  const skipped: string[] = [];
  const problems: Diagnostic[] = [];
  const read = async (path: string, label: string, fromFolder: boolean) => {
    try {
      if (fromFolder && !looksLikeResult(await head(path, label))) {
        skipped.push(label);
        return;
      }
      const findings: Finding[] = [];
      const resolved: Finding[] = [];
      const { counts, ...header } = await streamResultFile(
        path,
        { finding: (f) => findings.push(f), resolved: (f) => resolved.push(f) },
        label,
      );
      inputs.push({ label, result: { ...header, findings, plans: [], ...(counts.resolved !== undefined ? { resolved } : {}) } });
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
    if (!folder) await read(path, label, false);
    else for (const file of jsonFiles(path)) await read(file, join(label, relative(path, file)), true);
  }
  if (problems.length > 0) throw new InputError(problems, 'cannot read the results');
  return { inputs, skipped };
}
