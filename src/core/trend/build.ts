/**
 * The trend over a series of results: what was open at each scan, what appeared and what was
 * resolved between scans (by fingerprint), how long each rule's findings took to remediate,
 * which findings have been open longest, and which accounts stopped being scanned. Pure: every
 * time comes from the results' as-of, never the clock.
 */
import type { Finding, ScanResult, Severity } from '../../model/index.js';
import { InputError, SEVERITIES, severityRank } from '../../model/index.js';
import { mergeResults } from '../baseline/merge.js';
import { DAY_MS, formatTimestamp } from '../util/time.js';

/** A result and where it came from (a file name, for messages and labels). */
export interface TrendInput {
  label: string;
  result: ScanResult;
}

/** One scan of the series. */
export interface TrendPoint {
  label: string;
  /** The scan's as-of time (ISO). */
  asOf: string;
  open: Record<Severity, number>;
  openTotal: number;
  waived: number;
  /** Findings (open or waived) not in the previous scan; every finding for the first scan. */
  new: number;
  /** Findings of the previous scan that are gone, in accounts this scan scanned. */
  resolved: number;
  accounts: { scanned: number; failed: number; skipped: number };
}

/** Time to remediate the findings of one rule (first seen → resolved). */
export interface RuleRemediation {
  ruleId: string;
  title: string;
  severity: Severity;
  /** Findings resolved within the series, and the days each took: median and worst. */
  resolved: number;
  medianDays: number | null;
  worstDays: number | null;
  /** Findings of the rule still open at the last scan. */
  stillOpen: number;
}

/** An open finding of the last scan, with how long it has been seen. */
export interface AgedFinding {
  ruleId: string;
  severity: Severity;
  accountId: string;
  accountName: string | null;
  principal: string;
  credential: string | null;
  fingerprint: string;
  firstSeen: string;
  ageDays: number;
}

/** An account scanned earlier in the series that the last scan did not scan. */
export interface LostAccount {
  accountId: string;
  name: string | null;
  lastScanned: string;
  /** What the last scan says: `failed: reason`, `skipped: reason`, or `absent`. */
  now: string;
}

/** The whole trend. */
export interface Trend {
  points: TrendPoint[];
  rules: RuleRemediation[];
  oldestOpen: AgedFinding[];
  lostAccounts: LostAccount[];
}

/** The as-of time of a result: the --as-of override, else the newest account as-of or report time. */
export function resultAsOf(result: ScanResult): string | undefined {
  if (result.asOf) return result.asOf;
  const times = result.accounts
    .flatMap((a) => [a.asOf, a.reportGeneratedTime])
    .filter((t): t is string => typeof t === 'string' && !Number.isNaN(Date.parse(t)));
  return times.sort((a, b) => Date.parse(a) - Date.parse(b)).pop();
}

/**
 * Unmerged shards of one scan (same rules, same as-of, `shard` set) become one result through
 * `mergeResults`, which refuses missing or inconsistent shards; merged results pass through.
 */
function combineShards(inputs: readonly TrendInput[]): TrendInput[] {
  const groups = new Map<string, TrendInput[]>();
  const out: TrendInput[] = [];
  for (const input of inputs) {
    const shard = input.result.shard;
    if (!shard) {
      out.push(input);
      continue;
    }
    const key = `${input.result.rulesHash}|${resultAsOf(input.result) ?? ''}|${shard.count}`;
    const group = groups.get(key);
    if (group) group.push(input);
    else groups.set(key, [input]);
  }
  for (const group of groups.values()) {
    const merged = mergeResults(group.map((g) => ({ file: g.label, result: g.result })));
    out.push({ label: group.map((g) => g.label).join('+'), result: merged });
  }
  return out;
}

function severityCounts(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) if (f.status === 'open') counts[f.severity] += 1;
  return counts;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const round1 = (days: number) => Math.round(days * 10) / 10;

/** Sorted scans with their times; refuses a result without any time. @throws InputError */
function orderedScans(inputs: readonly TrendInput[]): { label: string; result: ScanResult; asOf: string; ms: number }[] {
  const missing = inputs.filter((i) => resultAsOf(i.result) === undefined);
  if (missing.length > 0) {
    throw new InputError(
      missing.map((i) => ({
        severity: 'error' as const,
        file: i.label,
        message: 'the result has no as-of time (no --as-of and no account report time)',
        suggestion: 'scan with --as-of, or from credential reports that carry their generated time',
      })),
      'results without a time',
    );
  }
  return combineShards(inputs)
    .map((i) => {
      const asOf = resultAsOf(i.result) as string;
      return { ...i, asOf: formatTimestamp(Date.parse(asOf)), ms: Date.parse(asOf) };
    })
    .sort((a, b) => a.ms - b.ms || a.label.localeCompare(b.label));
}

/**
 * Builds the trend of a series of results (any order: they are sorted by as-of).
 * @param top how many of the oldest open findings to list
 * @throws InputError when a result has no time, or shards of one scan are incomplete
 */
