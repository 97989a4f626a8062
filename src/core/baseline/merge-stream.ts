/**
 * `merge` as a stream: the shards' accounts go through the report sinks one by one as they are
 * read (a version 3 shard account by account; an older shard, which lists its findings and
 * plans apart, whole), and the only state kept for the whole organisation is what a scan keeps:
 * the tallies, plus each shard's header (metadata, rules, accounts) for the checks and the
 * coverage. The reports are the same as those of {@link mergeResults}'s result; the checks
 * (same rules, pack, as-of, tool version, no account twice, no shard missing) run once every
 * shard is read, before anything is written. Pure.
 */
import type { RuleSummary, ScanResult } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import { compareFindings } from '../engine/result.js';
import { TallyCounter, type AccountSlice, type RuleDefinition, type RunHeader, type Tallies } from '../pipeline/index.js';
import type { ResultHeader } from '../result/stream.js';
import type { ResultProcedure } from '../remediation/index.js';
import { mergeCoverage, mergeProblems, mergeProcedures, mergeWaivers } from './merge.js';

/**
 * What the reports of a merge know before the first account, from the header parts a version
 * 3 shard states before its accounts (as read: see ResultItemHandlers.beforeAccounts).
 * Undefined when a part the reports need is not among them (a file whose keys were reordered):
 * the caller then waits for the shard's whole header.
 */
export function mergeRunHeader(parts: Readonly<Record<string, unknown>>): RunHeader | undefined {
  const { tool, asOf, pack, rulesHash, rules, notes, frameworkCoverage, access } = parts as Omit<Partial<ScanResult>, 'rules'> & {
    rules?: (RuleSummary & { procedure?: string })[];
    access?: RunHeader['access'];
  };
  if (!tool || asOf === undefined || pack === undefined || rulesHash === undefined || !rules) return undefined;
  return {
    schemaVersion: 2,
    toolVersion: tool.version,
    asOf,
    pack,
    rulesHash,
    rules: rules.map(({ status: _s, evaluatedAccounts: _e, notEvaluated: _n, procedure: _p, ...definition }) => definition),
    notes: notes ?? [],
    ...(frameworkCoverage ? { frameworkCoverage } : {}),
    ...(access ? { access } : {}),
    // Each rule's procedure as the scan stated it, so findings and rules are written as the scan wrote them.
    ruleProcedures: Object.fromEntries(rules.flatMap((r) => (r.procedure ? [[r.id, r.procedure]] : []))),
    withBaseline: false,
  };
}

/**
 * An account as a merge writes it: findings and resolved findings in a result's order (a shard
 * wrote them so; a hand-edited one may not have). Plans keep the shard's order.
 */
export function mergedSlice(slice: AccountSlice): AccountSlice {
  return {
    ...slice,
    findings: [...slice.findings].sort(compareFindings),
    ...(slice.resolved ? { resolved: [...slice.resolved].sort(compareFindings) } : {}),
  };
}

/**
 * The tallies of the shards being merged: counted account by account like a scan's, with each
 * shard's header kept for the checks and the rules' coverage.
 */
export class MergeTallies {
  private readonly counter = new TallyCounter();
  private readonly shards: { file: string; header: ResultHeader }[] = [];

  /** Counts one account (the one the sinks were given). */
  add(slice: AccountSlice): void {
    this.counter.add(slice);
  }

  /** A shard read to its end: its header. */
  shard(file: string, header: ResultHeader): void {
    this.shards.push({ file, header });
  }

  /**
   * The tallies of the merged result, as a scan of every shard's accounts would give them.
   * @throws InputError listing every reason the shards cannot be merged
   */
  finish(): Tallies {
    const problems = mergeProblems(this.shards.map(({ file, header }) => ({ file, result: header })));
    if (problems.length > 0) throw new InputError(problems, 'results cannot be merged');
    const headers = this.shards.map((s) => s.header);
    const rules = mergeCoverage(headers.map((h) => h.rules));
    const coverage = new Map(rules.map((r) => [r.id, { evaluatedAccounts: r.evaluatedAccounts, notEvaluated: r.notEvaluated }]));
    const definitions: RuleDefinition[] = rules.map(({ status: _s, evaluatedAccounts: _e, notEvaluated: _n, ...definition }) => definition);
    const waivers = headers.some((h) => h.waivers) ? mergeWaivers(headers.map((h) => h.waivers ?? [])) : undefined;
    const procedures = mergeProcedures(headers.map((h) => h.procedures ?? [])) as unknown as ResultProcedure[];
    const warnings = [...new Set(headers.flatMap((h) => h.warnings ?? []))];
    const tallies = this.counter.tallies(definitions, (id) => coverage.get(id) ?? { evaluatedAccounts: 0, notEvaluated: [] }, {
      ...(waivers ? { waivers } : {}),
      withBaseline: headers.some((h) => h.counts.resolved !== undefined),
      ...(procedures.length > 0 ? { procedures } : {}),
    });
    return { ...tallies, ...(warnings.length > 0 ? { warnings } : {}) };
  }
}
