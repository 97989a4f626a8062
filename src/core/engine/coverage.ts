import type { Account, AccountOutcome, Finding, NotEvaluated, RuleSummary, Summary } from '../../model/index.js';
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
 * (`factsUnavailable`). A rule about the account itself (it applies to the root user only) is
 * decided only where the credential report lists the root user: AWS always does, an endpoint
 * that does not (moto) must not turn into a passed password-policy or root check.
 */
export function undecidedReason(
  rule: Pick<CompiledRule, 'requiredFacts' | 'needsLiveScan'> & Partial<Pick<CompiledRule, 'appliesTo'>>,
  account: Pick<Account, 'factsCollected' | 'factsUnavailable' | 'source'> & Partial<Pick<Account, 'principals'>>,
): string | undefined {
  const factsReason = undecidedByFacts(rule, account);
  if (factsReason !== undefined) return factsReason;
  const aboutRootOnly = rule.appliesTo !== undefined && rule.appliesTo.size === 1 && rule.appliesTo.has('root');
  if (aboutRootOnly && account.principals !== undefined && !account.principals.some((p) => p.type === 'root'))
    return 'the credential report has no <root_account> row (AWS always lists the root user): nothing to report this account-level rule on';
  return undefined;
}

function undecidedByFacts(
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

/** What decides a rule's status besides where it was decided. */
export interface RuleVerdictInputs {
  /** Open findings of the rule. */
  open: number;
  /** Waived findings of the rule (exceptions accepted). */
  waived?: number;
  /** Framework controls whose own parameters are stricter than the ones in force. */
  deviations?: readonly unknown[];
}

/**
 * A rule's status, never `passed` in the reassuring direction: failed with any open finding;
 * accepted when its only findings are waived (a failure whose exception was accepted);
 * not-evaluated when decided nowhere; deviates when evaluated under parameters looser than a
 * framework it maps to; partial when some accounts could not decide it; passed only when every
 * scanned account decided it under parameters at least as strict as its frameworks'.
 */
export function ruleStatus(
  verdict: number | RuleVerdictInputs,
  coverage: { evaluatedAccounts: number; notEvaluated: readonly NotEvaluated[] },
): RuleStatus {
  const { open, waived = 0, deviations = [] } = typeof verdict === 'number' ? { open: verdict } : verdict;
  if (open > 0) return 'failed';
  if (waived > 0) return 'accepted';
  if (coverage.evaluatedAccounts === 0) return 'not-evaluated';
  if (deviations.length > 0) return 'deviates';
  return coverage.notEvaluated.length > 0 ? 'partial' : 'passed';
}

/** Waived findings by rule id. */
export function waivedByRule(findings: Iterable<Pick<Finding, 'ruleId' | 'status'>>): Map<string, number> {
  const waived = new Map<string, number>();
  for (const f of findings) if (f.status === 'waived') waived.set(f.ruleId, (waived.get(f.ruleId) ?? 0) + 1);
  return waived;
}

/**
 * The rules with their status recomputed from the summary's open findings by rule and the
 * findings' waived ones: call it whenever findings change status (waivers) or are combined (merge).
 */
export function withRuleStatuses(
  rules: readonly RuleSummary[],
  summary: Pick<Summary, 'byRule'>,
  findings: Iterable<Pick<Finding, 'ruleId' | 'status'>> = [],
): RuleSummary[] {
  const waived = waivedByRule(findings);
  return rules.map((rule) => {
    const status = ruleStatus(
      { open: summary.byRule[rule.id] ?? 0, waived: waived.get(rule.id) ?? 0, deviations: rule.deviations ?? [] },
      rule,
    );
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

  /** Where each rule was decided so far, as data: another tracker (another thread's) absorbs it. */
  save(): ReadonlyMap<string, RuleCoverage> {
    return this.coverage;
  }

  /** Adds another tracker's coverage: counts add up, accounts not evaluated are listed (sorted by {@link of}). */
  absorb(other: ReadonlyMap<string, RuleCoverage>): void {
    for (const [id, theirs] of other) {
      const mine = this.coverage.get(id);
      if (!mine) this.coverage.set(id, { evaluatedAccounts: theirs.evaluatedAccounts, notEvaluated: [...theirs.notEvaluated] });
      else {
        mine.evaluatedAccounts += theirs.evaluatedAccounts;
        mine.notEvaluated.push(...theirs.notEvaluated);
      }
    }
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
