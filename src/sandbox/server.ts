/**
 * The sandbox HTTP server: one loopback endpoint for IAM, STS (AWS Query), Organizations
 * (JSON 1.1) and Security Hub (REST-JSON). Routing: an `X-Amz-Target: AWSOrganizationsV20161128.*`
 * header means Organizations; a `securityhub` signing scope (or a `/findings` path) means
 * Security Hub; otherwise the form's Version (2011-06-15 = STS, 2010-05-08 = IAM).
 */
import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallContext, QueryParams } from './context.js';
import { ServiceError, jsonErrors, queryErrors } from './errors.js';
import { FaultInjector } from './faults.js';
import { IAM_HANDLERS, IAM_NAMESPACE } from './iam.js';
import { DEFAULT_CALLER_CREDENTIALS, KeyStore, signingKeyId, signingService, type SandboxPrincipal } from './identity.js';
import type { CallEntry, SandboxFaults, SandboxHandle, SandboxOptions, SandboxService, SandboxStats } from './options.js';
import { ORGANIZATIONS_HANDLERS, ORGANIZATIONS_TARGET_PREFIX } from './organizations.js';
import { OrgRuntime } from './org.js';
import { parseAuthorization, signatureMatches } from './signature.js';
import { STS_HANDLERS, STS_NAMESPACE } from './sts.js';
import { SecurityHubService, securityHubOperation, type RestCall } from './securityhub.js';
import { queryError, queryResponse } from './xml.js';
import { taskPolicyDenies } from './root-tasks.js';

const QUERY_NAMESPACES: Partial<Record<ParsedCall['service'], string>> = { iam: IAM_NAMESPACE, sts: STS_NAMESPACE };

/** A parsed request, before authentication. */
interface ParsedCall {
  service: SandboxService | 'unknown';
  operation: string;
  query?: URLSearchParams;
  json?: Record<string, unknown>;
  /** Set when the JSON body did not parse. */
  malformed?: boolean;
  /** REST-JSON (Security Hub): method, path, signing Region and body. */
  rest?: RestCall;
}

/** A response ready to be written. */
interface Reply {
  status: number;
  contentType: string;
  body: string;
  errorCode?: string;
  headers?: Record<string, string>;
}

/**
 * HTTP statuses of the REST-JSON errors that the shared (JSON 1.1) helpers answer with 400:
 * authentication failures and access denied are 403, throttling 429.
 */
const REST_STATUS: Record<string, number> = {
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  IncompleteSignatureException: 403,
  ExpiredTokenException: 403,
  MissingAuthenticationTokenException: 403,
  AccessDeniedException: 403,
  TooManyRequestsException: 429,
};

