/* eslint-disable */
/**
 * Generated from schemas/waivers.schema.json by scripts/gen-types.mjs. Do not edit; run `npm run gen:types`.
 */

/**
 * A waivers file (--waivers): approved, expiring exceptions to rules. See docs/reports.md.
 */
export interface WaiversFile {
  version?: 1;
  /**
   * The furthest a waiver may expire after the evaluation time, in days (default 365; --waiver-max-days overrides).
   */
  maxExpiryDays?: number;
  waivers: Waiver[];
}
export interface Waiver {
  /**
   * Optional stable id, e.g. a ticket number.
   */
  id?: string;
  /**
   * Rule id, or * for every rule.
   */
  rule: string;
  /**
   * 12-digit account id, or * for every account.
   */
  account: string;
  /**
   * A principal ARN, or a glob matched against the principal's name or ARN (picomatch; * does not cross /).
   */
  principal: string;
  /**
   * Only this credential (default: every credential).
   */
  credential?: 'password' | 'access_key_1' | 'access_key_2' | 'cert_1' | 'cert_2';
  reason: string;
  /**
   * Confirms that a waiver of every rule, every account and every principal (rule '*', account '*', principal '*' or '**') is intended. Without it such a waiver is refused: it would waive every finding, and pass every gate.
   */
  catchAll?: true;
  approvedBy?: string;
  /**
   * Expiry: a date (the waiver holds through that day, UTC) or an ISO 8601 time with offset.
   */
  expires: string;
}
