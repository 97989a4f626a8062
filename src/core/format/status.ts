import type { RuleSummary } from '../../model/index.js';

/** A rule's or a framework control's status; `out-of-scope` only for framework controls. */
export type AnyStatus = RuleSummary['status'] | 'out-of-scope';

/**
 * How a status reads in a report: never "0 open" for a rule that was not evaluated, and never
 * "passed" for a failure whose exception was accepted (`accepted`) or a rule evaluated with
 * parameters looser than its framework's (`deviates`). See docs/reports.md.
 */
export const STATUS_LABEL: Record<AnyStatus, string> = {
  passed: 'passed',
  failed: 'failed',
  accepted: 'accepted',
  deviates: 'deviates',
  'not-evaluated': 'not evaluated',
  partial: 'partial',
  'out-of-scope': 'out of scope',
};

/** A mark per status for Markdown tables (GitHub renders the emoji). */
export const STATUS_EMOJI: Record<AnyStatus, string> = {
  passed: '✅',
  failed: '❌',
  accepted: '🟠',
  deviates: '⚠️',
  'not-evaluated': '⚪',
  partial: '🟡',
  'out-of-scope': '➖',
};

/** A text mark per status for HTML and plain text (no emoji font needed). */
export const STATUS_SYMBOL: Record<AnyStatus, string> = {
  passed: '✓',
  failed: '✗',
  accepted: '!',
  deviates: '≠',
  'not-evaluated': '–',
  partial: '◐',
  'out-of-scope': '·',
};

/** One sentence per status, for the legend every control matrix carries. */
export const STATUS_LEGEND =
  'passed: evaluated in every scanned account, no finding, parameters at least as strict as the framework · failed: at least one open finding · accepted: failed, with every finding waived (an accepted exception, never passed) · deviates: no finding, but evaluated with parameters looser than the framework · partial: evaluated in some accounts only, no finding · not evaluated: evaluated in no account, or by no rule of this pack · out of scope: not a credential-hygiene control (reason given).';

/**
 * Why a rule was not evaluated somewhere, in one line: the count of accounts and each distinct
 * reason once (an offline scan of 300 accounts gives one reason, not 300). Empty when evaluated everywhere.
 */
export function notEvaluatedNote(rule: Pick<RuleSummary, 'notEvaluated'>): string {
  if (rule.notEvaluated.length === 0) return '';
  const reasons = [...new Set(rule.notEvaluated.map((n) => n.reason))];
  const count = rule.notEvaluated.length;
  return `${count} account${count === 1 ? '' : 's'}: ${reasons.join('; ')}`;
}
