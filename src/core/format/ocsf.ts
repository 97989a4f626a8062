import type { ScanResult } from '../../model/index.js';
import { ocsfEvents } from './ocsf-map.js';
import { defineFormatter, wholeResultSink, type FormatContext, type FormatterEntry } from './types.js';

/**
 * OCSF 1.5 events for AWS Security Lake, Security Hub and SIEMs: a JSON array of Detection
 * Findings (class 2004, one per finding) followed by Compliance Findings (class 2003, one per rule
 * and account). One event per line, each built as it is written: neither the events nor the
 * array are held.
 */
export const ocsfFormatter: FormatterEntry = defineFormatter({
  name: 'ocsf',
  description: 'OCSF 1.5 Detection Findings (2004) and per-account Compliance Findings (2003), for Security Lake and SIEMs',
  extension: 'ocsf.json',
  open: (header, context) => wholeResultSink(header, (result) => ocsfChunks(result, context)),
});

function* ocsfChunks(result: ScanResult, context: FormatContext): Generator<string> {
  let first = true;
  for (const event of ocsfEvents(result, context.toolVersion, context.awsRegion)) {
    yield `${first ? '[\n' : ',\n'}${JSON.stringify(event)}`;
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
}
