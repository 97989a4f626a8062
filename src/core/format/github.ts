import type { Finding, ScanResult, Severity } from '../../model/index.js';
import { SEVERITIES, severityRank } from '../../model/index.js';
import { describeGate, type GateOutcome } from '../gate.js';
import {
  caveated,
  controlsFrom,
  countFinding,
  countsState,
  frameworkMatrices,
  undecided,
  type Control,
  type RuleCounts,
} from './controls.js';
import {
  escapeMarkdownCell as cell,
  escapeWorkflowData,
  escapeWorkflowProperty,
  guardPlainText,
  markdownCode as code,
  visibleControls as v,
} from '../util/escape.js';
import { controlMatrixRows, frameworkCoverageRows, table } from './markdown.js';
import { STATUS_LEGEND } from './status.js';
import type { AccountSlice, RunHeader, Tallies } from '../pipeline/types.js';
import { sliceResult } from '../pipeline/whole.js';
import { TopN } from './top.js';
import { defineFormatter, fileChunks, type FormatContext, type FormatterEntry, type ReportSink } from './types.js';

/** Workflow command per severity: errors and warnings fail eyes, notices inform. */
export const ANNOTATION: Readonly<Record<Severity, 'error' | 'warning' | 'notice'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'notice',
  info: 'notice',
};

/**
 * GitHub shows only the first 10 error and 10 warning annotations of a step (50
 * per job): more would only flood the log. The most severe open findings are
 * annotated; the summary notice counts the rest.
 */
export const MAX_ANNOTATIONS = 50;

/** An open finding's place in a report's order: severity, then account, then its place in the account. */
interface Ranked {
  finding: Finding;
  accountId: string;
  index: number;
}

function byAccountOrder(a: Ranked, b: Ranked): number {
  return a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : a.index - b.index;
}

/** Most severe first; the result's order (account, then finding) within a severity. */
function bySeverity(a: Ranked, b: Ranked): number {
  return severityRank(a.finding.severity) - severityRank(b.finding.severity) || byAccountOrder(a, b);
}

/** The open findings of a slice, ranked, each offered to `keep`. */
function offerOpen(slice: AccountSlice, keep: (item: Ranked) => void): number {
  let open = 0;
  slice.findings.forEach((finding, index) => {
    if (finding.status !== 'open') return;
    open++;
    keep({ finding, accountId: slice.id, index });
  });
  return open;
}

/**
 * GitHub Actions workflow commands: one annotation per open finding, most severe
 * first, up to {@link MAX_ANNOTATIONS} (`::error title=…::message`), escaped so that
 * names cannot end the command or inject another one, and with control characters
 * shown; then a notice per scope note, and one with the totals and the rules not evaluated everywhere.
 * Bounded: the most severe open findings (a {@link TopN}) and counts by rule.
 */
export function formatGithub(result: ScanResult): Iterable<string> {
  return githubFormatter.format(result, { toolVersion: result.tool.version, color: false });
}

function openGithub(header: RunHeader): ReportSink {
  const top = new TopN<Ranked>(MAX_ANNOTATIONS, bySeverity);
  const counts: RuleCounts = new Map();
  let open = 0;
  return {
    account(slice) {
      for (const f of slice.findings) countFinding(counts, f);
      open += offerOpen(slice, (item) => top.add(item));
      return [];
    },
    end: (tallies) => ({ head: annotations(top.sorted(), open, header, tallies, controlsFrom(tallies.rules, counts)) }),
    state: {
      save: () => ({ top: top.sorted(), counts, open }),
      absorb(saved) {
        const other = saved as { top: Ranked[]; counts: RuleCounts; open: number };
        for (const item of other.top) top.add(item);
        countsState(counts).absorb(other.counts);
        open += other.open;
      },
    },
  };
}

