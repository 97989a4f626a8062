import type { Deviation, Finding, Frameworks, RuleSummary, ScanResult, Severity } from '../../model/index.js';
import { ruleStatus } from '../engine/coverage.js';
import type { AnyStatus } from './status.js';
import type { SinkState } from './types.js';

/** A rule's verdict over the scan (see docs/reports.md). */
export type ControlStatus = RuleSummary['status'];

/** An account where a rule could not be decided, and why. */
export type NotEvaluated = RuleSummary['notEvaluated'][number];

/** The waivers that turned a failure into an accepted exception. */
export interface Acceptance {
  /** The earliest expiry among the waivers. */
  until: string;
  /** Who approved them (approvedBy), each once; empty when no waiver names an approver. */
  approvers: string[];
  /** Waiver ids, each once. */
  waivers: string[];
}

/** One row of the control matrix: a rule, its verdict, and its findings. */
export interface Control {
  id: string;
  title: string;
  severity: Severity;
  frameworks: Frameworks;
  status: ControlStatus;
  open: number;
  waived: number;
  /** Set when waived findings are the rule's only findings (status `accepted`) or beside open ones. */
  acceptance?: Acceptance;
  /** Where the parameters in force are looser than a framework's (status `deviates` unless worse). */
  deviations: readonly Deviation[];
  /** Accounts where the rule was decided. */
  evaluatedAccounts: number;
  notEvaluated: readonly NotEvaluated[];
  /** The reasons of {@link notEvaluated}, each with how many accounts it applies to, most frequent first. */
  reasons: readonly { reason: string; accounts: number }[];
}

/** What the matrix needs of a rule's findings: counts, one sample, and who accepted the waived ones. */
export interface RuleCount {
  open: number;
  waived: number;
  /** One finding of the rule (for rules that only findings name: a result merged from older scans). */
  sample: Finding;
  /** The waivers of the waived findings, kept as sets: bounded by the waivers file, not by findings. */
  acceptance?: { until?: string; approvers: Set<string>; waivers: Set<string> };
}

/** Open and waived findings per rule (see {@link RuleCount}). */
export type RuleCounts = Map<string, RuleCount>;

/**
 * Counts one finding. Every part is order-free (sums, a minimum, sets rendered sorted), so the
 * matrix is the same whatever order accounts arrive in.
 */
export function countFinding(counts: RuleCounts, f: Finding): void {
  let entry = counts.get(f.ruleId);
  if (!entry) {
    entry = { open: 0, waived: 0, sample: f };
    counts.set(f.ruleId, entry);
  }
  if (f.status === 'open') {
    entry.open++;
    return;
  }
  entry.waived++;
  const acceptance = (entry.acceptance ??= { approvers: new Set(), waivers: new Set() });
  const waiver = f.waiver;
  if (!waiver) return;
  if (acceptance.until === undefined || waiver.expires < acceptance.until) acceptance.until = waiver.expires;
  if (typeof waiver.approvedBy === 'string' && waiver.approvedBy !== '') acceptance.approvers.add(waiver.approvedBy);
  acceptance.waivers.add(waiver.id);
}

/**
 * The counts as a sink's organisation state ({@link SinkState}): saved as they are (a Map of
 * plain counts and Sets crosses threads), absorbed by adding: sums, the earliest expiry, set
 * unions. A rule's sample is only read for rules the run does not define (merged results).
 */
export function countsState(counts: RuleCounts): SinkState {
  return {
    save: () => counts,
    absorb(saved) {
      for (const [id, other] of saved as RuleCounts) {
        const entry = counts.get(id);
        if (!entry) {
          counts.set(id, other);
          continue;
        }
        entry.open += other.open;
        entry.waived += other.waived;
        if (!other.acceptance) continue;
        const acceptance = (entry.acceptance ??= { approvers: new Set(), waivers: new Set() });
        const until = other.acceptance.until;
        if (until !== undefined && (acceptance.until === undefined || until < acceptance.until)) acceptance.until = until;
        for (const a of other.acceptance.approvers) acceptance.approvers.add(a);
        for (const w of other.acceptance.waivers) acceptance.waivers.add(w);
      }
    },
  };
}

function acceptanceOf(count: RuleCount | undefined): Acceptance | undefined {
  const acceptance = count?.acceptance;
  if (!acceptance) return undefined;
  return {
    until: acceptance.until ?? 'no expiry recorded',
    approvers: [...acceptance.approvers].sort(),
    waivers: [...acceptance.waivers].sort(),
  };
}

/**
 * The control matrix of a result: every effective rule with its status, plus any
 * rule that only appears in a finding (a result merged from older scans). The status is
 * decided here from the findings, the coverage and the deviations (engine/coverage.ts
 * ruleStatus), so a result written before `accepted` and `deviates` existed reads right too.
 */
