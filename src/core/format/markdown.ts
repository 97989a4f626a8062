import type { AccountResult, Finding, ScanResult, Severity } from '../../model/index.js';
import { FRAMEWORKS, SEVERITIES } from '../../model/index.js';
import { plansForReport, renderPlansMarkdown } from '../remediation/index.js';
import { waiverOutcomes, type WaiverOutcome } from '../waivers/outcome.js';
import {
  caveated,
  controls,
  coverageText,
  frameworkMatrices,
  REASONS_SHOWN,
  reasonsText,
  statusDetail,
  undecided,
  type Control,
  type FrameworkMatrix,
} from './controls.js';
import { STATUS_EMOJI, STATUS_LABEL, STATUS_LEGEND, type AnyStatus } from './status.js';
import { escapeMarkdownCell as cell, escapeMarkdownInline as inline, guardPlainText, markdownCode as code } from '../util/escape.js';
import { formatCampaigns, formatTargetsCsv, TARGETS_FILE } from './plans/campaigns.js';
import { DEFAULT_MARKDOWN_ROWS, type CompanionFile, type FormatContext, type FormatterEntry } from './types.js';

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
  return guardPlainText(markdownSections(result, context));
}

function* markdownSections(result: ScanResult, context: FormatContext): Generator<string> {
  const matrix = controls(result);
  const sections: (() => Iterable<string>)[] = [
    () => header(result, context),
    () => summary(result, matrix),
    () => controlMatrix(matrix),
    () => frameworkCoverageSection(frameworkMatrices(result, matrix)),
    () => accounts(result),
    () => findings(result, context),
    () => resolved(result, context),
    () => plans(result, context),
    () => waivers(waiverOutcomes(result)),
    () => warnings(result),
  ];
  let first = true;
  for (const section of sections) {
    for (const line of section()) {
      yield first ? line : `\n${line}`;
      first = false;
    }
  }
  yield '\n';
}

function* header(result: ScanResult, context: FormatContext): Generator<string> {
  const { summary: s } = result;
  const asOf = result.asOf ?? 'each account at its report generation time';
  const findingsLine = `${s.open} open, ${s.waived} waived${s.new !== undefined ? `, ${s.new} new since the baseline` : ''}`;
  yield '# credwarden: IAM credential hygiene report';
  yield '';
  yield* table(
    ['Item', 'Value'],
    [
      ['Tool', cell(`credwarden ${context.toolVersion}`)],
      ['Rule pack', cell(result.pack)],
      ['Rules hash (effective rules and parameters)', code(result.rulesHash)],
      ['Evaluated as of', cell(asOf)],
      ['Findings', cell(findingsLine)],
      ['Accounts', cell(`${s.accounts.scanned} scanned, ${s.accounts.failed} failed, ${s.accounts.skipped} skipped`)],
    ],
  );
}

