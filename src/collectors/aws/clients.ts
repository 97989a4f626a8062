/**
 * AWS clients for a scan. One HTTP handler (keep-alive agents with a socket pool sized
 * to the concurrency) is shared by every client; every client carries the read-only
 * guard and a call counter. Each account's IAM calls are signed with that account's
 * credentials only.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { IAMClientConfig } from '@aws-sdk/client-iam';
import type { AuthScheme, AwsCredentialIdentity, AwsCredentialIdentityProvider, RequestSigner } from '@smithy/types';
import { enforceReadOnly } from './allow-list.js';
import { ScanRetryStrategy } from './retry.js';

/** Where and how to reach AWS. Every field is optional; the SDK defaults apply. */
export interface AwsConfig {
  /**
   * Region for STS and Organizations (IAM is global: the SDK's endpoint rules sign it for
   * us-east-1 in the `aws` partition). Default: the profile's `region`, else us-east-1.
   */
  region?: string;
  /** Named profile for the base credentials (AWS_PROFILE / --profile). */
  profile?: string;
  /** Explicit base credentials (the sandbox); default: the SDK's default credential chain. */
  credentials?: AwsCredentialIdentity;
  /** Endpoint overrides per service (--endpoint-url, AWS_ENDPOINT_URL[_SERVICE]). */
  endpoints?: { iam?: string; sts?: string; organizations?: string };
  /** Attempts per call including the first. Default 10. */
  maxAttempts?: number;
  /**
   * `jittered` (default): credwarden's strategy, exponential backoff with full jitter from
   * `retryBaseDelayMs`; `adaptive`/`standard`: the SDK's own modes.
   */
  retryMode?: 'jittered' | 'adaptive' | 'standard';
  /** Backoff base of the jittered mode, in ms. Default 100. */
  retryBaseDelayMs?: number;
  /** Sockets per agent; default concurrency + 8. */
  maxSockets?: number;
  /**
   * Deadline of one request (one attempt) in ms, default 30 s: a request not answered in time
   * is aborted with a TimeoutError, which the retry strategies treat as transient. Also the
   * limit on a connection going silent mid-answer, and (capped at 10 s) on connecting.
   */
  requestTimeoutMs?: number;
  /** Replaces the HTTP handler (tests only: record what would be sent). */
  requestHandler?: IAMClientConfig['requestHandler'];
}

/** Called once per logical AWS call (retries are not counted) with the operation name. */
export type CallListener = (operation: string) => void;

const DEFAULT_REGION = 'us-east-1';

/** The credentials of the account whose IAM call is running, along that call's async chain. */
const accountCredentials = new AsyncLocalStorage<AwsCredentialIdentity>();

/**
 * The shared account IAM client's credential provider. Marked `memoized` so that the SDK calls it
 * for every request instead of caching the first answer (see normalizeCredentialProvider in
 * @aws-sdk/core): each request gets the credentials of the account that sent it.
 */
const callingAccountCredentials = Object.assign(
  async (): Promise<AwsCredentialIdentity> => {
    const credentials = accountCredentials.getStore();
    if (!credentials) throw new Error('an account IAM request was sent outside its account: no credentials to sign it with');
    return credentials;
  },
  { memoized: true },
);

/**
 * The region when none is given: what the SDK resolves itself (AWS_REGION, then the profile's
 * `region` in ~/.aws/config), else us-east-1, where the global IAM and Organizations endpoints
 * of the `aws` partition sign.
 */
async function defaultRegion(profile: string | undefined): Promise<string> {
  const probe = new STSClient(profile ? { profile } : {});
  try {
    return await probe.config.region();
  } catch {
    return DEFAULT_REGION;
  } finally {
    probe.destroy();
  }
}

/**
 * The credentials with the SDK's "given in code" mark (feature `e` of the user agent's `m/` list),
 * which the SDK adds itself only to a credentials object passed to a client, not to a provider:
 * the shared account client's requests then say what a client per account said.
 */
function asCodeCredentials(credentials: AwsCredentialIdentity): AwsCredentialIdentity {
  const source = (credentials as { $source?: Record<string, string> }).$source;
  return Object.assign({ ...credentials }, { $source: { ...source, CREDENTIALS_CODE: 'e' } });
}

/**
 * Makes the client build its request signer once instead of once per request. The SDK's default
 * `signer` makes a new SignatureV4 from a copy of the whole client configuration on every request
 * (measurable CPU per call); what it is built from is the same every time: the client's
 * credential provider, its signing region and name (fixed by the first request), its hash and
 * path escaping. A failure to build one is not kept: the next request tries again.
 */
function reuseSigner(client: STSClient | IAMClient | OrganizationsClient): void {
  const config = client.config as { signer: (authScheme?: AuthScheme) => Promise<RequestSigner> };
  const build = config.signer;
  let signer: RequestSigner | undefined;
  config.signer = async (authScheme) => (signer ??= await build(authScheme));
}

