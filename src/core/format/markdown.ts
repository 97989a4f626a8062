import type { AccountResult, Finding, ScanResult, Severity } from '../../model/index.js';
import { FRAMEWORKS, SEVERITIES, severityRank } from '../../model/index.js';
import { plansForReport } from '../remediation/index.js';
import { renderPlansMarkdown } from './plans/render.js';
import { waiverOutcomes, type WaiverOutcome } from '../waivers/outcome.js';
import { compareFindings } from '../engine/result.js';
import type { AccountSlice, RunHeader, Tallies } from '../pipeline/types.js';
import {
  caveated,
  controlsFrom,
  countFinding,
  countsState,
  coverageText,
  frameworkMatrices,
  REASONS_SHOWN,
  reasonsText,
  statusDetail,
  undecided,
  type Control,
  type FrameworkMatrix,
  type RuleCounts,
} from './controls.js';
import { TopN } from './top.js';
import { STATUS_EMOJI, STATUS_LABEL, STATUS_LEGEND, type AnyStatus } from './status.js';
import { escapeMarkdownCell as cell, escapeMarkdownInline as inline, guardPlainText, markdownCode as code } from '../util/escape.js';
import { openCampaigns, openTargetsCsv, TARGETS_FILE } from './plans/campaigns.js';
import { DEFAULT_MARKDOWN_ROWS, defineFormatter, type FormatContext, type FormatterEntry, type ReportSink } from './types.js';

const FRAMEWORK_LABEL: Record<(typeof FRAMEWORKS)[number], string> = {
  'cis-aws-3.0': 'CIS 3.0',
  'cis-aws-5.0': 'CIS 5.0',
  'aws-security-hub': 'Security Hub',
  'aws-config': 'AWS Config',
};

/** File name of the plans once they move out of the report (with --output-dir). */
export const PLANS_FILE = 'credwarden-plans.md';

/**
 * Plans of at most this many principals stay in the report; past it they would
 * swamp it (a plan is about 2 KiB), so they go to {@link PLANS_FILE}.
 */
export const INLINE_PLAN_PRINCIPALS = 25;

/** Whether the plans go to the campaign files: past {@link INLINE_PLAN_PRINCIPALS} principals they would swamp the report. */
function plansApart(tallies: Pick<Tallies, 'plannedPrincipals'>): boolean {
  return tallies.plannedPrincipals > INLINE_PLAN_PRINCIPALS;
}

/** A Markdown table row from cells that are already escaped. */
function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A Markdown table from a header row and data rows whose cells are already escaped. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)];
}

/**
 * The auditor's report, readable at any scale: metadata, the summary, the control
 * matrix (every rule's status), counts per account, then the findings by severity
 * (critical first) up to a row limit, remediation plans (in their own file once
 * they would swamp the report), waivers and warnings. Every value from a report
 * is escaped, so names cannot break tables, inject HTML or start a workflow command.
 */
export function formatMarkdown(result: ScanResult, context: FormatContext): Iterable<string> {
  return markdownFormatter.format(result, context);
}

/** A finding kept for the Findings table, with its account's name. */
interface Row {
  finding: Finding;
  accountName: string | undefined;
}

/** Critical first; open before waived; then the result's order (account, principal, …). */
function compareRows(a: Row, b: Row): number {
  return (
    severityRank(a.finding.severity) - severityRank(b.finding.severity) ||
    (a.finding.status === 'open' ? 0 : 1) - (b.finding.status === 'open' ? 0 : 1) ||
    compareFindings(a.finding, b.finding) ||
    a.finding.fingerprint.localeCompare(b.finding.fingerprint)
  );
}

/** What the report's sections read: the run's header and tallies, and what the sink kept. */
interface Report {
  header: RunHeader;
  tallies: Tallies;
  context: FormatContext;
  matrix: Control[];
  rows: Row[];
  resolved: Finding[];
  withBaseline: boolean;
  /** The plans, when few enough principals have one to show them inline. */
  inlinePlans?: Pick<ScanResult, 'asOf' | 'accounts' | 'findings' | 'plans'>;
}

/**
 * The report as a sink: the accounts table's rows are written account by account; the
 * sections above it (which hold totals) come from the tallies at the end; the findings
 * table keeps only its top rows by severity (--report-rows), in a bounded buffer.
 */
