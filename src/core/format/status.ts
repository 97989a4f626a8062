import type { RuleSummary } from '../../model/index.js';

/** How a rule's status reads in a report: never "0 open" for a rule that was not evaluated. */
export const STATUS_LABEL: Record<RuleSummary['status'], string> = {
  passed: 'passed',
  failed: 'failed',
  'not-evaluated': 'not evaluated',
  partial: 'partial',
};

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
