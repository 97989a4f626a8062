/* eslint-disable */
/**
 * Generated from schemas/rule-cases.schema.json by scripts/gen-types.mjs. Do not edit; run `npm run gen:types`.
 */

/**
 * What the case shows; unique within its list.
 */
export type Name = string;
export type Time = string;
/**
 * Credential report rows of one account (111122223333).
 *
 * @minItems 1
 */
export type Rows = [Row, ...Row[]];
export type Cell = string | boolean;

/**
 * The valid/invalid case table of one rule (<rules-dir>/tests/<rule-id>.cases.yaml), run by `credwarden rules test`. See docs/rules.md.
 */
export interface RuleCasesFile {
  /**
   * The as-of time every age is measured from; relative times (T-90d) are resolved against it.
   */
  asOf: string;
  /**
   * Cases where the rule must report nothing.
   */
  valid: ValidCase[];
  /**
   * Cases where the rule must report exactly the listed findings.
   */
  invalid: InvalidCase[];
}
export interface ValidCase {
  name: Name;
  asOf?: Time;
  params?: Params;
  rows: Rows;
  accountFacts?: AccountFacts;
  principalFacts?: PrincipalFacts;
}
/**
 * Parameter values for this case; the rule's defaults otherwise.
 */
export interface Params {
  [k: string]: number | boolean | string;
}
/**
 * One credential report row; unspecified columns describe a user with no credentials. Times may be ISO 8601 or relative to the as-of time: T-90d, T+2h, T-30m.
 */
export interface Row {
  user?: Cell;
  arn?: Cell;
  user_creation_time?: Cell;
  password_enabled?: Cell;
  password_last_used?: Cell;
  password_last_changed?: Cell;
  password_next_rotation?: Cell;
  mfa_active?: Cell;
  access_key_1_active?: Cell;
  access_key_1_last_rotated?: Cell;
  access_key_1_last_used_date?: Cell;
  access_key_1_last_used_region?: Cell;
  access_key_1_last_used_service?: Cell;
  access_key_2_active?: Cell;
  access_key_2_last_rotated?: Cell;
  access_key_2_last_used_date?: Cell;
  access_key_2_last_used_region?: Cell;
  access_key_2_last_used_service?: Cell;
  cert_1_active?: Cell;
  cert_1_last_rotated?: Cell;
  cert_2_active?: Cell;
  cert_2_last_rotated?: Cell;
}
/**
 * Account facts a live scan would add (account.facts.*).
 */
export interface AccountFacts {
  [k: string]: unknown;
}
/**
 * User name -> facts a live scan would add to that principal (facts.*).
 */
export interface PrincipalFacts {
  [k: string]: {
    [k: string]: unknown;
  };
}
export interface InvalidCase {
  name: Name;
  asOf?: Time;
  params?: Params;
  rows: Rows;
  accountFacts?: AccountFacts;
  principalFacts?: PrincipalFacts;
  /**
   * Every finding the rule must report, in any order, and no other.
   *
   * @minItems 1
   */
  findings: [ExpectedFinding, ...ExpectedFinding[]];
}
export interface ExpectedFinding {
  /**
   * User name as in the rows (<root_account> for root).
   */
  principal: string;
  /**
   * The credential the finding is about; null (the default) for principal rules; <kind>:<id> for a server certificate, service-specific credential or SSH key.
   */
  credential?: ('password' | 'access_key_1' | 'access_key_2' | 'cert_1' | 'cert_2' | null) | string;
}
