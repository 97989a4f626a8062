/** Options and results of the sandbox's public API (see index.ts). */
import type { OrgFixture } from './fixture.js';
import type { SandboxCredentials } from './identity.js';

/** The services the sandbox speaks. */
export type SandboxService = 'iam' | 'sts' | 'organizations' | 'securityhub';

/** A token bucket: `ratePerSecond` sustained, `burst` at once (default = ratePerSecond). */
export interface TokenBucketSpec {
  /** Operations the bucket meters, e.g. ['AssumeRole']; default every operation of `service`. */
  operations?: string[];
  /** Service the bucket meters; default every service. */
  service?: SandboxService;
  /** One bucket per signing account instead of one shared bucket. */
  perAccount?: boolean;
  ratePerSecond: number;
  burst?: number;
}

/** Faults applied across the organisation; per-account faults live in the fixture. */
export interface SandboxFaults {
  /** Probability (0..1) that a call is throttled, drawn from a seeded generator. */
  throttleProbability?: number;
  /** Seed of the throttle and server-error draws; default 1. */
  seed?: number;
  /** Operations subject to throttleProbability; default all. */
  throttleOperations?: string[];
  /** Token buckets; a call over any bucket's rate is throttled. */
  buckets?: TokenBucketSpec[];
  /** Probability (0..1) that a call fails with a 5xx. */
  serverErrorProbability?: number;
  /** Operations subject to serverErrorProbability; default all. */
  serverErrorOperations?: string[];
  /** Accounts whose roles deny AssumeRole (AccessDenied 403). */
  denyAssumeRole?: string[];
  /** Polls report generation needs, for accounts that do not say otherwise. */
  reportPolls?: number;
  /** Empty pages (with a NextToken) served before the first real page of ListAccounts/ListAccountsForParent. */
  emptyPagesBefore?: number;
  /** Serve an empty page (with a NextToken) after every real page of ListAccounts/ListAccountsForParent. */
  emptyPageAfterEach?: boolean;
  /**
   * Operations that are never answered: the request is read, then the connection stays silent
   * (a stalled network or endpoint). Only the client's own deadline ends it.
   */
  stallOperations?: string[];
  /**
   * Operations whose answer starts (status and headers), then comes one byte every
   * `trickleIntervalMs`: a connection that is never idle long enough for a socket timeout and
   * never finishes in time either. Only an overall deadline ends it.
   */
  trickleOperations?: string[];
  /** Pause between the bytes of a trickled answer, in ms; default 200. */
  trickleIntervalMs?: number;
  /** Limits stallOperations and trickleOperations to calls signed by, or (AssumeRole) aimed at, these accounts. */
  stallAccounts?: string[];
  /** Operations whose connection is reset (closed without an answer), as a broken proxy does. */
  resetOperations?: string[];
  /** Operations answered by a non-AWS HTML error page with this HTTP status (a load balancer's 502). */
  htmlErrorOperations?: Record<string, number>;
}

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  fixture: OrgFixture;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Delay before every response, in ms; or per operation name (`*` for the rest). */
  latencyMs?: number | Record<string, number>;
  faults?: SandboxFaults;
  /** Base credentials of the caller (management account); default {@link DEFAULT_CALLER_CREDENTIALS}. */
  credentials?: SandboxCredentials;
  /** Organizations list page size (AWS caps ListAccounts at 20); default 20. */
  pageSize?: number;
  /**
   * Check every request's SigV4 signature against the secret of the key it names, as AWS does
   * (SignatureDoesNotMatch / InvalidSignatureException otherwise). Default true.
   */
  verifySignatures?: boolean;
  /** Keep a call log (default true). Benchmarks with millions of calls may turn it off. */
  recordCalls?: boolean;
  /** Clock in ms; default Date.now. Lets tests pin report times. */
  now?: () => number;
}

/** One recorded call. Secrets and session tokens are never recorded. */
export interface CallEntry {
  /** Order of arrival, from 1. */
  seq: number;
  service: SandboxService | 'unknown';
  operation: string;
  /** Access key id that signed the request; '' when unsigned. */
  accessKeyId: string;
  /** Account resolved from the signing key; '' when the key is unknown. */
  accountId: string;
  /** For AssumeRole: the account of the requested role. */
  targetAccountId?: string;
  /** Arrival time and response time (ms since epoch); their difference includes injected latency. */
  time: number;
  endTime: number;
  /** HTTP status of the answer. */
  status: number;
  /** Error code when the call failed, e.g. Throttling. */
  errorCode?: string;
}

/** Aggregates over every call served. */
export interface SandboxStats {
  calls: number;
  byOperation: Record<string, number>;
  byStatus: Record<string, number>;
  /** Successful (2xx) calls by operation, e.g. to compute an achieved AssumeRole rate. */
  okByOperation: Record<string, number>;
  /** Arrival time (ms) of the first call and answer time of the last; 0 before any call. */
  firstCallAt: number;
  lastCallAt: number;
  throttled: number;
  serverErrors: number;
  assumedRoles: number;
  /** Most calls in flight at the same time. */
  peakInFlight: number;
  /** Requests left unanswered by the stallOperations fault. */
  stalled?: number;
  /** Answers trickled by the trickleOperations fault. */
  trickled?: number;
}

/** A running sandbox. */
export interface SandboxHandle {
  /** `http://127.0.0.1:PORT`: pass as `endpoint` to IAMClient, STSClient and OrganizationsClient. */
  endpoint: string;
  port: number;
  /** Every call, in arrival order (empty when recordCalls is false). */
  callLog: CallEntry[];
  /** The caller's base credentials (management account). */
  credentials: SandboxCredentials;
  /** The Security Hub findings stored for an account (every Region unless given). */
  securityHubFindings(accountId: string, region?: string): Record<string, unknown>[];
  /** Stops accepting connections and closes open ones. */
  close(): Promise<void>;
  stats(): SandboxStats;
}