function* annotations(
  shown: readonly Ranked[],
  open: number,
  header: RunHeader,
  tallies: Tallies,
  matrix: readonly Control[],
): Generator<string> {
  for (const { finding } of shown) yield `${annotation(finding)}\n`;
  const s = tallies.summary;
  const counts = SEVERITIES.map((sev) => `${s.bySeverity[sev]} ${sev}`).join(', ');
  const more = open > shown.length ? `; ${open - shown.length} more not annotated (see the reports)` : '';
  const notDecided = undecided(matrix);
  const notPassed = caveated(matrix);
  const caveats =
    notPassed.length > 0 ? `; no open finding but not passed: ${notPassed.map((c) => `${c.id} (${c.status})`).join(', ')}` : '';
  const notEvaluated = notDecided.length > 0 ? `; not evaluated in every account: ${notDecided.map((c) => c.id).join(', ')}` : '';
  for (const note of header.notes) yield `${command('notice', 'credwarden scope', v(note))}\n`;
  yield `${command('notice', 'credwarden summary', `${s.open} open finding(s) (${counts}); ${s.waived} waived; ${s.accounts.scanned} account(s) scanned${s.accounts.failed ? `, ${s.accounts.failed} failed` : ''}${more}${caveats}${notEvaluated}`)}\n`;
}

function annotation(f: Finding): string {
  const title = `${f.severity.toUpperCase()} ${f.ruleId}: ${v(f.principal.name)} in ${v(f.accountId)}${f.credential ? ` (${f.credential})` : ''}`;
  return command(
    ANNOTATION[f.severity],
    title,
    `${v(f.message)}\nPrincipal: ${v(f.principal.arn)}\nRemediation: ${v(f.remediation.procedure)}`,
  );
}

function command(kind: string, title: string, message: string): string {
  return `::${kind} title=${escapeWorkflowProperty(title)}::${escapeWorkflowData(message)}`;
}

/**
 * The Markdown job summary for `$GITHUB_STEP_SUMMARY` of a whole result (tests, small results);
 * runs write it with {@link openJobSummary}.
 */
export function formatJobSummary(
  result: ScanResult,
  context: FormatContext,
  gate?: GateOutcome,
  limit = JOB_SUMMARY_ROWS,
): Iterable<string> {
  const { header, slices, tallies } = sliceResult(result);
  return (
    fileChunks(
      openJobSummary(header, context, () => gate, limit),
      slices,
      tallies,
    ) ?? []
  );
}

/** Rows of each table of the job summary: GitHub caps a job summary at 1 MiB. */
export const JOB_SUMMARY_ROWS = 50;

/** New findings first within a severity (what a pull request added), then the result's order. */
function newFirst(a: Ranked, b: Ranked): number {
  const fresh = (r: Ranked) => (r.finding.baseline === 'new' ? 0 : 1);
  return severityRank(a.finding.severity) - severityRank(b.finding.severity) || fresh(a) - fresh(b) || byAccountOrder(a, b);
}

/**
 * The job summary, account by account: the verdict and the gate (asked for at the end, once
 * the run has decided it), totals by severity, the control matrix, and the most severe open
 * findings (a {@link TopN} of `limit`). The adapter (CLI or action) appends it to the file;
 * this stays pure.
 */
export function openJobSummary(
  header: RunHeader,
  context: FormatContext,
  gate: () => GateOutcome | undefined,
  limit = JOB_SUMMARY_ROWS,
): ReportSink {
  const top = new TopN<Ranked>(limit, newFirst);
  const counts: RuleCounts = new Map();
  let open = 0;
  let withBaseline = false;
  return {
    account(slice) {
      for (const f of slice.findings) {
        countFinding(counts, f);
        if (f.status === 'open' && f.baseline !== undefined) withBaseline = true;
      }
      open += offerOpen(slice, (item) => top.add(item));
      return [];
    },
    end(tallies) {
      const summary = { shown: top.sorted().map((r) => r.finding), open, withBaseline };
      const matrix = controlsFrom(tallies.rules, counts);
      return { head: guardPlainText(jobSummaryLines(header, tallies, matrix, summary, context, gate(), limit)) };
    },
    state: {
      save: () => ({ top: top.sorted(), counts, open, withBaseline }),
      absorb(saved) {
        const other = saved as { top: Ranked[]; counts: RuleCounts; open: number; withBaseline: boolean };
        for (const item of other.top) top.add(item);
        countsState(counts).absorb(other.counts);
        open += other.open;
        withBaseline ||= other.withBaseline;
      },
    },
  };
}