function openMarkdown(header: RunHeader, context: FormatContext): ReportSink {
  const limit = context.markdownRows ?? DEFAULT_MARKDOWN_ROWS;
  const counts: RuleCounts = new Map();
  const rows = new TopN<Row>(limit, compareRows);
  const resolvedRows = new TopN<Finding>(limit, (a, b) => compareFindings(a, b) || a.fingerprint.localeCompare(b.fingerprint));
  let withBaseline = false;
  const inline = new InlinePlans();
  return {
    account(slice) {
      for (const finding of slice.findings) {
        countFinding(counts, finding);
        rows.add({ finding, accountName: slice.account?.name });
        if (finding.baseline !== undefined) withBaseline = true;
      }
      for (const finding of slice.resolved ?? []) resolvedRows.add(finding);
      inline.add(slice);
      return slice.account ? guardPlainText([`${accountRow(slice.account, accountCounts(slice.findings))}\n`]) : [];
    },
    end(tallies) {
      const report: Report = {
        header,
        tallies,
        context,
        matrix: controlsFrom(tallies.rules, counts),
        rows: rows.sorted(),
        resolved: resolvedRows.sorted(),
        withBaseline,
        ...(plansApart(tallies) ? {} : { inlinePlans: inline.result(header.asOf) }),
      };
      const lines = (sections: readonly ((r: Report) => Iterable<string>)[]) =>
        guardPlainText(
          (function* () {
            for (const section of sections) for (const line of section(report)) yield `${line}\n`;
          })(),
        );
      return {
        head: lines([reportHeader, summary, controlMatrix, frameworkCoverageSection, accountsHead]),
        tail: lines([findings, resolved, plans, waivers, warnings]),
      };
    },
    state: {
      save: () => ({ counts, rows: rows.sorted(), resolved: resolvedRows.sorted(), withBaseline, inline: inline.save() }),
      absorb(saved) {
        const other = saved as { counts: RuleCounts; rows: Row[]; resolved: Finding[]; withBaseline: boolean; inline: InlineSaved };
        countsState(counts).absorb(other.counts);
        for (const row of other.rows) rows.add(row);
        for (const finding of other.resolved) resolvedRows.add(finding);
        withBaseline ||= other.withBaseline;
        inline.absorb(other.inline);
      },
    },
  };
}

/** What an {@link InlinePlans} kept, as data. */
interface InlineSaved {
  accounts: AccountResult[];
  findings: Finding[];
  plans: ScanResult['plans'];
  principals: number;
}

/** The plans of the first principals, kept only while they are few enough to show inline. */
class InlinePlans {
  private readonly accounts: AccountResult[] = [];
  private readonly findings: Finding[] = [];
  private readonly plans: ScanResult['plans'] = [];
  private principals = 0;

  add(slice: AccountSlice): void {
    if (this.principals > INLINE_PLAN_PRINCIPALS) return;
    const planned = new Set(slice.findings.filter((f) => f.status === 'open').map((f) => f.principal.arn));
    this.principals += planned.size;
    if (this.principals > INLINE_PLAN_PRINCIPALS) {
      this.accounts.length = 0;
      this.findings.length = 0;
      this.plans.length = 0;
      return;
    }
    if (slice.account) this.accounts.push(slice.account);
    this.findings.push(...slice.findings);
    this.plans.push(...slice.plans);
  }

  /** What this instance kept, for another instance to absorb (see SinkState). */
  save(): InlineSaved {
    return { accounts: this.accounts, findings: this.findings, plans: this.plans, principals: this.principals };
  }

  /** Adds another instance's plans: together they are few enough, or none is kept. */
  absorb(other: InlineSaved): void {
    this.principals += other.principals;
    if (this.principals > INLINE_PLAN_PRINCIPALS) {
      this.accounts.length = 0;
      this.findings.length = 0;
      this.plans.length = 0;
      return;
    }
    this.accounts.push(...other.accounts);
    this.findings.push(...other.findings);
    this.plans.push(...other.plans);
  }

  result(asOf: string | null): Pick<ScanResult, 'asOf' | 'accounts' | 'findings' | 'plans'> {
    const byId = (a: { accountId: string }, b: { accountId: string }) => a.accountId.localeCompare(b.accountId);
    return {
      asOf,
      accounts: [...this.accounts].sort((a, b) => a.id.localeCompare(b.id)),
      findings: [...this.findings].sort(compareFindings),
      plans: [...this.plans].sort(byId),
    };
  }
}

function* reportHeader({ header, tallies, context }: Report): Generator<string> {
  const { summary: s } = tallies;
  const asOf = header.asOf ?? 'each account at its report generation time';
  const findingsLine = `${s.open} open, ${s.waived} waived${s.new !== undefined ? `, ${s.new} new since the baseline` : ''}`;
  yield '# credwarden: IAM credential hygiene report';
  yield '';
  yield* table(
    ['Item', 'Value'],
    [
      ['Tool', cell(`credwarden ${context.toolVersion}`)],
      ['Rule pack', cell(header.pack)],
      ['Rules hash (effective rules and parameters)', code(header.rulesHash)],
      ['Evaluated as of', cell(asOf)],
      ['Findings', cell(findingsLine)],
      ['Accounts', cell(`${s.accounts.scanned} scanned, ${s.accounts.failed} failed, ${s.accounts.skipped} skipped`)],
    ],
  );
}

