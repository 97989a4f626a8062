import type { ScanResult } from '../../src/model/index.js';
import { parseResult } from '../../src/core/result/parse.js';

/**
 * A saved result's text as every reader gives it (the schema v2 model: findings, plans and
 * resolved findings whole), whatever version it was written in: `scan --format json` writes the
 * compact v3 layout, grouped by account.
 */
export function readResultText(text: string, file = 'result.json'): ScanResult {
  return parseResult(text, file);
}