/**
 * Counts logical calls (retries excluded) by wrapping `send` on the instance, so counts are
 * right whatever handles the request (the SDK stack, or a test double).
 */
function countCalls<C extends { send: (...args: never[]) => unknown }>(client: C, listener: CallListener): void {
  const send = client.send.bind(client) as (...args: unknown[]) => unknown;
  client.send = ((...args: unknown[]) => {
    const command = args[0] as { constructor?: { name?: string } } | undefined;
    listener(String(command?.constructor?.name ?? '').replace(/Command$/, ''));
    return send(...args);
  }) as C['send'];
}

/**
 * Base64 decoding that tolerates line breaks and spaces. AWS sends GetCredentialReport's
 * Content on one line; some AWS-compatible endpoints wrap it (MIME style, every 76 characters)
 * or indent it, which the SDK's strict decoder rejects ("Incorrect padding on base64 string").
 * Node's decoder skips whitespace itself (documented for Buffer.from), so the report's 30 KB
 * are not copied first to strip it.
 */
export function lenientBase64Decoder(input: string): Uint8Array {
  const bytes = Buffer.from(input, 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Builds the clients of one scan and owns their shared HTTP handler. */
export class AwsClients {
  private readonly handler: NodeHttpHandler;
  private readonly agents: { http: HttpAgent; https: HttpsAgent };
  private readonly retry: { maxAttempts: number; retryMode?: string; retryStrategy?: ScanRetryStrategy };
  private readonly region: string | (() => Promise<string>);

  constructor(
    readonly config: AwsConfig,
    concurrency: number,
  ) {
    const maxSockets = config.maxSockets ?? concurrency + 8;
    const maxAttempts = config.maxAttempts ?? 10;
    const mode = config.retryMode ?? 'jittered';
    this.retry =
      mode === 'jittered'
        ? {
            maxAttempts,
            retryStrategy: new ScanRetryStrategy({
              maxAttempts,
              ...(config.retryBaseDelayMs !== undefined ? { baseDelayMs: config.retryBaseDelayMs } : {}),
            }),
          }
        : { maxAttempts, retryMode: mode };
    let resolved: Promise<string> | undefined;
    this.region = config.region ?? (() => (resolved ??= defaultRegion(config.profile)));
    this.agents = {
      http: new HttpAgent({ keepAlive: true, maxSockets }),
      https: new HttpsAgent({ keepAlive: true, maxSockets }),
    };
    const requestTimeout = config.requestTimeoutMs ?? 30_000;
    this.handler = new NodeHttpHandler({
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      connectionTimeout: Math.min(10_000, requestTimeout),
      requestTimeout,
      // Without it the SDK only logs "request has exceeded the configured requestTimeout" and
      // waits forever on a stalled connection (smithy >= 4.1 honours it).
      throwOnRequestTimeout: true,
      // requestTimeout stops at the response headers; this bounds a body that stops arriving.
      socketTimeout: requestTimeout,
    });
  }

  private common(endpoint: string | undefined, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined) {
    return {
      region: this.region,
      requestHandler: this.config.requestHandler ?? this.handler,
      base64Decoder: lenientBase64Decoder,
      ...this.retry,
      ...(endpoint ? { endpoint } : {}),
      ...(credentials ? { credentials } : this.config.profile ? { profile: this.config.profile } : {}),
    };
  }

  private guard<C extends STSClient | IAMClient | OrganizationsClient>(client: C, onCall?: CallListener): C {
    enforceReadOnly(client);
    reuseSigner(client);
    if (onCall) countCalls(client, onCall);
    return client;
  }

  /**
   * STS with the caller's (base) credentials. Every AssumeRole of the scan goes through this one
   * client, against an organisation-wide rate limit, so by default it uses the SDK's adaptive
   * mode: its client-side token bucket slows all accounts together after throttling instead of
   * each retrying on its own (measured by `npm run bench`, throttled scenario: no failed
   * accounts and about 95 % of the allowed AssumeRole rate, where per-call jittered retries let
   * an unlucky account exhaust its attempts).
   *
   * It resolves its middleware stack once per command class (the SDK's `cacheMiddleware`), not
   * once per call: it sends one AssumeRole per account, always the same way (no options, no
   * middleware added per command, the read-only guard added before the first call). Measured
   * against the sandbox, 999 AssumeRole at concurrency 16 (loaded): 2.0 -> 1.65 ms of CPU each.
   */
  callerSts(onCall?: CallListener): STSClient {
    const common = this.common(this.config.endpoints?.sts, this.config.credentials);
    const retry =
      this.config.retryMode === undefined || this.config.retryMode === 'jittered'
        ? { retryStrategy: undefined, retryMode: 'adaptive' }
        : {};
    return this.guard(new STSClient({ ...common, ...retry, cacheMiddleware: true }), onCall);
  }

  /** Organizations with the caller's credentials. */
  callerOrganizations(onCall?: CallListener): OrganizationsClient {
    return this.guard(new OrganizationsClient(this.common(this.config.endpoints?.organizations, this.config.credentials)), onCall);
  }

  /**
   * IAM with the caller's credentials (the caller's own account). `maxAttempts` lowers the
   * attempts for optional calls whose failure only leaves a fact unknown.
   */
  callerIam(onCall?: CallListener, maxAttempts?: number): IAMClient {
    const common = this.common(this.config.endpoints?.iam, this.config.credentials);
    return this.guard(new IAMClient(maxAttempts === undefined ? common : { ...common, ...this.fewerAttempts(maxAttempts) }), onCall);
  }

  private fewerAttempts(maxAttempts: number) {
    const attempts = Math.min(maxAttempts, this.retry.maxAttempts);
    if (!this.retry.retryStrategy) return { maxAttempts: attempts };
    const base = this.config.retryBaseDelayMs;
    return {
      maxAttempts: attempts,
      retryStrategy: new ScanRetryStrategy({ maxAttempts: attempts, ...(base !== undefined ? { baseDelayMs: base } : {}) }),
    };
  }

  /**
   * IAM with one account's assumed-role credentials, used for that account only.
   *
   * With credwarden's retry strategy (stateless, the same for every client), every account's
   * calls go through one shared IAM client ({@link accountView}): building and guarding a client
   * per account was a third of a millisecond of CPU each. The SDK has no per-command credentials,
   * so the shared client's credential provider answers, for each request, the credentials of the
   * account whose `send` started it, carried by an AsyncLocalStorage along that call's async chain
   * (signing included, and each retry's re-signing); a request sent outside one fails instead of
   * being signed. The clock skew the SDK learns from answers is then learnt once for all accounts
   * (as for STS), not again by each account's first call. The SDK's own retry modes keep
   * per-client state (a retry quota, the adaptive rate), which must stay per account: they keep a
   * client per account.
   */
  accountIam(credentials: AwsCredentialIdentity, onCall?: CallListener): IAMClient {
    if (this.retry.retryStrategy) return this.accountView(this.sharedAccountIam(), credentials, onCall);
    const client = new IAMClient({ ...this.common(this.config.endpoints?.iam, credentials), ...this.sharedIamSettings() });
    this.iamTemplate ??= client.config;
    return this.guard(client, onCall);
  }

  private accountIamClient: IAMClient | undefined;

  /** The IAM client every account's calls go through, guarded once; credentials come per call. */
  private sharedAccountIam(): IAMClient {
    if (this.accountIamClient) return this.accountIamClient;
    const client = new IAMClient({ ...this.common(this.config.endpoints?.iam, callingAccountCredentials), ...this.sharedIamSettings() });
    this.iamTemplate ??= client.config;
    enforceReadOnly(client);
    reuseSigner(client);
    return (this.accountIamClient = client);
  }

  /**
   * One account's face of the shared IAM client: an IAMClient (paginators check `instanceof`)
   * whose `send` runs with that account's credentials and counts the call for that account. Its
   * middleware stack is the shared one, so adding to it is refused (add to the command instead);
   * `destroy` leaves the shared client to {@link close}.
   */
  private accountView(shared: IAMClient, credentials: AwsCredentialIdentity, onCall?: CallListener): IAMClient {
    const view = Object.create(shared) as IAMClient;
    const send = shared.send.bind(shared) as (...args: unknown[]) => unknown;
    const attributed = asCodeCredentials(credentials);
    Object.defineProperties(view, {
      send: {
        value: (...args: unknown[]) => accountCredentials.run(attributed, send, ...args),
        writable: true,
      },
      middlewareStack: {
        get() {
          throw new Error("an account's IAM client shares its middleware stack with every account: add middleware to the command");
        },
      },
      destroy: { value: () => {} },
    });
    if (onCall) countCalls(view, onCall);
    return view;
  }

  private iamTemplate: IAMClient['config'] | undefined;

  /**
   * Settings every account's IAM client resolves the same way (FIPS, dual-stack, defaults mode,
   * user agent...), taken as the first client's memoised providers. Each new client would
   * otherwise walk the environment and shared config files again: measurable CPU per account
   * in a large organisation. Credentials are never shared.
   */
  private sharedIamSettings() {
    const t = this.iamTemplate;
    if (!t) return {};
    return {
      useFipsEndpoint: t.useFipsEndpoint,
      useDualstackEndpoint: t.useDualstackEndpoint,
      defaultsMode: t.defaultsMode,
      authSchemePreference: t.authSchemePreference,
      userAgentAppId: t.userAgentAppId,
      defaultUserAgentProvider: t.defaultUserAgentProvider,
    };
  }

  /** Closes the pooled sockets. Clients must not be used afterwards. */
  close(): void {
    this.handler.destroy();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