function* summary({ header, tallies, matrix }: Report): Generator<string> {
  const waived = tallies.waivedBySeverity;
  const { summary: s } = tallies;
  yield '';
  yield '## Summary';
  yield '';
  yield s.open === 0
    ? 'No open findings.'
    : `**${s.open} open finding${s.open === 1 ? '' : 's'}** in ${s.accounts.scanned} scanned account${s.accounts.scanned === 1 ? '' : 's'}.`;
  const notDecided = undecided(matrix);
  if (s.accounts.failed > 0) {
    yield '';
    yield `⚠️ ${s.accounts.failed} account${s.accounts.failed === 1 ? '' : 's'} could not be scanned: no rule was evaluated there (see Accounts).`;
  }
  for (const note of header.notes) {
    yield '';
    yield `> ${inline(note)}`;
  }
  const exceptions = caveated(matrix);
  if (exceptions.length > 0) {
    yield '';
    yield `⚠️ ${exceptions.length} rule${exceptions.length === 1 ? ' has' : 's have'} no open finding but did not pass: ${exceptions.map((c) => `${code(c.id, false)} (${STATUS_LABEL[c.status]})`).join(', ')} (see Controls).`;
  }
  if (notDecided.length > 0) {
    yield '';
    yield `⚠️ ${notDecided.length} rule${notDecided.length === 1 ? ' was' : 's were'} not evaluated in every account: ${notDecided.map((c) => code(c.id, false)).join(', ')}. No finding there does not mean passed (see Controls).`;
  }
  yield '';
  yield* table(
    ['Severity', 'Open', 'Waived'],
    SEVERITIES.map((sev) => [sev, String(s.bySeverity[sev]), String(waived[sev])]),
  );
}

/** Every rule with its framework ids, status, open findings and the accounts where it was not evaluated. */
export function controlMatrixRows(matrix: readonly Control[]): string[] {
  const header = ['Rule', 'Severity', 'Frameworks', 'Status', 'Open', 'Waived', 'Accounts not evaluated'];
  const rows = matrix.map((c) => [
    `${code(c.id)}<br>${cell(c.title)}`,
    c.severity,
    cell(
      FRAMEWORKS.filter((fw) => c.frameworks[fw].length > 0)
        .map((fw) => `${FRAMEWORK_LABEL[fw]} ${c.frameworks[fw].join(', ')}`)
        .join('; ') || '—',
    ),
    statusCell(c, statusDetail(c)),
    String(c.open),
    String(c.waived),
    c.notEvaluated.length > 0 ? `${c.notEvaluated.length}: ${cell(reasonsText(c, REASONS_SHOWN))}` : '0',
  ]);
  return table(header, rows);
}

/** A status with its mark and, when the status alone would mislead, what it means here. */
function statusCell(c: { status: AnyStatus }, detail = ''): string {
  return `${STATUS_EMOJI[c.status]} ${STATUS_LABEL[c.status]}${detail ? `<br>${cell(detail)}` : ''}`;
}

function* controlMatrix({ matrix }: Report): Generator<string> {
  yield '';
  yield '## Controls';
  yield '';
  yield STATUS_LEGEND;
  yield '';
  yield* controlMatrixRows(matrix);
}

/** Each framework's controls: a header with the coverage as a count, then one row per control. */
export function frameworkCoverageRows(matrices: readonly FrameworkMatrix[], heading = '###'): string[] {
  return matrices.flatMap((m) => [
    '',
    `${heading} ${cell(m.title)}`,
    '',
    cell(coverageText(m)),
    '',
    ...table(
      ['Control', 'Title', 'Rules', 'Status', 'Open', 'Waived', 'Details'],
      m.controls.map((c) => [
        cell(`${m.label} ${c.id}`),
        cell(c.title),
        [...c.rules.map((r) => code(r.id)), ...c.missingRules.map((r) => `${code(r)} (not in pack)`)].join('<br>') || '—',
        statusCell(c),
        String(c.open),
        String(c.waived),
        cell(c.detail) || '—',
      ]),
    ),
  ]);
}

