import type { AccountResult, RuleSummary } from '../../model/index.js';
import type { AccountSlice, RunHeader, Tallies } from '../pipeline/types.js';
import { planOutlines } from '../remediation/index.js';
import { compactFinding, planCompactor, ruleDefaults, type RuleDefaults } from '../result/v3.js';
import { defineFormatter, type FormatterEntry, type ReportSink } from './types.js';

/** The result schema version the JSON format writes (schemas/result-v3.schema.json). */
export const WRITTEN_SCHEMA_VERSION = 3;

/**
 * The documented result, schema v3 (schemas/result-v3.schema.json): one JSON document, one line
 * per item. Everything but the accounts comes first (written once every account is in: the
 * rules with their status, the summary, waivers, the procedures' text); then each account with
 * its findings, plans and resolved findings, in account-id order. An account's block is written
 * as soon as it is scanned, so nothing of the organisation is held; a reader meets the rules and
 * procedures before the findings that refer to them.
 */
function openJson(header: RunHeader): ReportSink {
  const rules = ruleDefaults(header.rules, header.ruleProcedures ?? {});
  let accounts = 0;
  return {
    separator: ',\n',
    account(slice) {
      accounts++;
      return accountBlock(slice, header, rules);
    },
    end(tallies) {
      return { head: [headText(header, tallies, accounts > 0)], tail: [accounts > 0 ? '\n]}\n' : ']}\n'] };
    },
    state: {
      save: () => accounts,
      absorb: (saved) => void (accounts += saved as number),
    },
  };
}

/** The parts before the accounts, ending with the opening of the accounts list. */
function headText(header: RunHeader, tallies: Tallies, withAccounts: boolean): string {
  const line = (key: string, value: unknown) => `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  const list = (key: string, items: readonly unknown[]) =>
    items.length === 0 ? `${JSON.stringify(key)}:[]` : `${JSON.stringify(key)}:[\n${items.map((i) => JSON.stringify(i)).join(',\n')}\n]`;
  const procedures = header.ruleProcedures ?? {};
  const rules = tallies.rules.map((r: RuleSummary) => (procedures[r.id] ? { ...r, procedure: procedures[r.id] } : r));
  const parts = [
    line('schemaVersion', WRITTEN_SCHEMA_VERSION),
    line('tool', { name: 'credwarden', version: header.toolVersion }),
    line('asOf', header.asOf),
    line('pack', header.pack),
    line('rulesHash', header.rulesHash),
    line('notes', header.notes),
    ...(header.shard ? [line('shard', header.shard)] : []),
    ...(header.access ? [line('access', header.access)] : []),
    ...(header.frameworkCoverage ? [list('frameworkCoverage', header.frameworkCoverage)] : []),
    list('rules', rules),
    line('summary', tallies.summary),
    ...(tallies.waivers ? [list('waivers', tallies.waivers)] : []),
    ...(tallies.warnings && tallies.warnings.length > 0 ? [line('warnings', tallies.warnings)] : []),
    ...(tallies.procedures && tallies.procedures.length > 0 ? [list('procedures', tallies.procedures)] : []),
  ];
  return `{${parts.join(',\n')},\n"accounts":[${withAccounts ? '\n' : ''}`;
}

/**
 * One account: its entry, then its findings, plans and resolved findings, one per line. The text
 * is given in pieces (each item's line on its own, never joined): the spool encodes flat pieces
 * where they land, while a joined account (megabytes at a few thousand users) would first be
 * copied into one string. The pieces are made as they are taken, so each is garbage once encoded:
 * an account's pieces held together until the last is made are copied by every young-generation
 * collection they live through, and promoted to the old generation.
 */
function* accountBlock(slice: AccountSlice, header: RunHeader, rules: ReadonlyMap<string, RuleDefaults>): Generator<string> {
  const account: AccountResult | undefined = slice.account;
  const entry = account ? JSON.stringify(account) : JSON.stringify({ id: slice.id, unlisted: true });
  const owner = account ?? { id: slice.id, reportGeneratedTime: '' };
  yield entry.slice(0, -1);
  yield ',"findings":';
  yield* jsonLines(slice.findings, (f) => compactFinding(f, rules.get(f.ruleId), account));
  yield ',"plans":';
  yield* jsonLines(planOutlines(slice), planCompactor(owner, header.asOf));
  if (slice.resolved) {
    yield ',"resolved":';
    yield* jsonLines(slice.resolved, (f) => f);
  }
  yield '}';
}

/** A JSON array with one item per line (`[]` when empty), each item written as `toJson` gives it. */
function* jsonLines<T>(items: readonly T[], toJson: (item: T) => unknown): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  yield '[\n';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) yield ',\n';
    yield JSON.stringify(toJson(items[i]!));
  }
  yield ']';
}

/** The documented result (schemas/result-v3.schema.json), account by account. */
export const jsonFormatter: FormatterEntry = defineFormatter({
  name: 'json',
  description: 'machine-readable result (schemas/result-v3.schema.json)',
  extension: 'json',
  infersFrom: ['json'],
  open: openJson,
});