function parseRestCall(req: IncomingMessage, body: string, bodyBytes: number): ParsedCall {
  const method = req.method ?? 'GET';
  const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
  const region = parseAuthorization(req.headers.authorization)?.region ?? '';
  let json: unknown;
  try {
    json = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    return { service: 'securityhub', operation: securityHubOperation(method, path) ?? '', malformed: true };
  }
  return {
    service: 'securityhub',
    operation: securityHubOperation(method, path) ?? '',
    rest: { method, path, region, body: json, bodyBytes },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseCall(req: IncomingMessage, body: string, bodyBytes: number): ParsedCall {
  if (signingService(req.headers.authorization) === 'securityhub' || (req.url ?? '').startsWith('/findings'))
    return parseRestCall(req, body, bodyBytes);
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith(ORGANIZATIONS_TARGET_PREFIX)) {
    const operation = target.slice(ORGANIZATIONS_TARGET_PREFIX.length);
    try {
      const json = body.trim() === '' ? {} : (JSON.parse(body) as unknown);
      if (json !== null && typeof json === 'object' && !Array.isArray(json))
        return { service: 'organizations', operation, json: json as Record<string, unknown> };
    } catch {
      // answered with SerializationException below
    }
    return { service: 'organizations', operation, malformed: true };
  }
  const query = new URLSearchParams(body);
  const version = query.get('Version');
  const scope = signingService(req.headers.authorization);
  const service =
    version === '2011-06-15' || (version === null && scope === 'sts')
      ? 'sts'
      : version === '2010-05-08' || scope === 'iam'
        ? 'iam'
        : 'unknown';
  return { service, operation: query.get('Action') ?? '', query };
}

/** Builds the server state and the request handler. */
class Sandbox {
  readonly callLog: CallEntry[] = [];
  readonly securityHub = new SecurityHubService();
  private readonly org: OrgRuntime;
  private readonly keys: KeyStore;
  private readonly injector: FaultInjector;
  private readonly now: () => number;
  /** Fixture-level faults overridden by the options' ones. */
  private readonly faults: SandboxFaults;
  private seq = 0;
  private inFlight = 0;
  private readonly counters: SandboxStats = {
    calls: 0,
    byOperation: {},
    byStatus: {},
    okByOperation: {},
    firstCallAt: 0,
    lastCallAt: 0,
    throttled: 0,
    serverErrors: 0,
    assumedRoles: 0,
    peakInFlight: 0,
  };

  constructor(
    private readonly options: SandboxOptions,
    readonly credentials: { accessKeyId: string; secretAccessKey: string },
  ) {
    this.now = options.now ?? Date.now;
    this.faults = { ...options.fixture.faults, ...options.faults };
    this.org = new OrgRuntime(options.fixture, this.now(), { reportPolls: this.faults.reportPolls });
    const fixture = options.fixture;
    const partition = fixture.partition ?? 'aws';
    const userName = fixture.callerUserName ?? 'credwarden-sandbox';
    const management = fixture.managementAccountId;
    const role = fixture.callerRoleName;
    const identity =
      role === undefined
        ? { arn: `arn:${partition}:iam::${management}:user/${userName}`, userId: `AIDA${management}SANDBOX` }
        : {
            arn: `arn:${partition}:sts::${management}:assumed-role/${role}/credwarden-sandbox`,
            userId: `AROA${management}SANDBOX:credwarden-sandbox`,
          };
    this.keys = new KeyStore({ accessKeyId: credentials.accessKeyId, accountId: management, ...identity }, credentials.secretAccessKey);
    this.injector = new FaultInjector(this.faults, options.latencyMs ?? fixture.latencyMs);
  }

  /** Handles one HTTP request; never throws. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = this.now();
    this.inFlight += 1;
    this.counters.peakInFlight = Math.max(this.counters.peakInFlight, this.inFlight);
    try {
      const raw = await readBody(req);
      const call = parseCall(req, raw.toString('utf8'), raw.length);
      const accessKeyId = signingKeyId(req.headers.authorization) ?? '';
      const entry: CallEntry = {
        seq: ++this.seq,
        service: call.service,
        operation: call.operation,
        accessKeyId,
        accountId: '',
        time,
        endTime: time,
        status: 0,
      };
      const requestId = randomUUID();
      const reply = this.dispatch(req, raw, call, entry, requestId);
      const latency = this.injector.latencyFor(call.operation);
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      const broken = this.injector.broken(call.operation, [entry.accountId, entry.targetAccountId ?? '']);
      if (broken === 'stall') return this.stall(entry);
      if (broken === 'trickle') return this.trickle(res, reply, entry, requestId);
      if (broken === 'reset') return void req.socket.destroy();
      if (broken !== undefined) return this.write(res, htmlError(broken), entry, requestId);
      this.write(res, reply, entry, requestId);
    } catch {
      res.writeHead(500).end();
    } finally {
      this.inFlight -= 1;
    }
  }

  /** Leaves a request unanswered (the client's deadline ends it); it is logged with status 0. */
  private stall(entry: CallEntry): void {
    this.counters.stalled = (this.counters.stalled ?? 0) + 1;
    if (this.options.recordCalls !== false) this.callLog.push(entry);
  }

  /** Starts the answer, then sends one byte per interval until it is done or the client leaves. */
  private trickle(res: ServerResponse, reply: Reply, entry: CallEntry, requestId: string): void {
    this.counters.trickled = (this.counters.trickled ?? 0) + 1;
    if (this.options.recordCalls !== false) this.callLog.push(entry);
    const body = Buffer.from(reply.body, 'utf8');
    res.writeHead(reply.status, {
      ...reply.headers,
      'Content-Type': reply.contentType,
      'Content-Length': body.length,
      'x-amzn-RequestId': requestId,
    });
    res.flushHeaders();
    let sent = 0;
    const timer = setInterval(() => {
      if (sent >= body.length) return void (clearInterval(timer), res.end());
      res.write(body.subarray(sent, sent + 1));
      sent += 1;
    }, this.faults.trickleIntervalMs ?? 200);
    res.on('close', () => clearInterval(timer));
  }

  private write(res: ServerResponse, reply: Reply, entry: CallEntry, requestId: string): void {
    const body = Buffer.from(reply.body, 'utf8');
    res.writeHead(reply.status, {
      ...reply.headers,
      'Content-Type': reply.contentType,
      'Content-Length': body.length,
      'x-amzn-RequestId': requestId,
    });
    res.end(body);
    entry.endTime = this.now();
    entry.status = reply.status;
    if (reply.errorCode !== undefined) entry.errorCode = reply.errorCode;
    const counters = this.counters;
    counters.calls += 1;
    counters.byOperation[entry.operation] = (counters.byOperation[entry.operation] ?? 0) + 1;
    counters.byStatus[reply.status] = (counters.byStatus[reply.status] ?? 0) + 1;
    if (reply.status < 300) counters.okByOperation[entry.operation] = (counters.okByOperation[entry.operation] ?? 0) + 1;
    if (counters.firstCallAt === 0) counters.firstCallAt = entry.time;
    counters.lastCallAt = entry.endTime;
    if (reply.errorCode === 'Throttling' || reply.errorCode === 'TooManyRequestsException') counters.throttled += 1;
    if (reply.status >= 500) counters.serverErrors += 1;
    if (entry.operation === 'AssumeRole' && reply.status === 200) counters.assumedRoles += 1;
    if (this.options.recordCalls !== false) this.callLog.push(entry);
  }

  private dispatch(req: IncomingMessage, raw: Buffer, call: ParsedCall, entry: CallEntry, requestId: string): Reply {
    if (call.service === 'securityhub') return this.dispatchRest(req, raw, call, entry);
    const json = call.service === 'organizations';
    try {
      const principal = this.authenticate(req, raw, json, entry);
      return json ? this.answerJson(call, principal, entry) : this.answerQuery(call, principal, entry, requestId);
    } catch (error) {
      const failure =
        error instanceof ServiceError
          ? error
          : new ServiceError(json ? 'InternalFailure' : 'InternalFailure', 500, 'The sandbox failed to process the request.');
      return json
        ? {
            status: failure.status,
            contentType: 'application/x-amz-json-1.1',
            body: JSON.stringify({ __type: failure.code, Message: failure.message }),
            errorCode: failure.code,
          }
        : {
            status: failure.status,
            contentType: 'text/xml',
            body: queryError(failure.type, failure.code, failure.message, requestId, QUERY_NAMESPACES[call.service]),
            errorCode: failure.code,
          };
    }
  }

  /** Security Hub: errors in REST-JSON form (status, `x-amzn-ErrorType` header, `{Code, Message}` body). */
  private dispatchRest(req: IncomingMessage, raw: Buffer, call: ParsedCall, entry: CallEntry): Reply {
    try {
      const principal = this.authenticate(req, raw, true, entry);
      if (call.operation === '')
        throw new ServiceError('UnknownOperationException', 404, `No operation matches ${req.method ?? ''} ${req.url ?? ''}`);
      if (call.malformed || call.rest === undefined)
        throw new ServiceError('InvalidInputException', 400, 'The request body is not valid JSON.');
      const ctx = this.context(principal, entry);
      this.injectFaults(ctx, 'securityhub', call.operation, true);
      const result = this.securityHub.handle(ctx, call.operation, call.rest);
      return { status: 200, contentType: 'application/json', body: JSON.stringify(result) };
    } catch (error) {
      const failure =
        error instanceof ServiceError && error.code !== 'ServiceException'
          ? error
          : new ServiceError('InternalException', 500, 'Internal service error');
      const status = REST_STATUS[failure.code] ?? failure.status;
      return {
        status,
        contentType: 'application/json',
        headers: { 'x-amzn-ErrorType': failure.code },
        body: JSON.stringify({ Code: failure.code, Message: failure.message }),
        errorCode: failure.code,
      };
    }
  }

  private authenticate(req: IncomingMessage, raw: Buffer, json: boolean, entry: CallEntry): SandboxPrincipal {
    const errors = json ? jsonErrors : queryErrors;
    if (entry.accessKeyId === '') throw errors.missingAuthentication();
    const principal = this.keys.lookup(entry.accessKeyId);
    if (principal === undefined) throw json ? jsonErrors.unrecognizedClient() : queryErrors.invalidClientTokenId();
    if (this.options.verifySignatures !== false) {
      const parts = parseAuthorization(req.headers.authorization);
      if (parts === undefined) throw errors.incompleteSignature();
      const secret = this.keys.secretOf(entry.accessKeyId) ?? '';
      if (!signatureMatches(req, raw, parts, secret)) throw json ? jsonErrors.invalidSignature() : queryErrors.signatureDoesNotMatch();
    }
    if (principal.sessionToken !== undefined && req.headers['x-amz-security-token'] !== principal.sessionToken) {
      throw json ? jsonErrors.unrecognizedClient() : queryErrors.invalidClientTokenId();
    }
    if (principal.expiresAt !== undefined && this.now() >= principal.expiresAt) throw errors.expiredToken();
    entry.accountId = principal.accountId;
    return principal;
  }

  private context(principal: SandboxPrincipal, entry: CallEntry): CallContext {
    return {
      org: this.org,
      keys: this.keys,
      faults: this.faults,
      principal,
      account: this.org.accounts.get(principal.accountId),
      now: this.now(),
      pageSize: Math.max(1, Math.min(20, this.options.pageSize ?? 20)),
      entry,
    };
  }

  /** Throttling, injected 5xx and denied operations, checked before the operation runs. */
  private injectFaults(ctx: CallContext, service: SandboxService, operation: string, json: boolean): void {
    const errors = json ? jsonErrors : queryErrors;
    if (this.injector.throttled(service, operation, ctx.principal.accountId, ctx.now)) throw errors.throttling();
    if (this.injector.serverError(operation)) throw json ? jsonErrors.serviceFailure() : serverFailure(service);
    const account = ctx.account;
    if (account === undefined) return;
    if (service === 'iam' && account.serverErrorsLeft > 0) {
      account.serverErrorsLeft -= 1;
      throw queryErrors.serviceFailure();
    }
    if (account.faults.denyOperations?.includes(operation)) {
      if (json) throw jsonErrors.accessDenied();
      throw queryErrors.accessDenied(`User: ${ctx.principal.arn} is not authorized to perform: ${service}:${operation} on resource: *`);
    }
  }

  private answerQuery(call: ParsedCall, principal: SandboxPrincipal, entry: CallEntry, requestId: string): Reply {
    if (call.service === 'unknown' || call.query === undefined) throw queryErrors.invalidAction(call.operation);
    if (principal.taskPolicy !== undefined)
      this.enforceTaskPolicy(principal, call.service === 'sts' ? 'sts' : 'iam', call.operation, call.query);
    const handler = (call.service === 'sts' ? STS_HANDLERS : IAM_HANDLERS)[call.operation];
    if (handler === undefined) throw queryErrors.invalidAction(call.operation);
    const ctx = this.context(principal, entry);
    this.injectFaults(ctx, call.service, call.operation, false);
    const result = handler(ctx, call.query);
    const namespace = call.service === 'sts' ? STS_NAMESPACE : IAM_NAMESPACE;
    return { status: 200, contentType: 'text/xml', body: queryResponse(call.operation, namespace, result, requestId) };
  }

  /** An AssumeRoot session may only do what its task policy leaves; GetCallerIdentity needs no permission. */
  private enforceTaskPolicy(principal: SandboxPrincipal, service: 'iam' | 'sts', operation: string, params: QueryParams): void {
    if (service === 'sts' && operation === 'GetCallerIdentity') return;
    const partition = this.org.partition;
    const userName = params.get('UserName');
    const resource =
      service === 'iam' && userName !== null
        ? `arn:${partition}:iam::${principal.accountId}:user/${userName}`
        : service === 'iam'
          ? `arn:${partition}:iam::${principal.accountId}:root`
          : '*';
    const why = taskPolicyDenies(principal.taskPolicy!, `${service}:${operation}`, resource, principal.accountId, partition);
    if (why !== undefined)
      throw queryErrors.accessDenied(
        `User: ${principal.arn} is not authorized to perform: ${service}:${operation} on resource: ${resource} with ${why}`,
      );
  }

  private answerJson(call: ParsedCall, principal: SandboxPrincipal, entry: CallEntry): Reply {
    const handler = ORGANIZATIONS_HANDLERS[call.operation];
    if (handler === undefined) throw jsonErrors.unknownOperation();
    if (call.malformed) throw new ServiceError('SerializationException', 400, 'The request body is not a JSON object.');
    const ctx = this.context(principal, entry);
    this.injectFaults(ctx, 'organizations', call.operation, true);
    const result = handler(ctx, call.json ?? {});
    return { status: 200, contentType: 'application/x-amz-json-1.1', body: JSON.stringify(result) };
  }

  stats(): SandboxStats {
    const c = this.counters;
    return { ...c, byOperation: { ...c.byOperation }, byStatus: { ...c.byStatus }, okByOperation: { ...c.okByOperation } };
  }
}

function serverFailure(service: SandboxService): ServiceError {
  return service === 'iam'
    ? queryErrors.serviceFailure()
    : new ServiceError('InternalFailure', 500, 'An internal error occurred. Try again.');
}

/**
 * Starts the sandbox on 127.0.0.1. Point the SDK clients at `endpoint` with the returned
 * `credentials` and any region; nothing ever leaves the loopback interface.
 */
export async function startSandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const credentials = options.credentials ?? DEFAULT_CALLER_CREDENTIALS;
  const sandbox = new Sandbox(options, credentials);
  const server = createServer({ keepAlive: true }, (req, res) => void sandbox.handle(req, res));
  // Clients keep sockets alive between calls; keep ours open longer than the SDK's idle reuse.
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  server.maxHeadersCount = 200;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    callLog: sandbox.callLog,
    credentials: { ...credentials },
    stats: () => sandbox.stats(),
    securityHubFindings: (accountId, region) => sandbox.securityHub.findingsOf(accountId, region),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A load balancer's or proxy's error page: not an AWS answer at all. */
function htmlError(status: number): Reply {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return {
    status,
    contentType: 'text/html',
    body: `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>nginx</center></body></html>`,
  };
}