function* jobSummaryLines(
  header: RunHeader,
  tallies: Tallies,
  matrix: readonly Control[],
  findings: { shown: readonly Finding[]; open: number; withBaseline: boolean },
  context: FormatContext,
  gate: GateOutcome | undefined,
  limit: number,
): Generator<string> {
  const s = tallies.summary;
  const verdict = s.open === 0 ? '✅ No open findings' : `⚠️ ${s.open} open finding${s.open === 1 ? '' : 's'}`;
  const extras = [
    s.new !== undefined ? `${s.new} new since the baseline` : '',
    s.waived > 0 ? `${s.waived} waived` : '',
    tallies.resolved !== undefined ? `${tallies.resolved} resolved` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const out = [`## credwarden: ${verdict}`, ''];
  const gateLine = gate ? describeGate(gate) : undefined;
  if (gateLine) out.push(`${gate?.failed ? '❌' : '✅'} ${cell(capitalise(gateLine))}`, '');
  out.push(
    `credwarden ${cell(context.toolVersion)} · pack ${code(header.pack)} · ${s.accounts.scanned} account(s) scanned${s.accounts.failed ? `, ${s.accounts.failed} failed` : ''}${s.accounts.skipped ? `, ${s.accounts.skipped} skipped` : ''}${extras ? ` · ${extras}` : ''}`,
    '',
    ...header.notes.flatMap((note) => [`> ${cell(note)}`, '']),
    ...table(
      SEVERITIES.map((sev) => sev),
      [SEVERITIES.map((sev) => String(s.bySeverity[sev]))],
    ),
    '',
    '### Controls',
    '',
    STATUS_LEGEND,
    '',
    ...controlMatrixRows(matrix),
    ...frameworkCoverageRows(frameworkMatrices({ pack: header.pack, frameworkCoverage: header.frameworkCoverage }, matrix), '####'),
  );
  yield `${out.join('\n')}\n`;
  const { shown, open, withBaseline } = findings;
  if (open > 0) {
    const rows = table(
      ['Severity', 'Account', 'Principal', 'Credential', 'Rule', 'Message', ...(withBaseline ? ['New?'] : [])],
      shown.map((f) => [
        f.severity,
        `${code(f.accountId)}${f.accountName ? ` ${cell(f.accountName)}` : ''}`,
        cell(f.principal.name),
        f.credential ?? '—',
        code(f.ruleId),
        cell(f.message),
        ...(withBaseline ? [f.baseline === 'new' ? '🆕 new' : ''] : []),
      ]),
    );
    const more = open > shown.length ? ['', `…and ${open - shown.length} more; see the Markdown report artifact.`] : [];
    yield `${['', '### Open findings', '', ...rows, ...more].join('\n')}\n`;
  }
  const stale = (tallies.waivers ?? []).filter((w) => w.state !== 'active');
  if (stale.length > 0) {
    const rows = table(
      ['State', 'Rule', 'Principal', 'Expires', 'Source'],
      stale.slice(0, limit).map((w) => [w.state, code(w.rule), code(w.principal), cell(w.expires), cell(w.source ?? '')]),
    );
    const more = stale.length > limit ? ['', `…and ${stale.length - limit} more; see the Markdown report.`] : [];
    yield `${['', '### Waivers needing attention', '', ...rows, ...more].join('\n')}\n`;
  }
}

function capitalise(text: string): string {
  return `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;
}

/** GitHub Actions annotations (workflow commands). */
export const githubFormatter: FormatterEntry = defineFormatter({
  name: 'github',
  description: 'GitHub Actions annotations (workflow commands) and, with $GITHUB_STEP_SUMMARY, the job summary',
  extension: 'txt',
  open: (header) => openGithub(header),
});
