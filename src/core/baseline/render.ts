import type { Finding } from '../../model/index.js';
import { escapeMarkdownCell as cell, markdownCode as code } from '../util/escape.js';
import { table } from '../format/markdown.js';
import type { ResultDiff } from './diff.js';

/** Output formats of `credwarden diff`. */
export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** Renders a diff for a terminal, a pull request or a script. */
export function formatDiff(diff: ResultDiff, format: DiffFormat): string {
  if (format === 'json') return `${JSON.stringify(diff, null, 2)}\n`;
  return format === 'markdown' ? markdown(diff) : text(diff);
}

function headline(diff: ResultDiff): string {
  return `${diff.added.length} new, ${diff.resolved.length} resolved, ${diff.changed.length} changed, ${diff.unchanged} unchanged`;
}

function notes(diff: ResultDiff): string[] {
  const out: string[] = [];
  if (diff.rulesChanged)
    out.push(
      `rules or parameters changed (rules hash ${diff.old.rulesHash.slice(0, 12)} → ${diff.new.rulesHash.slice(0, 12)}): some changes may come from the rules, not the accounts`,
    );
  if (diff.accounts.added.length > 0) out.push(`accounts scanned only in the new result: ${diff.accounts.added.join(', ')}`);
  if (diff.accounts.removed.length > 0)
    out.push(`accounts scanned only in the old result (their findings are not counted as resolved): ${diff.accounts.removed.join(', ')}`);
  return out;
}

function line(f: Finding): string {
  return `${f.severity.toUpperCase().padEnd(8)}  ${f.accountId}  ${f.principal.name}  ${f.ruleId}${f.credential ? ` (${f.credential})` : ''}: ${f.message}`;
}

function text(diff: ResultDiff): string {
  const out = [
    `credwarden diff: ${headline(diff)}`,
    `  old: as of ${diff.old.asOf ?? 'report times'}, ${diff.old.accounts} accounts · new: as of ${diff.new.asOf ?? 'report times'}, ${diff.new.accounts} accounts`,
  ];
  for (const note of notes(diff)) out.push(`  note: ${note}`);
  const section = (title: string, lines: string[]) => {
    if (lines.length > 0) out.push('', `${title} (${lines.length})`, ...lines.map((l) => `  ${l}`));
  };
  section(
    'New',
    diff.added.map((f) => `+ ${line(f)}`),
  );
  section(
    'Resolved',
    diff.resolved.map((f) => `- ${line(f)}`),
  );
  section(
    'Changed',
    diff.changed.map((c) => `~ ${line(c.after)} [${c.changes.map((k) => `${k}: ${c.before[k]} → ${c.after[k]}`).join(', ')}]`),
  );
  return `${out.join('\n')}\n`;
}

function row(f: Finding): string[] {
  return [f.severity, code(f.accountId), cell(f.principal.name), f.credential ?? '—', code(f.ruleId), cell(f.message)];
}

function markdown(diff: ResultDiff): string {
  const header = ['Severity', 'Account', 'Principal', 'Credential', 'Rule', 'Message'];
  const out = ['## credwarden: what changed', '', `**${headline(diff)}**`];
  const n = notes(diff);
  if (n.length > 0) out.push('', ...n.map((x) => `> ${cell(x)}`));
  const section = (title: string, rows: string[][], head = header) => {
    if (rows.length > 0) out.push('', `### ${title} (${rows.length})`, '', ...table(head, rows));
  };
  section('New findings', diff.added.map(row));
  section('Resolved findings', diff.resolved.map(row));
  section(
    'Changed findings',
    diff.changed.map((c) => [...row(c.after), cell(c.changes.map((k) => `${k}: ${c.before[k]} → ${c.after[k]}`).join(', '))]),
    [...header, 'Change'],
  );
  return `${out.join('\n')}\n`;
}