export function buildTrend(inputs: readonly TrendInput[], top = 10): Trend {
  const scans = orderedScans(inputs);
  const points: TrendPoint[] = [];
  /** First time each fingerprint was seen in its current episode (reset when resolved). */
  const firstSeen = new Map<string, number>();
  const remediationDays = new Map<string, number[]>();
  const ruleInfo = new Map<string, { title: string; severity: Severity }>();
  let previous: Map<string, Finding> = new Map();
  for (const scan of scans) {
    const current = new Map(scan.result.findings.map((f) => [f.fingerprint, f]));
    const scanned = new Set(scan.result.accounts.filter((a) => a.status === 'scanned').map((a) => a.id));
    let added = 0;
    let resolved = 0;
    for (const [fingerprint, f] of current) {
      ruleInfo.set(f.ruleId, { title: f.title, severity: f.severity });
      if (!previous.has(fingerprint)) added += 1;
      if (!firstSeen.has(fingerprint)) firstSeen.set(fingerprint, scan.ms);
    }
    for (const [fingerprint, f] of previous) {
      if (current.has(fingerprint)) continue;
      if (!scanned.has(f.accountId)) {
        // Not scanned this time: unknown, not resolved; keep it as it was.
        current.set(fingerprint, f);
        continue;
      }
      resolved += 1;
      const since = firstSeen.get(fingerprint) ?? scan.ms;
      // Appended in place: copying the list for each resolved finding made trend quadratic (issue 20 item 11).
      const days = remediationDays.get(f.ruleId);
      if (days) days.push((scan.ms - since) / DAY_MS);
      else remediationDays.set(f.ruleId, [(scan.ms - since) / DAY_MS]);
      firstSeen.delete(fingerprint);
    }
    const summary = scan.result.summary.accounts;
    const findings = scan.result.findings;
    points.push({
      label: scan.label,
      asOf: scan.asOf,
      open: severityCounts(findings),
      openTotal: findings.filter((f) => f.status === 'open').length,
      waived: findings.filter((f) => f.status === 'waived').length,
      new: added,
      resolved,
      accounts: { scanned: summary.scanned, failed: summary.failed, skipped: summary.skipped },
    });
    previous = current;
  }
  const last = scans[scans.length - 1];
  const lastFindings = last?.result.findings ?? [];
  return {
    points,
    rules: ruleRemediation(ruleInfo, remediationDays, lastFindings),
    oldestOpen: last ? oldestOpen(lastFindings, firstSeen, last.ms, top) : [],
    lostAccounts: lostAccounts(scans),
  };
}

function ruleRemediation(
  info: Map<string, { title: string; severity: Severity }>,
  days: Map<string, number[]>,
  lastFindings: readonly Finding[],
): RuleRemediation[] {
  // Counted once, not filtered again for every rule.
  const stillOpen = new Map<string, number>();
  for (const f of lastFindings) if (f.status === 'open') stillOpen.set(f.ruleId, (stillOpen.get(f.ruleId) ?? 0) + 1);
  return [...info.entries()]
    .map(([ruleId, { title, severity }]) => {
      const list = days.get(ruleId) ?? [];
      const med = median(list);
      return {
        ruleId,
        title,
        severity,
        resolved: list.length,
        medianDays: med === null ? null : round1(med),
        // A loop, not Math.max(...list): spreading 200,000 arguments overflows the stack.
        worstDays: list.length === 0 ? null : round1(list.reduce((a, b) => (b > a ? b : a), Number.NEGATIVE_INFINITY)),
        stillOpen: stillOpen.get(ruleId) ?? 0,
      };
    })
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.ruleId.localeCompare(b.ruleId));
}

function oldestOpen(findings: readonly Finding[], firstSeen: Map<string, number>, lastMs: number, top: number): AgedFinding[] {
  return findings
    .filter((f) => f.status === 'open')
    .map((f) => {
      const seen = firstSeen.get(f.fingerprint) ?? lastMs;
      return {
        ruleId: f.ruleId,
        severity: f.severity,
        accountId: f.accountId,
        accountName: f.accountName ?? null,
        principal: f.principal.name,
        credential: f.credential,
        fingerprint: f.fingerprint,
        firstSeen: formatTimestamp(seen),
        ageDays: round1((lastMs - seen) / DAY_MS),
      };
    })
    .sort(
      (a, b) => b.ageDays - a.ageDays || severityRank(a.severity) - severityRank(b.severity) || a.fingerprint.localeCompare(b.fingerprint),
    )
    .slice(0, top);
}

function lostAccounts(scans: readonly { result: ScanResult; asOf: string }[]): LostAccount[] {
  const last = scans[scans.length - 1];
  if (!last) return [];
  const lastScan = new Map(last.result.accounts.map((a) => [a.id, a]));
  const seen = new Map<string, { name: string | null; lastScanned: string }>();
  for (const scan of scans.slice(0, -1)) {
    for (const a of scan.result.accounts) if (a.status === 'scanned') seen.set(a.id, { name: a.name ?? null, lastScanned: scan.asOf });
  }
  return [...seen.entries()]
    .filter(([id]) => lastScan.get(id)?.status !== 'scanned')
    .map(([accountId, { name, lastScanned }]) => {
      const now = lastScan.get(accountId);
      return { accountId, name, lastScanned, now: now ? `${now.status}${now.reason ? `: ${now.reason}` : ''}` : 'absent' };
    })
    .sort((a, b) => a.accountId.localeCompare(b.accountId));
}
