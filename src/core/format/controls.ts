import type { Finding, Frameworks, RuleSummary, ScanResult, Severity } from '../../model/index.js';

/** A rule's verdict over the scan (see docs/reports.md). */
export type ControlStatus = RuleSummary['status'];

/** An account where a rule could not be decided, and why. */
export type NotEvaluated = RuleSummary['notEvaluated'][number];

/** One row of the control matrix: a rule, its verdict, and its findings. */
export interface Control {
  id: string;
  title: string;
  severity: Severity;
  frameworks: Frameworks;
  status: ControlStatus;
  open: number;
  waived: number;
  /** Accounts where the rule was decided. */
  evaluatedAccounts: number;
  notEvaluated: readonly NotEvaluated[];
  /** The reasons of {@link notEvaluated}, each with how many accounts it applies to, most frequent first. */
  reasons: readonly { reason: string; accounts: number }[];
}

/**
 * The control matrix of a result: every effective rule with its status, plus any
 * rule that only appears in a finding (a result merged from older scans), which
 * is `failed`.
 */
export function controls(result: Pick<ScanResult, 'rules' | 'findings'>): Control[] {
  const counts: RuleCounts = new Map();
  for (const f of result.findings) countFinding(counts, f);
  return controlsFrom(result.rules, counts);
}

/** Open and waived findings per rule, with one finding of each rule (for rules only findings name). */
export type RuleCounts = Map<string, { open: number; waived: number; sample: Finding }>;

/** Counts one finding (a sum: the order findings come in does not matter). */
export function countFinding(counts: RuleCounts, f: Finding): void {
  const entry = counts.get(f.ruleId);
  if (!entry) counts.set(f.ruleId, { open: f.status === 'open' ? 1 : 0, waived: f.status === 'open' ? 0 : 1, sample: f });
  else if (f.status === 'open') entry.open++;
  else entry.waived++;
}

/** The control matrix from the rules and the counted findings (see {@link controls}). */
export function controlsFrom(ruleList: readonly RuleSummary[], counts: RuleCounts): Control[] {
  const rules: RuleSummary[] = [...ruleList];
  const known = new Set(rules.map((r) => r.id));
  for (const [id, { sample }] of counts) {
    if (!known.has(id))
      rules.push({
        id,
        title: sample.title,
        severity: sample.severity,
        parameters: {},
        frameworks: sample.frameworks,
        status: 'failed',
        evaluatedAccounts: 0,
        notEvaluated: [],
      });
  }
  return rules.map((rule) => {
    const { open = 0, waived = 0 } = counts.get(rule.id) ?? {};
    const notEvaluated = rule.notEvaluated;
    return {
      id: rule.id,
      title: rule.title,
      severity: rule.severity,
      frameworks: rule.frameworks,
      status: rule.status,
      open,
      waived,
      evaluatedAccounts: rule.evaluatedAccounts,
      notEvaluated,
      reasons: groupReasons(notEvaluated),
    };
  });
}

function groupReasons(list: readonly NotEvaluated[]): { reason: string; accounts: number }[] {
  const byReason = new Map<string, number>();
  for (const { reason } of list) byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  return [...byReason]
    .map(([reason, accounts]) => ({ reason, accounts }))
    .sort((a, b) => b.accounts - a.accounts || a.reason.localeCompare(b.reason));
}

/**
 * The reasons in one line, most frequent first: `needs a live scan: … (35 accounts);
 * account failed: … (1 account)`. With a limit (tables and summaries that must stay
 * small however many accounts failed, each for its own reason), the rest are counted.
 */
export function reasonsText(control: Pick<Control, 'reasons'>, limit = Infinity): string {
  const shown = control.reasons.slice(0, limit).map((r) => `${r.reason} (${r.accounts} account${r.accounts === 1 ? '' : 's'})`);
  const more = control.reasons.length - shown.length;
  return [
    ...shown,
    ...(more > 0 ? [`${more} other reason${more === 1 ? '' : 's'} (see credwarden-controls.csv or the JSON result)`] : []),
  ].join('; ');
}

/** How many reasons a table cell or a notification lists before counting the rest. */
export const REASONS_SHOWN = 3;

/** Controls that were not decided in every scanned account (whatever their status). */
export function undecided(list: readonly Control[]): Control[] {
  return list.filter((c) => c.notEvaluated.length > 0 || c.status === 'not-evaluated' || c.status === 'partial');
}
