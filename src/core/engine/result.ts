import type { Account, AccountOutcome, AccountResult, Finding, ScanResult, Severity, Summary } from '../../model/index.js';
import { SEVERITIES, severityRank } from '../../model/index.js';
import type { Ruleset } from '../rules/ruleset.js';
import { accountAsOf, evaluateAccount } from './evaluate.js';
import { CoverageTracker, ruleStatus } from './coverage.js';
import { IDENTITY_CENTER_NOTE } from '../remediation/types.js';

/** What no credential report covers, stated once in every report (see the result's `notes`). */
const SCOPE_NOTES: readonly string[] = [IDENTITY_CENTER_NOTE];

/** Metadata of a result that does not come from the accounts. */
export interface ResultMeta {
  toolVersion: string;
  /** The --as-of override, if any. */
  asOf?: string;
}

/**
 * Accumulates a scan result one account at a time, so collectors can stream
 * accounts through evaluation without keeping their principals.
 */
export class ResultBuilder {
  private readonly accounts: AccountResult[] = [];
  private readonly findings: Finding[] = [];
  private readonly coverage: CoverageTracker;
  readonly warnings: string[] = [];

  constructor(
    private readonly ruleset: Ruleset,
    private readonly meta: ResultMeta,
  ) {
    this.coverage = new CoverageTracker(ruleset.rules);
  }

  /** Evaluates one account and records its findings; returns them. */
  addAccount(account: Account): Finding[] {
    const findings = evaluateAccount(account, this.ruleset, this.meta.asOf);
    this.coverage.scanned(account);
    this.accounts.push({
      id: account.id,
      ...(account.name !== undefined ? { name: account.name } : {}),
      ...(account.ouPath !== undefined ? { ouPath: account.ouPath } : {}),
      reportGeneratedTime: account.reportGeneratedTime,
      asOf: accountAsOf(account, this.meta.asOf),
      status: 'scanned',
      principals: account.principals.length,
      ...(account.facts !== undefined ? { facts: reportedFacts(account.facts) } : {}),
    });
    for (const finding of findings) this.findings.push(finding);
    return findings;
  }

  /** Records an account that was skipped or failed, with the reason. */
  addOutcome(outcome: AccountOutcome): void {
    this.accounts.push({ ...outcome });
    this.coverage.outcome(outcome);
  }

  /** The finished result, with accounts and findings in a deterministic order. */
  build(): ScanResult {
    const accounts = [...this.accounts].sort((a, b) => a.id.localeCompare(b.id));
    const findings = [...this.findings].sort(compareFindings);
    const summary = summarise(findings, accounts);
    return {
      schemaVersion: 2,
      tool: { name: 'credwarden', version: this.meta.toolVersion },
      asOf: this.meta.asOf ?? null,
      pack: this.ruleset.pack,
      rulesHash: this.ruleset.hash,
      rules: this.ruleset.rules.map((r) => {
        const coverage = this.coverage.of(r.id);
        return {
          id: r.id,
          title: r.title,
          description: r.description,
          severity: r.severity,
          parameters: { ...r.params },
          ...(r.bounds ? { bounds: { ...r.bounds } } : {}),
          frameworks: r.frameworks,
          docs: r.docs,
          source: r.file,
          status: ruleStatus({ open: summary.byRule[r.id] ?? 0, deviations: r.deviations }, coverage),
          ...(r.deviations.length > 0 ? { deviations: [...r.deviations] } : {}),
          ...coverage,
        };
      }),
      accounts,
      summary,
      findings,
      // Remediation plans are attached later (after waivers): see attachPlans.
      plans: [],
      notes: [...SCOPE_NOTES],
      ...(this.ruleset.coverage.length > 0 ? { frameworkCoverage: this.ruleset.coverage } : {}),
      ...(this.warnings.length > 0 ? { warnings: [...this.warnings] } : {}),
    };
  }
}

/**
 * Account facts for the result. Facts named `…Inputs` are a collector's raw inputs (e.g. the
 * authorization details behind recovery paths): evidence for the snapshot, too large and
 * too detailed for every report.
 */
function reportedFacts(facts: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(facts).filter(([name]) => !name.endsWith('Inputs')));
}

/** Orders findings by account, principal, severity, rule and credential. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    textOrder(a.accountId, b.accountId) ||
    textOrder(a.principal.name, b.principal.name) ||
    severityRank(a.severity) - severityRank(b.severity) ||
    textOrder(a.ruleId, b.ruleId) ||
    textOrder(a.credential ?? '', b.credential ?? '')
  );
}

/** `a.localeCompare(b)`, without the collation when the strings are the same (most compares of an account's findings). */
function textOrder(a: string, b: string): number {
  return a === b ? 0 : a.localeCompare(b);
}

/** Counts open (not waived) findings by severity and rule, and accounts by status. */
export function summarise(findings: readonly Finding[], accounts: readonly AccountResult[]): Summary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Summary['bySeverity'];
  const byRule: Record<string, number> = {};
  let open = 0;
  let fresh = 0;
  for (const finding of findings) {
    if (finding.baseline === 'new') fresh++;
    if (finding.status !== 'open') continue;
    open++;
    bySeverity[finding.severity]++;
    byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
  }
  const count = (status: AccountResult['status']) => accounts.filter((a) => a.status === status).length;
  return {
    total: findings.length,
    open,
    waived: findings.length - open,
    ...(findings.some((f) => f.baseline !== undefined) ? { new: fresh } : {}),
    bySeverity,
    byRule,
    accounts: { scanned: count('scanned'), failed: count('failed'), skipped: count('skipped') },
  };
}

/** True when an open finding is at or above `threshold`. */
export function reachesSeverity(findings: readonly Finding[], threshold: Severity): boolean {
  return findings.some((f) => f.status === 'open' && severityRank(f.severity) <= severityRank(threshold));
}

/** Evaluates a whole snapshot at once. */
export function evaluateSnapshot(
  snapshot: { accounts: Account[]; skippedAccounts?: AccountOutcome[] },
  ruleset: Ruleset,
  meta: ResultMeta,
): ScanResult {
  const builder = new ResultBuilder(ruleset, meta);
  for (const account of snapshot.accounts) builder.addAccount(account);
  for (const outcome of snapshot.skippedAccounts ?? []) builder.addOutcome(outcome);
  return builder.build();
}
