import { evaluateCondition } from './conditions.js';
import { allOf, anyOf, definite, negate, unknownOf } from './match.js';
import { actionMatches, compilePattern } from './pattern.js';
import { NO, YES, type EvalRequest, type Match, type PolicyDocument, type RequestContext, type Statement } from './types.js';

/** Policy variables are substituted only in documents with Version 2012-10-17; older ones read `${…}` literally. */
export function usesVariables(document: PolicyDocument): boolean {
  return document.version === '2012-10-17';
}

function matchesAction(statement: Statement, action: string): Match {
  if (statement.action) return definite(statement.action.some((p) => actionMatches(p, action)));
  return definite(!(statement.notAction ?? []).some((p) => actionMatches(p, action)));
}

function resourcePatternMatches(pattern: string, resource: string, context: RequestContext, variables: boolean): Match {
  const r = compilePattern(pattern, context, { wildcards: true, variables, caseInsensitive: false });
  if (r.state === 'ok') return definite(r.regex.test(resource));
  // A variable known to be absent makes the pattern match nothing (IAM's documented behaviour).
  return r.state === 'unknown' ? unknownOf([r.key]) : NO;
}

function matchesResource(statement: Statement, request: EvalRequest, variables: boolean): Match {
  if (statement.resource)
    return anyOf(statement.resource.map((p) => resourcePatternMatches(p, request.resource, request.context, variables)));
  if (statement.notResource)
    return negate(anyOf(statement.notResource.map((p) => resourcePatternMatches(p, request.resource, request.context, variables))));
  return YES; // trust policies carry no Resource: the statement is about the policy's own resource
}

/**
 * Whether a statement applies to a request: action, resource and condition all match.
 * Principal elements are not considered here (see `trust.ts`).
 */
export function statementApplies(statement: Statement, request: EvalRequest, variables: boolean): Match {
  const action = matchesAction(statement, request.action);
  if (action.kind === 'no') return NO;
  return allOf([
    action,
    matchesResource(statement, request, variables),
    evaluateCondition(statement.condition, request.context, variables),
  ]);
}
