import type { Diagnostic, RuleSummary, ScanResult, WaiverOutcome } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import { compareFindings, summarise } from '../engine/result.js';
import { withRuleStatuses } from '../engine/coverage.js';

/** A result together with the file it came from, for error messages. */
export interface NamedResult {
  file: string;
  result: ScanResult;
}

/** What the merge checks read of a result: its metadata and accounts (a streamed shard's header). */
export type ShardMetadata = Pick<ScanResult, 'rulesHash' | 'pack' | 'asOf' | 'tool' | 'shard' | 'accounts'>;

/**
 * Why results cannot be merged: different rules, pack, as-of or tool version, an account in
 * two of them, a shard missing or given twice. Empty when they can.
 */
export function mergeProblems(inputs: readonly { file: string; result: ShardMetadata }[]): Diagnostic[] {
  const first = inputs[0];
  if (!first) return [{ severity: 'error', file: '(none)', message: 'no results to merge' }];
  return [...consistency(inputs, first), ...duplicateAccounts(inputs), ...missingShards(inputs)];
}

/** The procedures the shards state, one copy of each id (the first shard's), ordered by id. */
export function mergeProcedures<P extends { id: string }>(lists: readonly (readonly P[])[]): P[] {
  return [
    ...new Map(
      lists
        .flat()
        .reverse()
        .map((p) => [p.id, p]),
    ).values(),
  ].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Combines the results of shards (or of separate scans of disjoint accounts)
 * into one result with the same findings a single run would give. All inputs
 * must have used the same rules (rules hash), pack and as-of override, and no
 * account may appear twice. With shard metadata, missing shards are an error.
 * @throws InputError listing every inconsistency
 */
export function mergeResults(inputs: readonly NamedResult[]): ScanResult {
  const first = inputs[0];
  if (!first) throw new InputError([{ severity: 'error', file: '(none)', message: 'no results to merge' }]);
  const diagnostics = mergeProblems(inputs);
  if (diagnostics.length > 0) throw new InputError(diagnostics, 'results cannot be merged');
  const accounts = inputs.flatMap((i) => i.result.accounts).sort((a, b) => a.id.localeCompare(b.id));
  const findings = inputs.flatMap((i) => i.result.findings).sort(compareFindings);
  // Accounts are disjoint, so are plans: account order, each shard keeping its principals' order.
  const plans = inputs.flatMap((i) => i.result.plans).sort((a, b) => a.accountId.localeCompare(b.accountId));
  const resolved = inputs.some((i) => i.result.resolved) ? inputs.flatMap((i) => i.result.resolved ?? []).sort(compareFindings) : undefined;
  const waivers = inputs.some((i) => i.result.waivers) ? mergeWaivers(inputs.map((i) => i.result.waivers ?? [])) : undefined;
  const warnings = [...new Set(inputs.flatMap((i) => i.result.warnings ?? []))];
  // The procedures the plans use: one copy of each id, from the first shard that holds it.
  const procedures = mergeProcedures(inputs.map((i) => i.result.procedures ?? []));
  const { shard: _shard, warnings: _warnings, resolved: _resolved, waivers: _waivers, procedures: _procedures, ...base } = first.result;
  const summary = summarise(findings, accounts);
  return {
    ...base,
    rules: withRuleStatuses(mergeCoverage(inputs.map((i) => i.result.rules)), summary, findings),
    accounts,
    summary,
    findings,
    plans,
    ...(procedures.length > 0 ? { procedures } : {}),
    ...(resolved ? { resolved } : {}),
    ...(waivers ? { waivers } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/**
 * Each rule's coverage over every shard: accounts evaluated add up, accounts not evaluated
 * are listed together (the shards' accounts are disjoint). Statuses are recomputed after.
 */
export function mergeCoverage(lists: readonly (readonly RuleSummary[])[]): RuleSummary[] {
  const merged = new Map<string, RuleSummary>();
  for (const rule of lists.flat()) {
    const seen = merged.get(rule.id);
    merged.set(
      rule.id,
      seen
        ? {
            ...seen,
            evaluatedAccounts: seen.evaluatedAccounts + rule.evaluatedAccounts,
            notEvaluated: [...seen.notEvaluated, ...rule.notEvaluated],
          }
        : rule,
    );
  }
  return [...merged.values()].map((rule) => ({
    ...rule,
    notEvaluated: [...rule.notEvaluated].sort((a, b) => a.accountId.localeCompare(b.accountId)),
  }));
}

function consistency(
  inputs: readonly { file: string; result: ShardMetadata }[],
  first: { file: string; result: ShardMetadata },
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { file, result } of inputs.slice(1)) {
    const check = (pointer: string, a: unknown, b: unknown, what: string) => {
      if (a !== b)
        out.push({
          severity: 'error',
          file,
          pointer,
          message: `${what} ${JSON.stringify(b)} differs from ${JSON.stringify(a)} in ${first.file}`,
          suggestion: 'merge only shards of the same scan',
        });
    };
    check('/rulesHash', first.result.rulesHash, result.rulesHash, 'rules hash');
    check('/pack', first.result.pack, result.pack, 'pack');
    check('/asOf', first.result.asOf, result.asOf, 'as-of');
    check('/tool/version', first.result.tool.version, result.tool.version, 'tool version');
    if (first.result.shard?.count !== result.shard?.count)
      check('/shard/count', first.result.shard?.count, result.shard?.count, 'shard count');
  }
  return out;
}

function duplicateAccounts(inputs: readonly { file: string; result: ShardMetadata }[]): Diagnostic[] {
  const seen = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const { file, result } of inputs) {
    result.accounts.forEach((account, index) => {
      const other = seen.get(account.id);
      if (other !== undefined)
        out.push({
          severity: 'error',
          file,
          pointer: `/accounts/${index}`,
          message: `account ${account.id} is also in ${other}`,
          suggestion: 'each account must come from one shard only',
        });
      else seen.set(account.id, file);
    });
  }
  return out;
}

function missingShards(inputs: readonly { file: string; result: ShardMetadata }[]): Diagnostic[] {
  const count = inputs[0]?.result.shard?.count;
  if (count === undefined) return [];
  const present = new Map<number, string>();
  const out: Diagnostic[] = [];
  for (const { file, result } of inputs) {
    const index = result.shard?.index;
    if (index === undefined) continue;
    const other = present.get(index);
    if (other !== undefined)
      out.push({ severity: 'error', file, pointer: '/shard/index', message: `shard ${index}/${count} is also ${other}` });
    present.set(index, file);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !present.has(i));
  if (missing.length > 0) {
    out.push({
      severity: 'error',
      file: inputs.map((i) => i.file).join(', '),
      message: `missing shard(s) ${missing.map((m) => `${m}/${count}`).join(', ')}`,
      suggestion: 'pass every shard result, or none with shard metadata',
    });
  }
  return out;
}

/**
 * One outcome per waiver: matches add up across shards; a waiver is stale only
 * when it matched nothing in any shard.
 */
export function mergeWaivers(lists: readonly (readonly WaiverOutcome[])[]): WaiverOutcome[] {
  const merged = new Map<string, WaiverOutcome>();
  for (const list of lists) {
    for (const w of list) {
      const seen = merged.get(w.id);
      merged.set(w.id, seen ? { ...seen, matched: seen.matched + w.matched } : { ...w });
    }
  }
  return [...merged.values()].map((w) => (w.state === 'expired' ? w : { ...w, state: w.matched > 0 ? 'active' : 'stale' }));
}
