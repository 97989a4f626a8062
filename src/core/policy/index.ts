/** Pure IAM policy evaluator: parse documents, decide requests, read trust policies. */
export * from './types.js';
export { makeContext, lookup } from './context.js';
export { parsePolicyDocument, decodePolicyText, PolicyParseError } from './parse.js';
export { evaluate, unknownKeysOf } from './evaluate.js';
export { trustedEntities, trustAllows, type TrustedEntity, type TrustedKind } from './trust.js';
export { actionMatches } from './pattern.js';
