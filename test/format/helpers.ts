import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ScanResult } from '../../src/model/index.js';
import { renderToString, type FormatContext, type FormatterEntry } from '../../src/core/format/types.js';
import { sliceResult } from '../../src/core/pipeline/index.js';
import { cli } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

/** A fixed context, so golden files do not change with the package version. */
export const CONTEXT: FormatContext = {
  toolVersion: '0.0.0-test',
  color: false,
  ruleSources: {},
};

/** The JSON result of scanning a folder of saved reports (in-process CLI). */
export async function scanResult(from: string, extra: string[] = []): Promise<ScanResult> {
  const run = await cli(['scan', '--from', from, '--format', 'json', '--quiet', ...extra]);
  if (run.code !== 0) throw new Error(`scan failed (${run.code}): ${run.stderr}`);
  return readResultText(run.stdout);
}

/**
 * `scan` of the example organisation as reports/examples/ shows it: a fixed as-of, the
 * example waivers and baseline. Callers add the format and output.
 */
export const EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE: readonly string[] = [
  'scan',
  '--from',
  'examples/org',
  '--as-of',
  '2026-11-01T12:00:00Z',
  '--waivers',
  'reports/examples/waivers.yaml',
  '--baseline',
  'reports/examples/baseline.json',
];

/** The example organisation's result. */
export function exampleResult(): Promise<ScanResult> {
  return scanResult('examples/org');
}

/** Reports with hostile principal names, evaluated at a fixed time. */
export function injectionResult(): Promise<ScanResult> {
  return scanResult('test/fixtures/injection', ['--as-of', '2026-11-01T00:00:00Z']);
}

const GOLDEN_DIR = join(import.meta.dirname, 'golden');

/**
 * Compares `actual` with the golden file. Set UPDATE_GOLDEN=1 to rewrite the
 * golden files after an intended change (then review the diff).
 */
export function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/**
 * A report written as the CLI writes it (cli/reporting.ts): the sink is fed the result's
 * accounts in `order` and each account's chunks are joined in account-id order, so a sink
 * whose bytes depend on arrival order shows it.
 */
export function writtenBySink(formatter: FormatterEntry, result: ScanResult, order: 'forward' | 'reverse', context = CONTEXT): string {
  const { header, slices, tallies } = sliceResult(result);
  const sink = formatter.open(header, context);
  const chunks = new Map<string, string>();
  for (const slice of order === 'forward' ? slices : [...slices].reverse()) chunks.set(slice.id, renderToString(sink.account(slice)));
  const end = sink.end(tallies);
  const accounts = [...chunks.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, text]) => text)
    .filter((text) => text !== '');
  return `${renderToString(end.head ?? [])}${accounts.join(sink.separator ?? '')}${renderToString(end.tail ?? [])}`;
}
