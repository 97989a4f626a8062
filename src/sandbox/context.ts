/** What every operation handler receives. */
import type { SandboxPrincipal, KeyStore } from './identity.js';
import type { CallEntry, SandboxFaults } from './options.js';
import type { AccountRuntime, OrgRuntime } from './org.js';

/** Input of one call: who signed it, for which account, with which parameters. */
export interface CallContext {
  org: OrgRuntime;
  keys: KeyStore;
  faults: SandboxFaults;
  principal: SandboxPrincipal;
  /** The signing principal's account (undefined if it is not in the fixture). */
  account: AccountRuntime | undefined;
  now: number;
  /** Organizations list page size. */
  pageSize: number;
  /** The call log entry being built; handlers may add targetAccountId. */
  entry: CallEntry;
}

/** Query protocol parameters (form fields). */
export type QueryParams = URLSearchParams;

/** A Query protocol operation: returns the XML inside `<XxxResult>`, or throws ServiceError. */
export type QueryHandler = (ctx: CallContext, params: QueryParams) => string;

/** A JSON 1.1 operation: returns the response object, or throws ServiceError. */
export type JsonHandler = (ctx: CallContext, input: Record<string, unknown>) => unknown;