export function controls(result: Pick<ScanResult, 'rules' | 'findings'>): Control[] {
  const counts: RuleCounts = new Map();
  for (const f of result.findings) countFinding(counts, f);
  return controlsFrom(result.rules, counts);
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
    const count = counts.get(rule.id);
    const { open = 0, waived = 0 } = count ?? {};
    const deviations = rule.deviations ?? [];
    const notEvaluated = rule.notEvaluated;
    const acceptance = acceptanceOf(count);
    const status = known.has(rule.id) ? ruleStatus({ open, waived, deviations }, rule) : open > 0 ? 'failed' : 'accepted';
    return {
      id: rule.id,
      title: rule.title,
      severity: rule.severity,
      frameworks: rule.frameworks,
      status,
      open,
      waived,
      ...(acceptance ? { acceptance } : {}),
      deviations,
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

/** Controls that must never be read as passed although they have no open finding: accepted exceptions and looser parameters. */
export function caveated(list: readonly Control[]): Control[] {
  return list.filter((c) => c.status === 'accepted' || c.status === 'deviates');
}

/** "failed, exception accepted until 2026-12-31 by ciso@example.com (SEC-101)". */
export function acceptanceText(acceptance: Acceptance): string {
  const by = acceptance.approvers.length > 0 ? ` by ${acceptance.approvers.join(', ')}` : ' (no approver recorded)';
  const ids = acceptance.waivers.length > 0 ? ` (${acceptance.waivers.join(', ')})` : '';
  return `failed, exception accepted until ${acceptance.until}${by}${ids}`;
}

/**
 * What a status does not say by itself, in one line: the accepted exception, the looser
 * parameters, the control's difference from the framework's audit. Empty when nothing.
 */
export function statusDetail(control: Pick<Control, 'status' | 'acceptance' | 'deviations'>, difference?: string): string {
  return [
    ...(control.acceptance && (control.status === 'accepted' || control.status === 'failed') ? [acceptanceText(control.acceptance)] : []),
    ...control.deviations.map((d) => d.text),
    ...(difference ? [`differs from the framework's audit: ${difference}`] : []),
  ].join('; ');
}

/** One control of a framework catalogue, with its status in this result. */
export interface FrameworkControl {
  framework: string;
  /** The framework's short label, e.g. "CIS 3.0". */
  label: string;
  id: string;
  title: string;
  status: AnyStatus;
  /** The catalogue's rules for the control that ran in this scan. */
  rules: readonly Control[];
  /** The catalogue's rules that did not run (not in the pack). */
  missingRules: readonly string[];
  open: number;
  waived: number;
  acceptance?: Acceptance;
  /** The deviations of this control only. */
  deviations: readonly Deviation[];
  /** Why not evaluated / out of scope, or where it differs from the framework's audit; empty when nothing to say. */
  detail: string;
  /** Accounts where a rule of this control was not decided. */
  notEvaluatedAccounts: number;
}

/** A framework's controls with their status and the coverage counts its matrix header states. */
export interface FrameworkMatrix {
  id: string;
  title: string;
  label: string;
  section: string;
  controls: FrameworkControl[];
  coverage: { total: number; evaluated: number; notEvaluated: number; outOfScope: number };
}

const PRECEDENCE: readonly ControlStatus[] = ['failed', 'accepted', 'deviates'];

/** A control's status from its rules' (each for this control only): the worst wins, passed only when every rule passed. */
function combined(statuses: readonly ControlStatus[]): ControlStatus {
  for (const s of PRECEDENCE) if (statuses.includes(s)) return s;
  if (statuses.every((s) => s === 'not-evaluated')) return 'not-evaluated';
  return statuses.every((s) => s === 'passed') ? 'passed' : 'partial';
}

/**
 * The framework control matrices of a result (its `frameworkCoverage`, from frameworks/*.yaml):
 * every control of each framework, evaluated (with the status of its rules for this control),
 * not evaluated (with the reason: no rule yet, or its rules are not in the pack), or out of
 * scope (with the reason). Empty for results written before the catalogues.
 */
export function frameworkMatrices(
  result: Pick<ScanResult, 'frameworkCoverage' | 'pack'> & { rules?: unknown; findings?: unknown },
  list: readonly Control[] = controls(result as Pick<ScanResult, 'rules' | 'findings'>),
): FrameworkMatrix[] {
  const byId = new Map(list.map((c) => [c.id, c]));
  return (result.frameworkCoverage ?? coverageFromRules(list)).map((fw) => {
    const rows = fw.controls.map((entry): FrameworkControl => {
      const ran = entry.rules.map((id) => byId.get(id)).filter((c): c is Control => c !== undefined);
      const missingRules = entry.rules.filter((id) => !byId.has(id));
      const base = { framework: fw.id, label: fw.label, id: entry.id, title: entry.title, rules: ran, missingRules };
      if (entry.outOfScope !== undefined)
        return { ...base, status: 'out-of-scope', open: 0, waived: 0, deviations: [], detail: entry.outOfScope, notEvaluatedAccounts: 0 };
      if (ran.length === 0) {
        const detail =
          entry.notEvaluated ?? `rule${missingRules.length === 1 ? '' : 's'} ${missingRules.join(', ')} not in pack ${result.pack}`;
        return { ...base, status: 'not-evaluated', open: 0, waived: 0, deviations: [], detail, notEvaluatedAccounts: 0 };
      }
      const ofControl = (c: Control) => c.deviations.filter((d) => d.framework === fw.id && d.control === entry.id);
      const deviations = ran.flatMap(ofControl);
      // A rule looser than another framework's control is not looser for this one.
      const statuses = ran.map((c) => ruleStatus({ open: c.open, waived: c.waived, deviations: ofControl(c) }, c));
      const status = missingRules.length > 0 ? combined([...statuses, 'not-evaluated']) : combined(statuses);
      const acceptances = ran.map((c) => c.acceptance).filter((a): a is Acceptance => a !== undefined);
      const acceptance = acceptances.length === 0 ? undefined : mergeAcceptances(acceptances);
      const detail = [
        statusDetail({ status, deviations, ...(acceptance ? { acceptance } : {}) }, entry.difference),
        ...(missingRules.length > 0 ? [`not in pack ${result.pack}: ${missingRules.join(', ')}`] : []),
        ...ran
          .filter((c) => c.reasons.length > 0)
          .map(
            (c) =>
              `${c.id} not evaluated in ${c.notEvaluated.length} account${c.notEvaluated.length === 1 ? '' : 's'}: ${reasonsText(c, REASONS_SHOWN)}`,
          ),
      ]
        .filter((t) => t !== '')
        .join('; ');
      const accounts = new Set(ran.flatMap((c) => c.notEvaluated.map((n) => n.accountId)));
      return {
        ...base,
        status,
        open: ran.reduce((n, c) => n + c.open, 0),
        waived: ran.reduce((n, c) => n + c.waived, 0),
        ...(acceptance ? { acceptance } : {}),
        deviations,
        detail,
        notEvaluatedAccounts: accounts.size,
      };
    });
    const outOfScope = rows.filter((r) => r.status === 'out-of-scope').length;
    const notEvaluated = rows.filter((r) => r.status === 'not-evaluated').length;
    return {
      id: fw.id,
      title: fw.title,
      label: fw.label,
      section: fw.section,
      controls: rows,
      coverage: { total: rows.length, evaluated: rows.length - outOfScope - notEvaluated, notEvaluated, outOfScope },
    };
  });
}

/** Frameworks a result written before the catalogues still shows, from its rules' mappings. */
const LEGACY_FRAMEWORKS = [
  ['cis-aws-3.0', 'CIS AWS Foundations Benchmark 3.0', 'CIS 3.0'],
  ['cis-aws-5.0', 'CIS AWS Foundations Benchmark 5.0', 'CIS 5.0'],
  ['aws-security-hub', 'AWS Security Hub controls', 'Security Hub'],
] as const;

/** For a result without `frameworkCoverage`: the controls its rules map to (the rest of each framework is unknown). */
function coverageFromRules(list: readonly Control[]): NonNullable<ScanResult['frameworkCoverage']> {
  return LEGACY_FRAMEWORKS.map(([id, title, label]) => {
    const byControl = new Map<string, string[]>();
    for (const c of list) for (const control of c.frameworks[id] ?? []) byControl.set(control, [...(byControl.get(control) ?? []), c.id]);
    const controls = [...byControl]
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([control, rules]) => ({ id: control, title: '', rules }));
    return { id, title, label, section: 'controls mapped by the rules of this result (written before framework catalogues)', controls };
  }).filter((fw) => fw.controls.length > 0);
}

function mergeAcceptances(list: readonly Acceptance[]): Acceptance {
  return {
    until: list.map((a) => a.until).sort()[0] as string,
    approvers: [...new Set(list.flatMap((a) => a.approvers))],
    waivers: [...new Set(list.flatMap((a) => a.waivers))],
  };
}

/** The line a framework matrix starts with: "CIS 3.0 (1 Identity and Access Management): 22 controls; 9 evaluated by this scan, 3 not evaluated, 10 out of scope." */
export function coverageText(matrix: FrameworkMatrix): string {
  const c = matrix.coverage;
  return `${matrix.title}, ${matrix.section}: ${c.total} controls; ${c.evaluated} evaluated by this scan, ${c.notEvaluated} not evaluated, ${c.outOfScope} out of scope.`;
}
