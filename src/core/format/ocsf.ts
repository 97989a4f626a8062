import type { AccountResult } from '../../model/index.js';
import type { AccountSlice, RunHeader } from '../pipeline/types.js';
import {
  accountTime,
  complianceFinding,
  countsByRule,
  detectionFinding,
  fallbackTime,
  type OcsfContext,
  type OcsfEvent,
  type RuleAccountCounts,
} from './ocsf-map.js';
import { recordArraySink, type RecordSource } from './records.js';
import { defineFormatter, type FormatContext, type FormatterEntry } from './types.js';

/**
 * OCSF 1.5 events for AWS Security Lake, Security Hub and SIEMs: a JSON array of Detection
 * Findings (class 2004, one per finding, account by account: its findings, then those resolved
 * since the baseline) followed by Compliance Findings (class 2003, one per rule and account,
 * written at the end: they carry each rule's status over the run). One event per line, each
 * built as it is written: neither the events nor the array are held.
 */
export const ocsfFormatter: FormatterEntry = defineFormatter({
  name: 'ocsf',
  description: 'OCSF 1.5 Detection Findings (2004) and per-account Compliance Findings (2003), for Security Lake and SIEMs',
  extension: 'ocsf.json',
  open: (header, context) => recordArraySink(ocsfSource(header, context)),
});

/** What a Compliance Finding needs of an account that was not skipped: a few fields and its counts by rule. */
interface AccountVerdicts {
  account: Pick<AccountResult, 'id' | 'name' | 'ouPath'>;
  time: number | undefined;
  counts: Map<string, RuleAccountCounts>;
}

/**
 * Detection Findings as each account comes; the Compliance Findings at the end, from what each
 * account left (its counts by rule: rules × accounts at most, never the findings). An account
 * that states no time (a hand-edited result) takes the latest account's, known only at the
 * end: its Detection Findings are written last.
 */
function ocsfSource(header: RunHeader, context: FormatContext): RecordSource {
  const base = {
    toolVersion: context.toolVersion,
    ...(context.awsRegion ? { region: context.awsRegion } : {}),
    rules: new Map(header.rules.map((rule) => [rule.id, rule])),
  };
  const verdicts: AccountVerdicts[] = [];
  const undated: AccountSlice[] = [];
  let latest: number | undefined;
  const contextOf = (slice: AccountSlice, times: OcsfContext['times'], fallback: number): OcsfContext => ({
    ...base,
    accounts: new Map(slice.account ? [[slice.id, slice.account]] : []),
    plans: new Map(slice.plans.map((plan) => [plan.id, plan])),
    times,
    fallbackTime: fallback,
  });
  return {
    account(slice) {
      const time = accountTime(slice.account, header.asOf);
      if (slice.account && slice.account.status !== 'skipped') {
        const { id, name, ouPath } = slice.account;
        verdicts.push({ account: { id, name, ouPath }, time, counts: countsByRule(slice.findings) });
      }
      if (time === undefined) {
        if (slice.findings.length > 0 || (slice.resolved ?? []).length > 0) undated.push(slice);
        return [];
      }
      if (latest === undefined || time > latest) latest = time;
      return detections(slice, contextOf(slice, new Map([[slice.id, time]]), time));
    },
    *end(tallies) {
      const fallback = fallbackTime(header.asOf, latest);
      for (const slice of undated.sort((a, b) => a.id.localeCompare(b.id))) yield* detections(slice, contextOf(slice, new Map(), fallback));
      const accounts = verdicts.sort((a, b) => a.account.id.localeCompare(b.account.id));
      const times = new Map(accounts.flatMap((v) => (v.time === undefined ? [] : [[v.account.id, v.time] as const])));
      const context: OcsfContext = { ...base, accounts: new Map(), plans: new Map(), times, fallbackTime: fallback };
      for (const rule of tallies.rules)
        for (const { account, counts } of accounts) yield complianceFinding(rule, account, counts.get(rule.id), context);
    },
    state: {
      save: () => ({ verdicts, undated: undated.map((slice) => ({ ...slice, plans: [...slice.plans] })), latest }),
      absorb(saved) {
        const other = saved as { verdicts: AccountVerdicts[]; undated: AccountSlice[]; latest: number | undefined };
        verdicts.push(...other.verdicts);
        undated.push(...other.undated);
        if (other.latest !== undefined && (latest === undefined || other.latest > latest)) latest = other.latest;
      },
    },
  };
}

function* detections(slice: AccountSlice, context: OcsfContext): Generator<OcsfEvent> {
  for (const f of slice.findings) yield detectionFinding(f, context);
  for (const f of slice.resolved ?? []) yield detectionFinding(f, context, 'resolved');
}
