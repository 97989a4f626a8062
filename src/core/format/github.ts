import type { Finding, ScanResult, Severity } from '../../model/index.js';
import { SEVERITIES, severityRank } from '../../model/index.js';
import { describeGate, type GateOutcome } from '../gate.js';
import { caveated, controls, frameworkMatrices, undecided } from './controls.js';
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
import { defineFormatter, wholeResultSink, type FormatContext, type FormatterEntry } from './types.js';

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

/**
 * GitHub Actions workflow commands: one annotation per open finding, most severe
 * first, up to {@link MAX_ANNOTATIONS} (`::error title=…::message`), escaped so that
 * names cannot end the command or inject another one, and with control characters
 * shown; then a notice per scope note, and one with the totals and the rules not evaluated everywhere.
 */
export function* formatGithub(result: ScanResult): Generator<string> {
  const open = bySeverity(result.findings.filter((f) => f.status === 'open'));
  for (const f of open.slice(0, MAX_ANNOTATIONS)) yield `${annotation(f)}\n`;
  const { summary: s } = result;
  const counts = SEVERITIES.map((sev) => `${s.bySeverity[sev]} ${sev}`).join(', ');
  const more = open.length > MAX_ANNOTATIONS ? `; ${open.length - MAX_ANNOTATIONS} more not annotated (see the reports)` : '';
  const matrix = controls(result);
  const notDecided = undecided(matrix);
  const notPassed = caveated(matrix);
  const caveats =
    notPassed.length > 0 ? `; no open finding but not passed: ${notPassed.map((c) => `${c.id} (${c.status})`).join(', ')}` : '';
  const notEvaluated = notDecided.length > 0 ? `; not evaluated in every account: ${notDecided.map((c) => c.id).join(', ')}` : '';
  for (const note of result.notes ?? []) yield `${command('notice', 'credwarden scope', v(note))}\n`;
  yield `${command('notice', 'credwarden summary', `${s.open} open finding(s) (${counts}); ${s.waived} waived; ${s.accounts.scanned} account(s) scanned${s.accounts.failed ? `, ${s.accounts.failed} failed` : ''}${more}${caveats}${notEvaluated}`)}\n`;
}

/** Most severe first; the original order within a severity. */
function bySeverity(list: readonly Finding[]): Finding[] {
  return SEVERITIES.flatMap((sev) => list.filter((f) => f.severity === sev));
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
 * The Markdown job summary for `$GITHUB_STEP_SUMMARY`: the verdict and the gate,
 * totals by severity, the control matrix, and the most severe open findings. The
 * adapter (CLI or action) appends it to the file; this function stays pure.
 */
export function formatJobSummary(result: ScanResult, context: FormatContext, gate?: GateOutcome, limit = 50): Iterable<string> {
  return guardPlainText(jobSummaryLines(result, context, gate, limit));
}

function* jobSummaryLines(result: ScanResult, context: FormatContext, gate: GateOutcome | undefined, limit: number): Generator<string> {
  const { summary: s } = result;
  const open = result.findings.filter((f) => f.status === 'open');
  const verdict = s.open === 0 ? '✅ No open findings' : `⚠️ ${s.open} open finding${s.open === 1 ? '' : 's'}`;
  const extras = [
    s.new !== undefined ? `${s.new} new since the baseline` : '',
    s.waived > 0 ? `${s.waived} waived` : '',
    result.resolved ? `${result.resolved.length} resolved` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const out = [`## credwarden: ${verdict}`, ''];
  const gateLine = gate ? describeGate(gate) : undefined;
  if (gateLine) out.push(`${gate?.failed ? '❌' : '✅'} ${cell(capitalise(gateLine))}`, '');
  out.push(
    `credwarden ${cell(context.toolVersion)} · pack ${code(result.pack)} · ${s.accounts.scanned} account(s) scanned${s.accounts.failed ? `, ${s.accounts.failed} failed` : ''}${s.accounts.skipped ? `, ${s.accounts.skipped} skipped` : ''}${extras ? ` · ${extras}` : ''}`,
    '',
    ...(result.notes ?? []).flatMap((note) => [`> ${cell(note)}`, '']),
    ...table(
      SEVERITIES.map((sev) => sev),
      [SEVERITIES.map((sev) => String(s.bySeverity[sev]))],
    ),
    '',
    '### Controls',
    '',
    STATUS_LEGEND,
    '',
    ...controlMatrixRows(controls(result)),
    ...frameworkCoverageRows(frameworkMatrices(result), '####'),
  );
  yield `${out.join('\n')}\n`;
  if (open.length > 0) {
    const rank = (f: Finding) => severityRank(f.severity);
    const shown = [...open]
      .sort((a, b) => rank(a) - rank(b) || (a.baseline === 'new' ? -1 : 0) - (b.baseline === 'new' ? -1 : 0))
      .slice(0, limit);
    const withBaseline = open.some((f) => f.baseline !== undefined);
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
    const more = open.length > shown.length ? ['', `…and ${open.length - shown.length} more; see the Markdown report artifact.`] : [];
    yield `${['', '### Open findings', '', ...rows, ...more].join('\n')}\n`;
  }
  const stale = (result.waivers ?? []).filter((w) => w.state !== 'active');
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
  open: (header) => wholeResultSink(header, formatGithub),
});
