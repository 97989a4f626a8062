import type { Finding, Plan, ScanResult } from '../../model/index.js';
import { ResultStreamParser, type ReadVersion, type ResultHeader, type ResultItemHandlers, type ResultPassEnd } from './stream.js';

/** The result schema version credwarden writes. */
export const RESULT_SCHEMA_VERSION = 2;

/**
 * A whole result from its parts as the reader streams them: for the commands that still need
 * one in memory (merge, plan, publish), and for tests.
 */
export class ResultCollector {
  readonly findings: Finding[] = [];
  readonly plans: Plan[] = [];
  readonly resolved: Finding[] = [];
  readonly handlers: ResultItemHandlers = {
    finding: (f) => void this.findings.push(f),
    plan: (p) => void this.plans.push(p),
    resolved: (f) => void this.resolved.push(f),
  };

  /** The result, once the header has been read. */
  result(header: ResultHeader): ScanResult {
    const { counts, ...rest } = header;
    return { ...rest, findings: this.findings, plans: this.plans, ...(counts.resolved !== undefined ? { resolved: this.resolved } : {}) };
  }
}

/**
 * Parses and validates a saved JSON result held as text, with the same reader, validation and
 * upgrade of versions 1 and 2 as the streamed files (src/collectors/files/results.ts).
 * @throws InputError with file, line, column and JSON pointer for every problem
 */
export function parseResult(text: string, file: string): ScanResult {
  const bytes = Buffer.from(text, 'utf8');
  let collector = new ResultCollector();
  let end: ResultPassEnd = pass(bytes, file, collector.handlers);
  if ('secondPass' in end) {
    collector = new ResultCollector();
    end = pass(bytes, file, collector.handlers, end.secondPass.version);
  }
  if ('secondPass' in end) throw new Error('a second pass must know the version');
  return collector.result(end.header);
}

function pass(bytes: Uint8Array, file: string, handlers: ResultItemHandlers, version?: ReadVersion): ResultPassEnd {
  const parser = new ResultStreamParser(file, handlers, version !== undefined ? { version } : {});
  parser.write(bytes);
  return parser.end();
}