function* frameworkCoverageSection({ header, matrix }: Report): Generator<string> {
  const matrices = frameworkMatrices(header, matrix);
  if (matrices.length === 0) return;
  yield '';
  yield '## Framework coverage';
  yield '';
  yield 'Every control of each framework section, as evaluated (with the status of its rules), not evaluated (with the reason) or out of scope (with the reason).';
  yield* frameworkCoverageRows(matrices);
}

/** Counts per account: one row each, however many findings (the rows are written account by account). */
function* accountsHead(): Generator<string> {
  yield '';
  yield '## Accounts';
  yield '';
  yield row(['Account', 'Name', 'OU', 'Status', 'Evaluated as of', 'Principals', ...SEVERITIES.map(capitalise), 'Waived', 'Reason']);
  yield row(Array.from({ length: 8 + SEVERITIES.length }, () => '---'));
}

function accountCounts(findings: readonly Finding[]): Record<Severity | 'waived', number> {
  const c = { critical: 0, high: 0, medium: 0, low: 0, info: 0, waived: 0 };
  for (const f of findings) {
    if (f.status === 'waived') c.waived++;
    else c[f.severity]++;
  }
  return c;
}

function accountRow(a: AccountResult, counts: Record<Severity | 'waived', number> | undefined): string {
  const n = (key: Severity | 'waived') => (a.status === 'scanned' ? String(counts?.[key] ?? 0) : '—');
  return row([
    code(a.id),
    cell(a.name ?? ''),
    cell(a.ouPath ?? ''),
    a.status,
    cell(a.asOf ?? a.reportGeneratedTime ?? ''),
    a.principals !== undefined ? String(a.principals) : '',
    ...SEVERITIES.map(n),
    n('waived'),
    cell(a.reason ?? ''),
  ]);
}

/** Findings by severity, most severe first, as full rows up to the limit; the rest counted. */
function* findings({ tallies, context, rows, withBaseline }: Report): Generator<string> {
  const total = tallies.summary.total;
  yield '';
  yield '## Findings';
  if (total === 0) {
    yield '';
    yield 'No findings.';
    return;
  }
  const limit = context.markdownRows ?? DEFAULT_MARKDOWN_ROWS;
  let shown = 0;
  for (const severity of SEVERITIES) {
    const open = tallies.summary.bySeverity[severity];
    const count = open + tallies.waivedBySeverity[severity];
    if (count === 0) continue;
    yield '';
    yield `### ${capitalise(severity)} (${open} open${count > open ? `, ${count - open} waived` : ''})`;
    const room = Math.max(0, limit - shown);
    if (room === 0) {
      yield '';
      yield `${count} finding${count === 1 ? '' : 's'} not listed (row limit ${limit}).`;
      continue;
    }
    yield '';
    yield row(['Account', 'Principal', 'Credential', 'Rule', 'Message', 'Status', ...(withBaseline ? ['Baseline'] : [])]);
    yield row(Array.from({ length: withBaseline ? 7 : 6 }, () => '---'));
    for (const r of rows.filter((r) => r.finding.severity === severity).slice(0, room))
      yield row(findingRow(r.finding, r.accountName, withBaseline));
    shown += Math.min(room, count);
    if (count > room) {
      yield '';
      yield `…and ${count - room} more ${severity} finding${count - room === 1 ? '' : 's'} (row limit ${limit}).`;
    }
  }
  if (shown < total) {
    yield '';
    yield `> ${total - shown} of ${total} findings are counted but not listed here. ${whereEveryFinding(context)}`;
  }
}

/** Where the rows that are not listed can be read. */
function whereEveryFinding(context: FormatContext): string {
  const raise = 'Raise the limit with `--report-rows N`.';
  return context.companions
    ? `Every finding is in \`credwarden.csv\` and \`credwarden.json\` when those formats are written (\`--format csv,json\`). ${raise}`
    : `Write every finding with \`--format csv\` or \`--format json\` (several at once with \`--output-dir\`). ${raise}`;
}

function findingRow(f: Finding, accountName: string | undefined, withBaseline: boolean): string[] {
  const status =
    f.status === 'waived' ? `waived: ${cell(String(f.waiver?.reason ?? ''))} (until ${cell(String(f.waiver?.expires ?? '?'))})` : 'open';
  const name = f.accountName ?? accountName;
  return [
    `${code(f.accountId)}${name ? ` ${cell(name)}` : ''}`,
    `${cell(f.principal.name)}<br>${code(f.principal.arn)}`,
    f.credential ?? '—',
    code(f.ruleId),
    cell(f.message),
    status,
    ...(withBaseline ? [f.baseline ?? ''] : []),
  ];
}

