/**
 * Reads saved JSON results as a stream (src/core/result/stream.ts), never as one string: only
 * regular files (input.ts), at most one part in memory at a time besides what the caller keeps.
 */
import type { ScanResult } from '../../model/index.js';
import { ResultCollector } from '../../core/result/parse.js';
import {
  ResultStreamParser,
  type ReadVersion,
  type ResultHeader,
  type ResultItemHandlers,
  type ResultPassEnd,
} from '../../core/result/stream.js';
import { inputChunks, openInputFile } from './input.js';

export type { ResultHeader, ResultItemHandlers } from '../../core/result/stream.js';

/**
 * Streams a saved result: each finding, plan and resolved finding goes to `handlers` as soon as
 * it is read and validated; the header (everything else) is returned at the end, validated. A
 * version 1 result is upgraded on the way. A file whose `schemaVersion` comes after its items is
 * read twice (the handlers see each item once).
 * @param label the path as the user wrote it, for messages
 * @throws InputError naming the file and the JSON pointer of every problem
 */
export async function streamResultFile(path: string, handlers: ResultItemHandlers, label: string = path): Promise<ResultHeader> {
  let end = await pass(path, label, handlers);
  if ('secondPass' in end) end = await pass(path, label, handlers, end.secondPass.version);
  if ('secondPass' in end) throw new Error('a second pass must know the version');
  return end.header;
}

async function pass(path: string, label: string, handlers: ResultItemHandlers, version?: ReadVersion): Promise<ResultPassEnd> {
  const name = { what: 'result file', label };
  const opened = await openInputFile(path, name.what, label);
  try {
    const parser = new ResultStreamParser(label, handlers, version !== undefined ? { version } : {});
    for await (const chunk of inputChunks(opened, name)) parser.write(chunk);
    return parser.end();
  } finally {
    await opened.handle.close();
  }
}

/**
 * Reads a whole saved result (a shard for merge, a result to plan or publish): the same streamed
 * reader, collected. Commands that compare results keep compact indexes instead (streamResultFile).
 * @throws InputError naming the file and the JSON pointer of every problem
 */
export async function readResultFile(path: string, label: string = path): Promise<ScanResult> {
  const collector = new ResultCollector();
  const header = await streamResultFile(path, collector.handlers, label);
  return collector.result(header);
}
