/** The trend as text, Markdown and JSON. */
import { SEVERITIES } from '../../model/index.js';
import { escapeMarkdownCell, markdownCode } from '../util/escape.js';
import type { Trend, TrendPoint } from './build.js';

/** Formats `credwarden trend` writes. */
export const TREND_FORMATS = ['text', 'markdown', 'json', 'html'] as const;
export type TrendFormat = (typeof TREND_FORMATS)[number];

const day = (iso: string) => iso.slice(0, 10);
const days = (value: number | null) => (value === null ? '—' : `${value} d`);

function severityCells(point: TrendPoint): string[] {
  return SEVERITIES.map((s) => String(point.open[s]));
}

/** Plain text for a terminal. */
export function trendText(trend: Trend): string {
  const lines: string[] = [`credwarden trend: ${trend.points.length} scans`, ''];
  const header = ['as-of', ...SEVERITIES, 'open', 'waived', 'new', 'resolved', 'accounts'];
  const rows = trend.points.map((p) => [
    day(p.asOf),
    ...severityCells(p),
    String(p.openTotal),
    String(p.waived),
    `+${p.new}`,
    `-${p.resolved}`,
    `${p.accounts.scanned}${p.accounts.failed ? ` (${p.accounts.failed} failed)` : ''}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  lines.push(line(header), ...rows.map(line), '', 'Time to remediate (first seen → resolved):');
  for (const r of trend.rules)
    lines.push(
      `  ${r.ruleId.padEnd(34)} ${r.severity.padEnd(8)} resolved ${String(r.resolved).padStart(4)}  median ${days(r.medianDays).padStart(8)}  worst ${days(r.worstDays).padStart(8)}  still open ${r.stillOpen}`,
    );
  lines.push('', 'Oldest open findings:');
  if (trend.oldestOpen.length === 0) lines.push('  none');
  for (const f of trend.oldestOpen)
    lines.push(
      `  ${String(f.ageDays).padStart(6)} d  ${f.severity.padEnd(8)} ${f.accountId}  ${f.principal}  ${f.ruleId}${f.credential ? ` (${f.credential})` : ''}  since ${day(f.firstSeen)}`,
    );
  lines.push('', 'Accounts no longer scanned:');
  if (trend.lostAccounts.length === 0) lines.push('  none');
  for (const a of trend.lostAccounts)
    lines.push(`  ${a.accountId}${a.name ? ` (${a.name})` : ''}: last scanned ${day(a.lastScanned)}; now ${a.now}`);
  return `${lines.join('\n')}\n`;
}

/** Markdown, e.g. for a GitHub job summary. */
export function trendMarkdown(trend: Trend): string {
  const out: string[] = [`## credwarden trend (${trend.points.length} scans)`, ''];
  out.push(
    `| As of | ${SEVERITIES.join(' | ')} | Open | Waived | New | Resolved | Accounts scanned |`,
    `| --- | ${SEVERITIES.map(() => '---:').join(' | ')} | ---: | ---: | ---: | ---: | ---: |`,
  );
  for (const p of trend.points)
    out.push(
      `| ${day(p.asOf)} | ${severityCells(p).join(' | ')} | ${p.openTotal} | ${p.waived} | +${p.new} | −${p.resolved} | ${p.accounts.scanned}${p.accounts.failed ? ` (${p.accounts.failed} failed)` : ''} |`,
    );
  out.push(
    '',
    '### Time to remediate',
    '',
    '| Rule | Severity | Resolved | Median | Worst | Still open |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  );
  for (const r of trend.rules)
    out.push(
      `| ${markdownCode(r.ruleId)} | ${r.severity} | ${r.resolved} | ${days(r.medianDays)} | ${days(r.worstDays)} | ${r.stillOpen} |`,
    );
  out.push('', '### Oldest open findings', '');
  if (trend.oldestOpen.length === 0) out.push('None.');
  else {
    out.push('| Open for | Severity | Account | Principal | Rule | Since |', '| ---: | --- | --- | --- | --- | --- |');
    for (const f of trend.oldestOpen)
      out.push(
        `| ${f.ageDays} d | ${f.severity} | ${f.accountId}${f.accountName ? ` (${escapeMarkdownCell(f.accountName)})` : ''} | ${escapeMarkdownCell(f.principal)} | ${markdownCode(f.ruleId)}${f.credential ? ` (${f.credential})` : ''} | ${day(f.firstSeen)} |`,
      );
  }
  out.push('', '### Accounts no longer scanned', '');
  if (trend.lostAccounts.length === 0) out.push('None.');
  for (const a of trend.lostAccounts)
    out.push(
      `- ${a.accountId}${a.name ? ` (${escapeMarkdownCell(a.name)})` : ''}: last scanned ${day(a.lastScanned)}; now ${escapeMarkdownCell(a.now)}`,
    );
  return `${out.join('\n')}\n`;
}

/** The trend as JSON (stable field names: see docs/reports.md). */
export function trendJson(trend: Trend): string {
  return `${JSON.stringify({ trendVersion: 1, ...trend }, null, 2)}\n`;
}
