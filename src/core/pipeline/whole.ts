/**
 * A whole result and the pipeline's pieces, both ways: a result (the formatters' tests, a small
 * result) goes through the same sinks as a scan, and a scan's pieces make the whole result a
 * version 2 reader gets.
 */
import type { Finding, Plan, ScanResult, Severity } from '../../model/index.js';
import { bySeverity } from './tallies.js';
import type { AccountSlice, RunHeader, Tallies } from './types.js';

/** The result split into the header, one slice per account (in account-id order) and the tallies. */
export function sliceResult(result: ScanResult): { header: RunHeader; slices: AccountSlice[]; tallies: Tallies } {
  const findings = groupBy(result.findings, (f) => f.accountId);
  const plans = groupBy(result.plans ?? [], (p: Plan) => p.accountId);
  const resolved = groupBy(result.resolved ?? [], (f) => f.accountId);
  const listed = new Map(result.accounts.map((a) => [a.id, a]));
  const ids = [...new Set([...listed.keys(), ...findings.keys(), ...plans.keys(), ...resolved.keys()])].sort((a, b) => a.localeCompare(b));
  const slices = ids.map((id) => {
    const account = listed.get(id);
    return {
      id,
      ...(account ? { account } : {}),
      findings: findings.get(id) ?? [],
      plans: plans.get(id) ?? [],
      ...(result.resolved ? { resolved: resolved.get(id) ?? [] } : {}),
    };
  });
  const header: RunHeader = {
    schemaVersion: result.schemaVersion,
    toolVersion: result.tool.version,
    asOf: result.asOf,
    pack: result.pack,
    rulesHash: result.rulesHash,
    rules: result.rules.map(({ status: _s, evaluatedAccounts: _e, notEvaluated: _n, ...definition }) => definition),
    notes: result.notes ?? [],
    ...(result.shard ? { shard: result.shard } : {}),
    ...(result.frameworkCoverage ? { frameworkCoverage: result.frameworkCoverage } : {}),
    ruleProcedures: ruleProceduresOf(result.findings),
    withBaseline: result.resolved !== undefined || result.findings.some((f) => f.baseline !== undefined),
  };
  return { header, slices, tallies: talliesOf(result) };
}

/** The tallies of a whole result. */
export function talliesOf(result: ScanResult): Tallies {
  const waived = bySeverity();
  const open = bySeverity();
  const newOpen = bySeverity();
  const planned = new Set<string>();
  for (const f of result.findings) {
    if (f.status !== 'open') {
      waived[f.severity as Severity]++;
      continue;
    }
    open[f.severity]++;
    if (f.baseline === 'new') newOpen[f.severity]++;
    planned.add(f.principal.arn);
  }
  return {
    summary: result.summary,
    rules: result.rules,
    ...(result.waivers ? { waivers: result.waivers } : {}),
    ...(result.warnings ? { warnings: result.warnings } : {}),
    waivedBySeverity: waived,
    gate: { open, newOpen },
    ...(result.resolved ? { resolved: result.resolved.length } : {}),
    plannedPrincipals: planned.size,
    plans: (result.plans ?? []).length,
    ...(result.procedures ? { procedures: result.procedures as unknown as Tallies['procedures'] } : {}),
  };
}

/**
 * The whole result of a run from its pieces (slices in any order): what the result held
 * in memory before the pipeline streamed, and still what a v2 JSON reader gets.
 */
export function assembleResult(header: RunHeader, slices: readonly AccountSlice[], tallies: Tallies): ScanResult {
  const sorted = [...slices].sort((a, b) => a.id.localeCompare(b.id));
  const findings: Finding[] = [];
  const plans: Plan[] = [];
  const resolved: Finding[] = [];
  for (const slice of sorted) {
    for (const f of slice.findings) findings.push(f);
    for (const p of slice.plans) plans.push(p);
    for (const f of slice.resolved ?? []) resolved.push(f);
  }
  return {
    schemaVersion: header.schemaVersion as 2,
    tool: { name: 'credwarden', version: header.toolVersion },
    asOf: header.asOf,
    pack: header.pack,
    rulesHash: header.rulesHash,
    rules: [...tallies.rules],
    accounts: sorted.flatMap((s) => (s.account ? [s.account] : [])),
    summary: tallies.summary,
    findings,
    plans,
    notes: [...header.notes],
    ...(header.frameworkCoverage ? { frameworkCoverage: header.frameworkCoverage } : {}),
    ...(tallies.warnings && tallies.warnings.length > 0 ? { warnings: [...tallies.warnings] } : {}),
    ...(tallies.waivers ? { waivers: [...tallies.waivers] } : {}),
    ...(tallies.resolved !== undefined ? { resolved } : {}),
    ...(header.shard ? { shard: header.shard } : {}),
    ...(tallies.procedures && tallies.procedures.length > 0
      ? { procedures: [...tallies.procedures] as unknown as ScanResult['procedures'] }
      : {}),
  };
}

/** Each rule's procedure as its first finding names it (a whole result lists none per rule). */
function ruleProceduresOf(findings: readonly Finding[]): Record<string, string> {
  const procedures: Record<string, string> = {};
  for (const f of findings) procedures[f.ruleId] ??= f.remediation.procedure;
  return procedures;
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
