/** Recovery-path analysis: who can reset each IAM user's password and access keys. */
export * from './types.js';
export {
  analyseAccount,
  unknownUserRecovery,
  PASSWORD_RESET,
  KEY_ISSUE,
  KEY_REPLACE,
  MFA_RESET,
  type RecoveryAnalysis,
  type AnalyseOptions,
} from './analyse.js';
export { fromAwsAuthorizationDetails, decodeDocument, type RawAuthorizationDetails } from './aws-details.js';
export { withRecoveryFacts, recoveryInputOf, analyseStoredAccount, passwordPolicyFrom, type StoredRecoveryInputs } from './facts.js';
export { formatExplanation, type Explanation } from './explain.js';
