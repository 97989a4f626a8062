import type { Account, AccountOutcome, ScanResult, Snapshot } from '../model/index.js';
import { ResultBuilder } from '../core/engine/result.js';
import { toolVersion } from '../collectors/files/package-root.js';
import type { LoadedRuleset } from '../collectors/files/rules.js';
import type { EvaluationOptions } from './options.js';

/** What a streamed scan keeps once every account has gone through evaluation. */
export interface StreamedScan {
  result: ScanResult;
  /** Accounts trimmed to the principals that have findings: what the planner needs. */
  planning: Account[];
  /** Accounts that were skipped or failed. */
  outcomes: AccountOutcome[];
  /** The full snapshot, only when it was asked to be kept (--save-snapshot). */
  snapshot?: Snapshot;
}

/**
 * Evaluates accounts as a collector delivers them, so memory grows with the findings,
 * not with the organisation: an account's principals are dropped as soon as its findings
 * are known, except those the remediation planner needs (principals with findings).
 */
export class StreamingScan {
  private readonly builder: ResultBuilder;
  private readonly planning: Account[] = [];
  private readonly outcomes: AccountOutcome[] = [];
  private readonly kept: Account[] | undefined;

  constructor(loaded: LoadedRuleset, options: Pick<EvaluationOptions, 'asOf'>, keepSnapshot: boolean) {
    this.builder = new ResultBuilder(loaded.ruleset, { toolVersion: toolVersion(), ...(options.asOf ? { asOf: options.asOf } : {}) });
    this.kept = keepSnapshot ? [] : undefined;
  }

  /** Evaluates one scanned account. */
  account(account: Account): void {
    const findings = this.builder.addAccount(account);
    const named = new Set(findings.map((f) => f.principal.arn));
    this.planning.push({ ...account, principals: account.principals.filter((p) => named.has(p.arn)) });
    this.kept?.push(account);
  }

  /** Records an account that was skipped or failed. */
  outcome(outcome: AccountOutcome): void {
    this.builder.addOutcome(outcome);
    this.outcomes.push(outcome);
  }

  /** The result, the planning accounts and, when kept, the snapshot. */
  finish(): StreamedScan {
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    const outcomes = [...this.outcomes].sort(byId);
    return {
      result: this.builder.build(),
      planning: this.planning,
      outcomes,
      ...(this.kept
        ? {
            snapshot: {
              schemaVersion: 1,
              accounts: [...this.kept].sort(byId),
              ...(outcomes.length > 0 ? { skippedAccounts: outcomes } : {}),
            },
          }
        : {}),
    };
  }
}
