import type { Account, AccountOutcome, NotEvaluated, RuleSummary, Summary } from '../../model/index.js';
import type { CompiledRule } from '../rules/ruleset.js';

/** The status of a rule over a scan (result schema, RuleSummary.status). */
export type RuleStatus = RuleSummary['status'];

/** Where a rule was decided: the coverage half of its status, independent of findings. */
export interface RuleCoverage {
  evaluatedAccounts: number;
  notEvaluated: NotEvaluated[];
}

/**
 * Why `rule` cannot be decided in a scanned `account`, or undefined when it can. Implements
 * the fact-availability contract: a rule reading no facts is decided wherever the account was
 * scanned; a rule reading facts only where every fact root it requires (all it reads but its
 * `optionalFacts`) was collected (`factsCollected`) and none was reported unavailable
 * (`factsUnavailable`).
 */
export function undecidedReason(
  rule: Pick<CompiledRule, 'requiredFacts' | 'needsLiveScan'>,
  account: Pick<Account, 'factsCollected' | 'factsUnavailable' | 'source'>,
): string | undefined {
  if (rule.requiredFacts.length === 0) return undefined;
  // A saved credential report declares no facts at all: say what only a live scan can tell.
  if (account.source !== 'aws' && account.factsCollected === undefined && account.factsUnavailable === undefined) {
    return `needs a live scan: ${rule.needsLiveScan ?? `the credential report has no ${rule.requiredFacts.join(', ')} facts`}`;
  }
  const unavailable = rule.requiredFacts.flatMap((root) => {
    const why = account.factsUnavailable?.[root];
    return why !== undefined ? [why] : [];
  });
  if (unavailable.length > 0) return [...new Set(unavailable)].join('; ');
  const collected = new Set(account.factsCollected ?? []);
  const missing = rule.requiredFacts.filter((root) => !collected.has(root));
  return missing.length > 0 ? `not collected in this scan: ${missing.join(', ')} facts` : undefined;
}

/**
 * A rule's status from its open findings and its coverage: failed with any open finding
 * (waived ones do not count), else not-evaluated when decided nowhere, partial when some
 * accounts could not decide it, passed only when every scanned account did.
 */
export function ruleStatus(openFindings: number, coverage: RuleCoverage): RuleStatus {
  if (openFindings > 0) return 'failed';
  if (coverage.evaluatedAccounts === 0) return 'not-evaluated';
  return coverage.notEvaluated.length > 0 ? 'partial' : 'passed';
}

/**
 * The rules with their status recomputed from the summary's open findings by rule: call it
 * whenever findings change status (waivers) or are combined (merge).
 */
export function withRuleStatuses(rules: readonly RuleSummary[], summary: Pick<Summary, 'byRule'>): RuleSummary[] {
  return rules.map((rule) => {
    const status = ruleStatus(summary.byRule[rule.id] ?? 0, rule);
    return status === rule.status ? rule : { ...rule, status };
  });
}

/** Accumulates, account by account, where each rule of a scan was decided. */
export class CoverageTracker {
  private readonly coverage = new Map<string, RuleCoverage>();

  constructor(private readonly rules: readonly CompiledRule[]) {
    for (const rule of rules) this.coverage.set(rule.id, { evaluatedAccounts: 0, notEvaluated: [] });
  }

  /** A scanned account: each rule is decided there or not, by the facts it reads. */
  scanned(account: Account): void {
    for (const rule of this.rules) {
      const coverage = this.coverage.get(rule.id)!;
      const reason = undecidedReason(rule, account);
      if (reason === undefined) coverage.evaluatedAccounts++;
      else coverage.notEvaluated.push({ accountId: account.id, reason });
    }
  }

  /** A failed account decides no rule; a skipped (inactive) account is out of scope. */
  outcome(outcome: AccountOutcome): void {
    if (outcome.status !== 'failed') return;
    for (const coverage of this.coverage.values())
      coverage.notEvaluated.push({ accountId: outcome.id, reason: `account failed: ${outcome.reason}` });
  }

  /** The coverage of `ruleId`, accounts in id order. */
  of(ruleId: string): RuleCoverage {
    const coverage = this.coverage.get(ruleId) ?? { evaluatedAccounts: 0, notEvaluated: [] };
    return {
      evaluatedAccounts: coverage.evaluatedAccounts,
      notEvaluated: [...coverage.notEvaluated].sort((a, b) => a.accountId.localeCompare(b.accountId)),
    };
  }
}
