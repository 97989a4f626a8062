/**
 * Waivers: approved, expiring exceptions to rules, kept in a YAML file. Pure:
 * the caller reads the file and passes the evaluation time.
 */
export {
  parseWaivers,
  derivedId,
  DEFAULT_MAX_EXPIRY_DAYS,
  type LoadedWaiver,
  type WaiverParseOptions,
  type Waiver,
  type WaiversFile,
} from './parse.js';
export { applyWaivers, waiveFinding, waiverOutcome } from './apply.js';
export { waiverMatches, principalMatches, waiverBreadth, type WaiverBreadth } from './match.js';
export { expiryTime } from './expiry.js';
export { waiverOutcomes, type WaiverOutcome } from './outcome.js';
