import { resultToAsff } from '../securityhub/asff.js';
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
    const findings = resultToAsff(result, context.awsRegion ?? DEFAULT_ASFF_REGION, context.toolVersion);
    if (findings.length === 0) {
      yield '[]\n';
      return;
    }
    // One finding per piece: the array is never joined into one string.
    for (const [i, finding] of findings.entries()) yield `${i === 0 ? '[\n' : ',\n'}${JSON.stringify(finding)}`;
    yield '\n]\n';
  },
};
