import { asffRecords } from '../securityhub/asff.js';
import type { FormatterEntry } from './types.js';

/** Region used in ProductArns when the caller names none (AWS_REGION, --region). */
export const DEFAULT_ASFF_REGION = 'us-east-1';

/**
 * The findings in the AWS Security Finding Format: a JSON array ready for Security Hub's
 * BatchImportFindings (`aws securityhub batch-import-findings --findings file://…`, 100 at a
 * time), one finding per line. `credwarden publish securityhub` does the batching, the
 * per-account roles and the archiving for you.
 */
export const asffFormatter: FormatterEntry = {
  name: 'asff',
  description: 'AWS Security Finding Format for Security Hub BatchImportFindings (see `credwarden publish securityhub`)',
  extension: 'asff.json',
  format: function* (result, context) {
    // One finding per piece, built as it is written: neither the records nor the array are held.
    let first = true;
    for (const finding of asffRecords(result, context.awsRegion ?? DEFAULT_ASFF_REGION, context.toolVersion)) {
      yield `${first ? '[\n' : ',\n'}${JSON.stringify(finding)}`;
      first = false;
    }
    yield first ? '[]\n' : '\n]\n';
  },
};