function* resolved({ tallies, context, resolved: list }: Report): Generator<string> {
  if (tallies.resolved === undefined) return;
  const total = tallies.resolved;
  yield '';
  yield '## Resolved since the baseline';
  yield '';
  if (total === 0) {
    yield 'Nothing was resolved since the baseline.';
    return;
  }
  const limit = context.markdownRows ?? DEFAULT_MARKDOWN_ROWS;
  yield* table(['Severity', 'Account', 'Principal', 'Credential', 'Rule', 'Message (baseline)'], []);
  for (const f of list.slice(0, limit)) {
    yield row([
      f.severity,
      code(f.accountId),
      `${cell(f.principal.name)}<br>${code(f.principal.arn)}`,
      f.credential ?? '—',
      code(f.ruleId),
      cell(f.message),
    ]);
  }
  if (total > limit) {
    yield '';
    yield `…and ${total - limit} more resolved findings (row limit ${limit}); \`credwarden diff\` lists them all.`;
  }
}

function* plans({ tallies, context, inlinePlans }: Report): Generator<string> {
  const principals = tallies.plannedPrincipals;
  if (principals === 0) return;
  yield '';
  yield '## Remediation plans';
  yield '';
  if (!inlinePlans) {
    yield context.companions
      ? `The plans of the ${principals} principals with open findings are campaigns, one per procedure, in [\`${PLANS_FILE}\`](${PLANS_FILE}) (each procedure's steps once, then its most severe targets), and every target is in [\`${TARGETS_FILE}\`](${TARGETS_FILE}), next to this report. One principal's full plan: \`credwarden plan RESULT.json --principal NAME_OR_ARN\`.`
      : `The plans of the ${principals} principals with open findings are not included, so this report stays readable: write them as campaigns to \`${PLANS_FILE}\` and \`${TARGETS_FILE}\` with \`--output-dir DIR\`, or run \`credwarden plan RESULT.json --principal NAME_OR_ARN\` on the JSON result for one principal's full plan.`;
    return;
  }
  // Prefer the plans the result carries (they saw the snapshot and any procedure overrides).
  // The report's summary already states the scope notes once.
  const set = { ...plansForReport(inlinePlans as ScanResult), notes: [] };
  yield `> ${inline(set.header)}`;
  yield '';
  yield renderPlansMarkdown(set, { headingLevel: 2, omitTitle: true }).trimEnd();
}

function* waivers({ tallies }: Report): Generator<string> {
  const outcomes = waiverOutcomes({ waivers: tallies.waivers ? [...tallies.waivers] : undefined } as ScanResult);
  if (outcomes.length === 0) return;
  const rows = (state: WaiverOutcome['state']) =>
    outcomes
      .filter((w) => w.state === state)
      .map((w) => [
        code(w.rule),
        code(w.account),
        code(w.principal),
        cell(w.credential ?? 'any'),
        cell(w.reason),
        cell(w.approvedBy ?? ''),
        cell(w.expires),
        String(w.matched),
        cell(w.source ?? ''),
      ]);
  const header = ['Rule', 'Account', 'Principal', 'Credential', 'Reason', 'Approved by', 'Expires', 'Findings matched', 'Source'];
  const part = (title: string, state: WaiverOutcome['state'], empty: string) => {
    const r = rows(state);
    return ['', `### ${title}`, '', ...(r.length > 0 ? table(header, r) : [empty])];
  };
  yield '';
  yield '## Waivers';
  yield* part('In force', 'active', 'No waiver in force.');
  yield* part('Expired (no longer applied)', 'expired', 'No expired waiver.');
  yield* part('Stale (matched no finding)', 'stale', 'No stale waiver.');
}

function* warnings({ tallies }: Report): Generator<string> {
  if (!tallies.warnings || tallies.warnings.length === 0) return;
  yield '';
  yield '## Warnings';
  yield '';
  for (const w of tallies.warnings) yield `- ${inline(w)}`;
}

function capitalise(text: string): string {
  return `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;
}

/** The auditor's Markdown report. */
export const markdownFormatter: FormatterEntry = defineFormatter({
  name: 'markdown',
  aliases: ['md'],
  description: "auditor's report: summary, control matrix, accounts, findings by severity, plans, waivers",
  extension: 'md',
  infersFrom: ['md', 'markdown'],
  open: openMarkdown,
  // Once the plans would swamp the report they become campaigns: credwarden-plans.md gives each
  // procedure's steps once and its first targets, credwarden-targets.csv lists every target.
  openCompanions: (header) => [
    { name: PLANS_FILE, sink: openCampaigns(header, plansApart) },
    { name: TARGETS_FILE, sink: openTargetsCsv(header, plansApart) },
  ],
});
