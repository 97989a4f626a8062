import type { AccountResult, Finding, RuleSummary, ScanResult, Severity } from '../../model/index.js';
import { SEVERITIES } from '../../model/index.js';
import { guardWorkflowCommands, visibleControls as v } from '../util/escape.js';
import { defineFormatter, type FormatContext, type FormatterEntry, type ReportSink } from './types.js';
import type { RunHeader, Tallies } from '../pipeline/types.js';
import { notEvaluatedNote, STATUS_LABEL } from './status.js';
import {
  caveated,
  controlsFrom,
  countFinding,
  countsState,
  coverageText,
  frameworkMatrices,
  statusDetail,
  type Control,
  type RuleCounts,
} from './controls.js';

type Paint = (text: string) => string;

const ANSI: Record<Severity | 'dim' | 'bold' | 'green', string> = {
  critical: '\u001b[1;31m',
  high: '\u001b[31m',
  medium: '\u001b[33m',
  low: '\u001b[36m',
  info: '\u001b[2m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
  green: '\u001b[32m',
};

function painter(color: boolean): (style: keyof typeof ANSI) => Paint {
  return (style) => (text) => (color ? `${ANSI[style]}${text}\u001b[0m` : text);
}

/**
 * Findings grouped by account, then principal, with aligned columns, a summary
 * line and the rules that were not decided everywhere. Every value is shown with
 * its control characters visible, and no line can start with `::`.
 */
export function formatText(result: ScanResult, context: FormatContext): Iterable<string> {
  return textFormatter.format(result, context);
}

/** The text sink: one block per scanned account; the header, the rest and the summary at the end. */
function openText(header: RunHeader, context: FormatContext): ReportSink {
  const paint = painter(context.color);
  const notScanned: AccountResult[] = [];
  const counts: RuleCounts = new Map();
  return {
    account(slice) {
      const account = slice.account;
      for (const f of slice.findings) countFinding(counts, f);
      if (!account) return [];
      if (account.status !== 'scanned') {
        notScanned.push(account);
        return [];
      }
      const lines = ['', accountLine(account, paint)];
      const findings = slice.findings;
      if (findings.length === 0) lines.push(`  ${paint('green')('no findings')}`);
      const ruleWidth = Math.max(0, ...findings.map((f) => f.ruleId.length));
      for (const [, group] of groupBy(findings, (f) => f.principal.arn)) lines.push(...principalBlock(group, ruleWidth, paint));
      return guardWorkflowCommands([`${lines.join('\n')}\n`]);
    },
    end(tallies) {
      const lines: string[] = [];
      if (notScanned.length > 0) {
        lines.push('', paint('bold')('Not scanned'));
        for (const a of notScanned.sort((x, y) => x.id.localeCompare(y.id)))
          lines.push(`  ${a.status.padEnd(7)}  ${v(a.id)}${a.name ? ` (${v(a.name)})` : ''}  ${v(a.reason ?? '')}`);
      }
      for (const warning of tallies.warnings ?? []) lines.push(paint('dim')(`warning: ${v(warning)}`));
      const matrix = controlsFrom(tallies.rules, counts);
      lines.push(...notPassed(matrix, paint));
      lines.push(...notEvaluated(tallies.rules, paint));
      const matrices = frameworkMatrices(header, matrix);
      if (matrices.length > 0) lines.push('', paint('bold')('Framework coverage'), ...matrices.map((m) => `  ${v(coverageText(m))}`));
      for (const note of header.notes) lines.push('', paint('dim')(`note: ${v(note)}`));
      lines.push('', summaryLine(tallies, matrix, paint));
      return {
        head: guardWorkflowCommands([`${headerLine(header, paint)}\n`]),
        tail: guardWorkflowCommands([`${lines.join('\n')}\n`]),
      };
    },
    state: {
      save: () => ({ notScanned, counts }),
      absorb(saved) {
        const other = saved as { notScanned: AccountResult[]; counts: RuleCounts };
        notScanned.push(...other.notScanned);
        countsState(counts).absorb(other.counts);
      },
    },
  };
}

function headerLine(header: RunHeader, paint: (s: keyof typeof ANSI) => Paint): string {
  const asOf = header.asOf ? ` · as of ${header.asOf}` : '';
  return paint('dim')(v(`credwarden ${header.toolVersion} · pack ${header.pack}${asOf}`));
}

