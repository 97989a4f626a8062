/** Classifying AWS SDK errors without leaking anything sensitive into messages. */

/**
 * The AWS error code of an SDK error, else undefined. Query-protocol errors (IAM, STS) carry
 * the wire code in `Code` (e.g. `ReportNotPresent`) and the modelled class in `name`
 * (`CredentialReportNotPresentException`); unmodelled codes (`Throttling`, `AccessDenied`)
 * come as a generic ServiceException whose `name` is the code. JSON errors (Organizations)
 * carry only `name`. Callers should match both spellings.
 */
export function errorCode(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const record = error as { name?: unknown; Code?: unknown; code?: unknown };
  for (const value of [record.Code, record.name, record.code]) {
    if (typeof value === 'string' && value !== '' && value !== 'Error') return value;
  }
  return undefined;
}

/** Codes AWS uses for throttling across IAM, STS and Organizations. */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceeded',
  'LimitExceededException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

/** Whether an error is throttling (the SDK retries these; the report poller waits on them). */
export function isThrottling(error: unknown): boolean {
  if (hasCode(error, THROTTLING_CODES)) return true;
  // The SDK marks modelled throttling errors; 429 is throttling whatever the code.
  const record = (error ?? {}) as { $retryable?: { throttling?: unknown }; $metadata?: { httpStatusCode?: unknown } };
  return record.$retryable?.throttling === true || record.$metadata?.httpStatusCode === 429;
}

const ACCESS_DENIED: ReadonlySet<string> = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

/** Whether an error means the caller lacks permission. */
export function isAccessDenied(error: unknown): boolean {
  return hasCode(error, ACCESS_DENIED);
}

// AWS messages can echo ARNs and ids, never secrets; still, trim anything that looks like a key id.
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g;

/** Whether `error` has one of `codes`, under either spelling (wire `Code` or SDK `name`). */
export function hasCode(error: unknown, codes: ReadonlySet<string>): boolean {
  const record = error as { name?: unknown } | null;
  const name = typeof record?.name === 'string' && record.name !== 'Error' ? record.name : undefined;
  const code = errorCode(error);
  return (code !== undefined && codes.has(code)) || (name !== undefined && codes.has(name));
}

/** HTTP facts the SDK keeps on an error: status, reason phrase, content type, attempts. */
function httpFacts(error: unknown): { status?: number; reason?: string; contentType?: string; attempts?: number } {
  const record = (error ?? {}) as {
    $metadata?: { httpStatusCode?: number; attempts?: number };
    $response?: { statusCode?: number; reason?: string; headers?: Record<string, string> };
  };
  const headers = record.$response?.headers ?? {};
  const contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const status = record.$metadata?.httpStatusCode ?? record.$response?.statusCode;
  return {
    ...(status !== undefined ? { status } : {}),
    ...(record.$response?.reason ? { reason: record.$response.reason } : {}),
    ...(contentType ? { contentType: contentType.split(';')[0]?.trim() } : {}),
    ...(record.$metadata?.attempts !== undefined ? { attempts: record.$metadata.attempts } : {}),
  };
}

/**
 * Whether the SDK could not read the answer as an AWS one: an HTML error page from a proxy or
 * load balancer parses as an error named `Unknown` (query protocol) or fails JSON parsing.
 */
function unreadable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.message.includes('Deserialization error') ||
    error.name === 'Unknown' ||
    error.message === 'Unknown' ||
    error.message === 'UnknownError'
  );
}

/** Whether the request was abandoned at its deadline (--request-timeout) or the socket went silent. */
export function isTimeout(error: unknown): boolean {
  const record = (error ?? {}) as { name?: unknown; code?: unknown };
  // The SDK also names ECONNRESET and EPIPE "TimeoutError" (to retry them): those are resets.
  if (record.code === 'ECONNRESET' || record.code === 'EPIPE') return false;
  return record.name === 'TimeoutError' || record.code === 'ETIMEDOUT';
}

/** `Code: message` for a user-facing reason, with access key ids masked. */
export function describeError(error: unknown): string {
  const http = httpFacts(error);
  // The SDK could not parse the answer (an HTML error page, a proxy): say what came back instead of quoting its parser.
  if (unreadable(error)) {
    const status = http.status !== undefined ? `HTTP ${http.status}${http.reason ? ` ${http.reason}` : ''}` : 'an answer';
    return `${status} with ${http.contentType ? `a ${http.contentType} body` : 'a body'} that is not an AWS API answer (a proxy, load balancer or wrong endpoint?)`;
  }
  if (isTimeout(error)) {
    return `no answer within the request timeout${http.attempts !== undefined ? ` (${http.attempts} attempt${http.attempts === 1 ? '' : 's'})` : ''}: the connection stalled (--request-timeout)`;
  }
  const code =
    (error as { code?: unknown } | null)?.code === 'ECONNRESET' || (error as { code?: unknown } | null)?.code === 'EPIPE'
      ? String((error as { code: string }).code)
      : errorCode(error);
  if (code === 'ECONNRESET' || code === 'EPIPE') return `the connection was reset before an answer came (${code})`;
  const message = error instanceof Error ? error.message : String(error);
  const text = code && !message.startsWith(code) ? `${code}: ${message}` : message;
  return text
    .replace(ACCESS_KEY_ID, (id) => `${id.slice(0, 4)}…`)
    .replace(/\s+/g, ' ')
    .trim();
}

/** Codes that mean the caller's credentials, permissions or settings are wrong: a usage problem (exit 2). */
const CALLER_SETUP: ReadonlySet<string> = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'ExpiredToken',
  'ExpiredTokenException',
  'AccessDenied',
  'AccessDeniedException',
  'AWSOrganizationsNotInUseException',
  'CredentialsProviderError',
  'InvalidAccessKeyId',
  'AuthFailure',
  'OptInRequired',
  'InvalidIdentityToken',
  'TokenRefreshRequired',
]);

/**
 * Whether a failure before any account was scanned is the caller's setup (credentials,
 * permissions, region, not an organisation): exit 2 with a hint. Anything else (the network,
 * timeouts, 5xx, throttling, unreadable answers) leaves the scan incomplete: exit 3.
 */
export function isCallerSetupError(error: unknown): boolean {
  if (hasCode(error, CALLER_SETUP)) return true;
  const message = error instanceof Error ? error.message : '';
  return (
    /Region is missing|Could not load credentials|credential/i.test(message) && !isTimeout(error) && httpFacts(error).status === undefined
  );
}

/** A per-account failure with a reason meant for the report (the scan goes on). */
export class AccountFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountFailure';
  }
}