function* summary(result: ScanResult, matrix: readonly Control[]): Generator<string> {
  const waived = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of result.findings) if (f.status === 'waived') waived[f.severity]++;
  const { summary: s } = result;
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
  for (const note of result.notes ?? []) {
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

function* controlMatrix(matrix: readonly Control[]): Generator<string> {
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

function* frameworkCoverageSection(matrices: readonly FrameworkMatrix[]): Generator<string> {
  if (matrices.length === 0) return;
  yield '';
  yield '## Framework coverage';
  yield '';
  yield 'Every control of each framework section, as evaluated (with the status of its rules), not evaluated (with the reason) or out of scope (with the reason).';
  yield* frameworkCoverageRows(matrices);
}

/** Counts per account: one row each, however many findings. */
function* accounts(result: ScanResult): Generator<string> {
  const counts = new Map<string, Record<Severity | 'waived', number>>();
  for (const f of result.findings) {
    const c = counts.get(f.accountId) ?? { critical: 0, high: 0, medium: 0, low: 0, info: 0, waived: 0 };
    if (f.status === 'waived') c.waived++;
    else c[f.severity]++;
    counts.set(f.accountId, c);
  }
  yield '';
  yield '## Accounts';
  yield '';
  yield row(['Account', 'Name', 'OU', 'Status', 'Evaluated as of', 'Principals', ...SEVERITIES.map(capitalise), 'Waived', 'Reason']);
  yield row(Array.from({ length: 8 + SEVERITIES.length }, () => '---'));
  for (const a of result.accounts) yield accountRow(a, counts.get(a.id));
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
function* findings(result: ScanResult, context: FormatContext): Generator<string> {
  yield '';
  yield '## Findings';
  if (result.findings.length === 0) {
    yield '';
    yield 'No findings.';
    return;
  }
  const limit = context.markdownRows ?? DEFAULT_MARKDOWN_ROWS;
  const names = new Map(result.accounts.map((a) => [a.id, a.name]));
  const withBaseline = result.findings.some((f) => f.baseline !== undefined);
  const bySeverity = groupBySeverity(result.findings);
  let shown = 0;
  for (const severity of SEVERITIES) {
    const list = bySeverity[severity];
    if (list.length === 0) continue;
    const open = list.filter((f) => f.status === 'open').length;
    yield '';
    yield `### ${capitalise(severity)} (${open} open${list.length > open ? `, ${list.length - open} waived` : ''})`;
    const room = Math.max(0, limit - shown);
    if (room === 0) {
      yield '';
      yield `${list.length} finding${list.length === 1 ? '' : 's'} not listed (row limit ${limit}).`;
      continue;
    }
    yield '';
    yield row(['Account', 'Principal', 'Credential', 'Rule', 'Message', 'Status', ...(withBaseline ? ['Baseline'] : [])]);
    yield row(Array.from({ length: withBaseline ? 7 : 6 }, () => '---'));
    for (const f of list.slice(0, room)) yield row(findingRow(f, names.get(f.accountId), withBaseline));
    shown += Math.min(room, list.length);
    if (list.length > room) {
      yield '';
      yield `…and ${list.length - room} more ${severity} finding${list.length - room === 1 ? '' : 's'} (row limit ${limit}).`;
    }
  }
  if (shown < result.findings.length) {
    yield '';
    yield `> ${result.findings.length - shown} of ${result.findings.length} findings are counted but not listed here. ${whereEveryFinding(context)}`;
  }
}

/** Where the rows that are not listed can be read. */
function whereEveryFinding(context: FormatContext): string {
  const raise = 'Raise the limit with `--report-rows N`.';
  return context.companions
    ? `Every finding is in \`credwarden.csv\` and \`credwarden.json\` when those formats are written (\`--format csv,json\`). ${raise}`
    : `Write every finding with \`--format csv\` or \`--format json\` (several at once with \`--output-dir\`). ${raise}`;
}

/** Findings by severity; within one, open before waived, each in its original (account, principal) order. */
function groupBySeverity(list: readonly Finding[]): Record<Severity, Finding[]> {
  const groups = Object.fromEntries(SEVERITIES.map((s) => [s, [] as Finding[]])) as Record<Severity, Finding[]>;
  for (const f of list) if (f.status === 'open') groups[f.severity].push(f);
  for (const f of list) if (f.status !== 'open') groups[f.severity].push(f);
  return groups;
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

function* resolved(result: ScanResult, context: FormatContext): Generator<string> {
  if (!result.resolved) return;
  yield '';
  yield '## Resolved since the baseline';
  yield '';
  if (result.resolved.length === 0) {
    yield 'Nothing was resolved since the baseline.';
    return;
  }
  const limit = context.markdownRows ?? DEFAULT_MARKDOWN_ROWS;
  yield* table(['Severity', 'Account', 'Principal', 'Credential', 'Rule', 'Message (baseline)'], []);
  for (const f of result.resolved.slice(0, limit)) {
    yield row([
      f.severity,
      code(f.accountId),
      `${cell(f.principal.name)}<br>${code(f.principal.arn)}`,
      f.credential ?? '—',
      code(f.ruleId),
      cell(f.message),
    ]);
  }
  if (result.resolved.length > limit) {
    yield '';
    yield `…and ${result.resolved.length - limit} more resolved findings (row limit ${limit}); \`credwarden diff\` lists them all.`;
  }
}

/** Principals with at least one open finding: each has one plan. */
function plannedPrincipals(result: ScanResult): number {
  const principals = new Set<string>();
  for (const f of result.findings) if (f.status === 'open') principals.add(f.principal.arn);
  return principals.size;
}

/** Whether the plans leave the report: once they would swamp it. */
function plansApart(result: ScanResult): boolean {
  return plannedPrincipals(result) > INLINE_PLAN_PRINCIPALS;
}

function* plans(result: ScanResult, context: FormatContext): Generator<string> {
  const principals = plannedPrincipals(result);
  if (principals === 0) return;
  yield '';
  yield '## Remediation plans';
  yield '';
  if (plansApart(result)) {
    yield context.companions
      ? `The plans of the ${principals} principals with open findings are campaigns, one per procedure, in [\`${PLANS_FILE}\`](${PLANS_FILE}) (each procedure's steps once, then its most severe targets), and every target is in [\`${TARGETS_FILE}\`](${TARGETS_FILE}), next to this report. One principal's full plan: \`credwarden plan RESULT.json --principal NAME_OR_ARN\`.`
      : `The plans of the ${principals} principals with open findings are not included, so this report stays readable: write them as campaigns to \`${PLANS_FILE}\` and \`${TARGETS_FILE}\` with \`--output-dir DIR\`, or run \`credwarden plan RESULT.json --principal NAME_OR_ARN\` on the JSON result for one principal's full plan.`;
    return;
  }
  // Prefer the plans the result carries (they saw the snapshot and any procedure overrides).
  // The report's summary already states the scope notes once.
  const set = { ...plansForReport(result), notes: [] };
  yield `> ${inline(set.header)}`;
  yield '';
  yield renderPlansMarkdown(set, { headingLevel: 2, omitTitle: true }).trimEnd();
}

function* waivers(outcomes: readonly WaiverOutcome[]): Generator<string> {
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

function* warnings(result: ScanResult): Generator<string> {
  if (!result.warnings || result.warnings.length === 0) return;
  yield '';
  yield '## Warnings';
  yield '';
  for (const w of result.warnings) yield `- ${inline(w)}`;
}

function capitalise(text: string): string {
  return `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;
}

/**
 * With --output-dir, once the plans would swamp the report they become campaigns:
 * credwarden-plans.md gives each procedure's steps once and its first targets, and
 * credwarden-targets.csv lists every target.
 */
function markdownCompanions(result: ScanResult): CompanionFile[] {
  const apart = plansApart(result);
  return [
    { name: PLANS_FILE, chunks: apart ? guardPlainText(formatCampaigns(result)) : undefined },
    { name: TARGETS_FILE, chunks: apart ? formatTargetsCsv(result) : undefined },
  ];
}

/** The auditor's Markdown report. */
export const markdownFormatter: FormatterEntry = {
  name: 'markdown',
  aliases: ['md'],
  description: "auditor's report: summary, control matrix, accounts, findings by severity, plans, waivers",
  extension: 'md',
  infersFrom: ['md', 'markdown'],
  format: formatMarkdown,
  companions: markdownCompanions,
};
