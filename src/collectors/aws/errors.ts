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

/** `Code: message` for a user-facing reason, with access key ids masked. */
export function describeError(error: unknown): string {
  // The SDK could not parse the answer (an HTML error page, a proxy): say so instead of quoting its parser.
  if (error instanceof Error && error.message.includes('Deserialization error')) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    return `unreadable response${status !== undefined ? ` (HTTP ${status})` : ''}: not an AWS API answer`;
  }
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const text = code && !message.startsWith(code) ? `${code}: ${message}` : message;
  return text.replace(ACCESS_KEY_ID, (id) => `${id.slice(0, 4)}…`).replace(/\s+/g, ' ').trim();
}

/** A per-account failure with a reason meant for the report (the scan goes on). */
export class AccountFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountFailure';
  }
}