function accountLine(account: AccountResult, paint: (s: keyof typeof ANSI) => Paint): string {
  const name = account.name ? `  ${v(account.name)}` : '';
  const ou = account.ouPath ? paint('dim')(`  ${v(account.ouPath)}`) : '';
  const asOf = paint('dim')(
    `  as of ${v(account.asOf ?? account.reportGeneratedTime ?? 'unknown')} · ${account.principals ?? 0} principals`,
  );
  return `${paint('bold')(v(account.id))}${name}${ou}${asOf}`;
}

function principalBlock(findings: Finding[], ruleWidth: number, paint: (s: keyof typeof ANSI) => Paint): string[] {
  const first = findings[0] as Finding;
  const lines = [`  ${paint('bold')(v(first.principal.name))}  ${paint('dim')(v(first.principal.arn))}`];
  for (const f of findings) {
    const severity = paint(f.severity)(f.severity.toUpperCase().padEnd(8));
    const credential = (f.credential ?? '-').padEnd(12);
    const waived = f.status === 'waived' ? paint('dim')(' [waived]') : '';
    const fresh = f.baseline === 'new' ? paint('bold')(' [new]') : '';
    lines.push(`    ${severity}  ${f.ruleId.padEnd(ruleWidth)}  ${credential}  ${v(f.message)}${waived}${fresh}`);
  }
  return lines;
}

/** Rules not decided everywhere: a rule without findings there must not read as passed. */
function notEvaluated(all: readonly RuleSummary[], paint: (s: keyof typeof ANSI) => Paint): string[] {
  const rules = all.filter((r) => r.notEvaluated.length > 0);
  if (rules.length === 0) return [];
  const width = Math.max(...rules.map((r) => r.id.length));
  return [
    '',
    paint('bold')('Rules not evaluated in every account'),
    ...rules.map((r) => `  ${r.id.padEnd(width)}  ${STATUS_LABEL[r.status].padEnd(13)}  ${v(notEvaluatedNote(r))}`),
  ];
}

/** Rules with no open finding that did not pass: an accepted exception or looser parameters, with what it means. */
function notPassed(matrix: readonly Control[], paint: (s: keyof typeof ANSI) => Paint): string[] {
  const list = caveated(matrix);
  if (list.length === 0) return [];
  const width = Math.max(...list.map((c) => c.id.length));
  return [
    '',
    paint('bold')('Rules with no open finding that did not pass'),
    ...list.map((c) => `  ${c.id.padEnd(width)}  ${STATUS_LABEL[c.status].padEnd(13)}  ${v(statusDetail(c))}`),
  ];
}

function summaryLine(tallies: Tallies, matrix: readonly Control[], paint: (s: keyof typeof ANSI) => Paint): string {
  const { summary } = tallies;
  const counts = SEVERITIES.filter((s) => summary.bySeverity[s] > 0).map((s) => paint(s)(`${summary.bySeverity[s]} ${s}`));
  const findings =
    summary.open === 0
      ? paint('green')('no open findings')
      : `${summary.open} open finding${summary.open === 1 ? '' : 's'} (${counts.join(', ')})`;
  const waived = summary.waived > 0 ? ` · ${summary.waived} waived` : '';
  const { scanned, failed, skipped } = summary.accounts;
  const coverage = `${scanned} account${scanned === 1 ? '' : 's'} scanned${failed ? `, ${failed} failed` : ''}${skipped ? `, ${skipped} skipped` : ''}`;
  const statuses = matrix.map((c) => c.status);
  const count = (status: RuleSummary['status']) => statuses.filter((s) => s === status).length;
  const rules = [
    `${count('failed')} failed`,
    ...(count('accepted') ? [`${count('accepted')} accepted`] : []),
    ...(count('deviates') ? [`${count('deviates')} deviates`] : []),
    `${count('passed')} passed`,
    ...(count('partial') ? [`${count('partial')} partial`] : []),
    ...(count('not-evaluated') ? [`${count('not-evaluated')} not evaluated`] : []),
  ];
  return `${paint('bold')('Summary:')} ${findings}${waived} · rules: ${rules.join(', ')} · ${coverage}`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Human-readable terminal output. */
export const textFormatter: FormatterEntry = defineFormatter({
  name: 'text',
  description: 'grouped, aligned terminal output (colour on a TTY)',
  extension: 'txt',
  infersFrom: ['txt'],
  open: openText,
});
