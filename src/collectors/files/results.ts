import type { ScanResult } from '../../model/index.js';
import { parseResult } from '../../core/result/parse.js';
import { readInputFile } from './input.js';

/**
 * Reads and validates a saved JSON result (a baseline, a shard for merge, a result to
 * diff or plan); a version 1 result is upgraded on read.
 * @param label the path as the user wrote it, for messages
 * @throws InputError naming the file and the JSON pointer of every problem
 */
export function readResultFile(path: string, label: string = path): ScanResult {
  return parseResult(readInputFile(path, 'result file', label), label);
}
