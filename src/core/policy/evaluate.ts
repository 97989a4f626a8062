import { unknownOf } from './match.js';
import { statementApplies, usesVariables } from './statement.js';
import type { EvalRequest, EvalResult, Match, MatchedStatement, NamedPolicy, PolicyLayer, PolicySet } from './types.js';

/** What one layer (identity, boundary, one SCP level) says about a request. */
interface LayerOutcome {
  allow: Match['kind'] | 'none';
  deny: Match['kind'] | 'none';
  matched: MatchedStatement[];
}

function strongest(current: LayerOutcome['allow'], next: Match['kind']): LayerOutcome['allow'] {
  if (current === 'yes' || next === 'yes') return 'yes';
  if (current === 'unknown' || next === 'unknown') return 'unknown';
  return current === 'none' ? 'none' : current;
}

/** Evaluates every statement of a layer's policies, keeping the applicable ones for explanations. */
function evaluateLayer(layer: PolicyLayer, policies: readonly NamedPolicy[], request: EvalRequest, scpTarget?: string): LayerOutcome {
  const outcome: LayerOutcome = { allow: 'none', deny: 'none', matched: [] };
  for (const policy of policies) {
    const variables = usesVariables(policy.document);
    for (const statement of policy.document.statements) {
      const m = statementApplies(statement, request, variables);
      if (m.kind === 'no') continue;
      if (statement.effect === 'Allow') outcome.allow = strongest(outcome.allow, m.kind);
      else outcome.deny = strongest(outcome.deny, m.kind);
      outcome.matched.push({
        layer,
        policyName: policy.name,
        ...(policy.arn ? { policyArn: policy.arn } : {}),
        ...(policy.attachedVia ? { attachedVia: policy.attachedVia } : {}),
        ...(scpTarget ? { scpTarget } : {}),
        ...(statement.sid ? { sid: statement.sid } : {}),
        effect: statement.effect,
        index: statement.index,
        conditional: m.kind === 'unknown',
        ...(m.kind === 'unknown' ? { unknownKeys: m.keys } : {}),
      });
    }
  }
  return outcome;
}

/**
 * Decides a request the way IAM does for an IAM principal in its own account:
 * an explicit Deny in any layer wins; otherwise the identity policies, the permissions
 * boundary (when set) and every SCP level from the root to the account (when SCPs apply)
 * must each allow. Resource-based policies are not considered: IAM users and their
 * credentials have none.
 *
 * Statements that depend on unknown condition keys make the result `conditional`: a
 * conditional Allow still counts as allow, and a conditional Deny turns an Allow into a
 * conditional allow instead of a deny.
 */
export function evaluate(request: EvalRequest, policySet: PolicySet): EvalResult {
  const layers: LayerOutcome[] = [evaluateLayer('identity', policySet.identity, request)];
  if (policySet.boundary) layers.push(evaluateLayer('boundary', [policySet.boundary], request));
  for (const level of policySet.scps ?? []) layers.push(evaluateLayer('scp', level.policies, request, level.target));

  const matchedStatements = layers.flatMap((l) => l.matched);
  if (layers.some((l) => l.deny === 'yes')) return { decision: 'deny', conditional: false, matchedStatements };
  if (layers.some((l) => l.allow === 'none' || l.allow === 'no'))
    return { decision: 'implicitDeny', conditional: false, matchedStatements };
  const conditional = layers.some((l) => l.allow === 'unknown' || l.deny === 'unknown');
  return { decision: 'allow', conditional, matchedStatements };
}

/** Keys that made a result conditional, for explanations. */
export function unknownKeysOf(result: EvalResult): string[] {
  const m = unknownOf(result.matchedStatements.flatMap((s) => s.unknownKeys ?? []));
  return m.kind === 'unknown' ? m.keys : [];
}
