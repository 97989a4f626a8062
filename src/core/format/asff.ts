import { asffRecords } from '../securityhub/asff.js';
import type { ScanResult } from '../../model/index.js';
import { defineFormatter, wholeResultSink, type FormatContext, type FormatterEntry } from './types.js';

/** Region used in ProductArns when the caller names none (AWS_REGION, --region). */
export const DEFAULT_ASFF_REGION = 'us-east-1';

/**
 * The findings in the AWS Security Finding Format: a JSON array ready for Security Hub's
 * BatchImportFindings (`aws securityhub batch-import-findings --findings file://…`, 100 at a
 * time), one finding per line. `credwarden publish securityhub` does the batching, the
 * per-account roles and the archiving for you.
 */
export const asffFormatter: FormatterEntry = defineFormatter({
  name: 'asff',
  description: 'AWS Security Finding Format for Security Hub BatchImportFindings (see `credwarden publish securityhub`)',
  extension: 'asff.json',
  open: (header, context) => wholeResultSink(header, (result) => asffChunks(result, context)),
});

function* asffChunks(result: ScanResult, context: FormatContext): Generator<string> {
  // One finding per piece, built as it is written: neither the records nor the array are held.
  let first = true;
  for (const finding of asffRecords(result, context.awsRegion ?? DEFAULT_ASFF_REGION, context.toolVersion)) {
    yield `${first ? '[\n' : ',\n'}${JSON.stringify(finding)}`;
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
}
