import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { fallbackObservedTime, observedTime, toAsff, type AsffContext } from '../securityhub/asff.js';
import type { AccountSlice, RunHeader } from '../pipeline/types.js';
import { recordArraySink, type RecordSource } from './records.js';
import { defineFormatter, type FormatContext, type FormatterEntry } from './types.js';

/** Region used in ProductArns when the caller names none (AWS_REGION, --region). */
export const DEFAULT_ASFF_REGION = 'us-east-1';

/**
 * The findings in the AWS Security Finding Format: a JSON array ready for Security Hub's
 * BatchImportFindings (`aws securityhub batch-import-findings --findings file://…`, 100 at a
 * time), one finding per line, account by account: its findings (ACTIVE), then, with a
 * baseline, its findings resolved since (ARCHIVED). `credwarden publish securityhub` does the
 * batching, the per-account roles and the archiving for you.
 */
export const asffFormatter: FormatterEntry = defineFormatter({
  name: 'asff',
  description: 'AWS Security Finding Format for Security Hub BatchImportFindings (see `credwarden publish securityhub`)',
  extension: 'asff.json',
  open: (header, context) => recordArraySink(asffSource(header, context)),
});

/**
 * Each account's records as it comes. An account that states no time (a hand-edited result)
 * takes the latest account's time, known only at the end: its records are written last.
 */
function asffSource(header: RunHeader, context: FormatContext): RecordSource {
  const base = {
    region: context.awsRegion ?? DEFAULT_ASFF_REGION,
    toolVersion: context.toolVersion,
    rules: new Map(header.rules.map((rule) => [rule.id, rule])),
  };
  const undated: AccountSlice[] = [];
  let latest: string | undefined;
  return {
    account(slice) {
      const time = observedTime(slice.account, header.asOf);
      if (time === undefined) {
        if (slice.findings.length > 0 || (slice.resolved ?? []).length > 0) undated.push(slice);
        return [];
      }
      if (latest === undefined || time > latest) latest = time;
      return accountRecords(slice, { ...base, observedAt: new Map([[slice.id, time]]), fallbackTime: time, plans: plansOf(slice) });
    },
    *end() {
      const fallbackTime = fallbackObservedTime(header.asOf, latest);
      for (const slice of undated.sort((a, b) => a.id.localeCompare(b.id)))
        yield* accountRecords(slice, { ...base, observedAt: new Map(), fallbackTime, plans: plansOf(slice) });
    },
    state: {
      save: () => ({ undated: undated.map(ownPlans), latest }),
      absorb(saved) {
        const other = saved as { undated: AccountSlice[]; latest: string | undefined };
        undated.push(...other.undated);
        if (other.latest !== undefined && (latest === undefined || other.latest > latest)) latest = other.latest;
      },
    },
  };
}

function* accountRecords(slice: AccountSlice, context: AsffContext): Generator<AwsSecurityFinding> {
  for (const f of slice.findings) yield toAsff(f, context);
  for (const f of slice.resolved ?? []) yield toAsff(f, context, 'ARCHIVED');
}

/** A slice whose plans are its own data (a scan's slice makes them when read), so it can be saved. */
function ownPlans(slice: AccountSlice): AccountSlice {
  return { ...slice, plans: [...slice.plans] };
}

function plansOf(slice: AccountSlice): AsffContext['plans'] {
  return new Map(slice.plans.map((plan) => [plan.id, plan]));
}
