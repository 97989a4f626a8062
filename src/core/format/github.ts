import type { Finding, ScanResult, Severity } from '../../model/index.js';
import { SEVERITIES } from '../../model/index.js';
import { escapeMarkdownCell as cell, escapeWorkflowData, escapeWorkflowProperty, markdownCode as code } from './escape.js';
import { table } from './markdown.js';
import type { FormatContext, FormatterEntry } from './types.js';

/** Workflow command per severity: errors and warnings fail eyes, notices inform. */
export const ANNOTATION: Readonly<Record<Severity, 'error' | 'warning' | 'notice'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'notice',
  info: 'notice',
};

/**
 * GitHub Actions workflow commands: one annotation per open finding
 * (`::error title=…::message`), escaped so that names cannot end the command
 * or inject another one, then a notice with the totals.
 */
export function formatGithub(result: ScanResult): string {
  const lines = result.findings.filter((f) => f.status === 'open').map(annotation);
  const { summary: s } = result;
  const counts = SEVERITIES.map((sev) => `${s.bySeverity[sev]} ${sev}`).join(', ');
  lines.push(command('notice', 'credwarden summary', `${s.open} open finding(s) (${counts}); ${s.waived} waived; ${s.accounts.scanned} account(s) scanned`));
  return `${lines.join('\n')}\n`;
}

function annotation(f: Finding): string {
  const title = `${f.severity.toUpperCase()} ${f.ruleId}: ${f.principal.name} in ${f.accountId}${f.credential ? ` (${f.credential})` : ''}`;
  return command(ANNOTATION[f.severity], title, `${f.message}\nPrincipal: ${f.principal.arn}\nRemediation: ${f.remediation.procedure}`);
}

function command(kind: string, title: string, message: string): string {
  return `::${kind} title=${escapeWorkflowProperty(title)}::${escapeWorkflowData(message)}`;
}

/**
 * The Markdown job summary for `$GITHUB_STEP_SUMMARY`: totals by severity, new
 * and waived counts, and the most severe open findings. The adapter (CLI or
 * action) appends it to the file; this function stays pure.
 */
export function formatJobSummary(result: ScanResult, context: FormatContext, limit = 50): string {
  const { summary: s } = result;
  const open = result.findings.filter((f) => f.status === 'open');
  const verdict = s.open === 0 ? '✅ No open findings' : `⚠️ ${s.open} open finding${s.open === 1 ? '' : 's'}`;
  const extras = [s.new !== undefined ? `${s.new} new since the baseline` : '', s.waived > 0 ? `${s.waived} waived` : '', result.resolved ? `${result.resolved.length} resolved` : '']
    .filter(Boolean)
    .join(' · ');
  const out = [
    `## credwarden: ${verdict}`,
    '',
    `credwarden ${cell(context.toolVersion)} · pack ${code(result.pack)} · ${s.accounts.scanned} account(s) scanned${s.accounts.failed ? `, ${s.accounts.failed} failed` : ''}${s.accounts.skipped ? `, ${s.accounts.skipped} skipped` : ''}${extras ? ` · ${extras}` : ''}`,
    '',
    ...table(SEVERITIES.map((sev) => sev), [SEVERITIES.map((sev) => String(s.bySeverity[sev]))]),
  ];
  if (open.length > 0) {
    const rank = (f: Finding) => SEVERITIES.indexOf(f.severity);
    const shown = [...open].sort((a, b) => rank(a) - rank(b) || (a.baseline === 'new' ? -1 : 0) - (b.baseline === 'new' ? -1 : 0)).slice(0, limit);
    const withBaseline = open.some((f) => f.baseline !== undefined);
    out.push('', '### Open findings', '');
    out.push(
      ...table(
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
      ),
    );
    if (open.length > shown.length) out.push('', `…and ${open.length - shown.length} more; see the Markdown report artifact.`);
  }
  const stale = (result.waivers ?? []).filter((w) => w.state !== 'active');
  if (stale.length > 0) {
    out.push('', '### Waivers needing attention', '');
    out.push(...table(['State', 'Rule', 'Principal', 'Expires', 'Source'], stale.map((w) => [w.state, code(w.rule), code(w.principal), cell(w.expires), cell(w.source ?? '')])));
  }
  return `${out.join('\n')}\n`;
}

/** GitHub Actions annotations (workflow commands). */
export const githubFormatter: FormatterEntry = {
  name: 'github',
  description: 'GitHub Actions annotations (workflow commands)',
  extension: 'txt',
  format: formatGithub,
};
