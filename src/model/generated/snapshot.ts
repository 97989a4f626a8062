/* eslint-disable */
/**
 * Generated from schemas/snapshot.schema.json by scripts/gen-types.mjs. Do not edit; run `npm run gen:types`.
 */

/**
 * ISO 8601 timestamp with offset, or null when AWS reports N/A, no_information or not_supported.
 */
export type Timestamp = string | null;

/**
 * What evaluation reads: normalised IAM credential reports of one or more accounts (version 1).
 */
export interface Snapshot {
  schemaVersion: 1;
  accounts: Account[];
  /**
   * Accounts that were selected but not read, with the reason (suspended, failed, ...).
   */
  skippedAccounts?: AccountOutcome[];
}
export interface Account {
  id: string;
  name?: string;
  /**
   * Organizational unit path, e.g. Root/Workloads/Prod.
   */
  ouPath?: string;
  partition?: string;
  /**
   * The credential report's GeneratedTime; the default as-of time.
   */
  reportGeneratedTime: string;
  /**
   * Time the account is evaluated at; defaults to reportGeneratedTime.
   */
  asOf?: string;
  /**
   * Where the report came from (file path or 'aws').
   */
  source?: string;
  facts?: Facts;
  principals: Principal[];
  /**
   * Fact roots the collector guarantees are decided for this account: the first path segment after `facts.` (principal facts, e.g. `recovery`) or after `account.facts.` (account facts, e.g. `rootMfa`). A root is listed also when the call was skipped because its answer could not change any finding. Absent for saved credential reports: rules that read facts are then not evaluated.
   */
  factsCollected?: string[];
  /**
   * Why a fact root could not be collected for this account, by root (e.g. {"recovery": "GetAccountAuthorizationDetails: AccessDenied"}). A rule reading such a root is not evaluated in this account, with this reason.
   */
  factsUnavailable?: {
    [k: string]: string;
  };
}
/**
 * Open map of facts added by collectors (account context, recovery paths, ...). Rules read them as facts.<name>.
 */
export interface Facts {
  [k: string]: unknown;
}
export interface Principal {
  type: 'root' | 'user';
  /**
   * IAM user name; '<root_account>' for root.
   */
  name: string;
  arn: string;
  /**
   * IAM path of the user, e.g. /division/eng/.
   */
  path?: string;
  createdAt: Timestamp;
  password: Password;
  mfaActive: boolean;
  /**
   * @minItems 2
   * @maxItems 2
   */
  accessKeys: [AccessKey, AccessKey];
  /**
   * @minItems 2
   * @maxItems 2
   */
  certificates: [Certificate, Certificate];
  facts?: Facts;
}
export interface Password {
  /**
   * null when AWS reports not_supported (the root row).
   */
  enabled: boolean | null;
  lastUsed: Timestamp;
  /**
   * used: lastUsed holds a time; never/no_information: AWS has no record of use; not_applicable: no password.
   */
  lastUsedStatus: 'used' | 'never' | 'no_information' | 'not_applicable';
  lastChanged: Timestamp;
  nextRotation: Timestamp;
}
export interface AccessKey {
  slot: 1 | 2;
  /**
   * The AccessKeyId, when the collector resolved it (ListAccessKeys). The credential report names keys by slot only.
   */
  id?: string;
  active: boolean;
  lastRotated: Timestamp;
  lastUsed: Timestamp;
  lastUsedRegion: string | null;
  lastUsedService: string | null;
}
export interface Certificate {
  slot: 1 | 2;
  active: boolean;
  lastRotated: Timestamp;
}
export interface AccountOutcome {
  id: string;
  name?: string;
  ouPath?: string;
  status: 'failed' | 'skipped';
  reason: string;
}
