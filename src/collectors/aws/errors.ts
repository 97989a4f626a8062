/** Classifying AWS SDK errors without leaking anything sensitive into messages. */

/** The AWS error code of an SDK error (`name`, or `Code` for some Query errors), else undefined. */
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
]);

/** Whether an error is throttling (the SDK retries these; the report poller waits on them). */
export function isThrottling(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && THROTTLING_CODES.has(code);
}

/** Whether an error means the caller lacks permission. */
export function isAccessDenied(error: unknown): boolean {
  const code = errorCode(error) ?? '';
  return code === 'AccessDenied' || code === 'AccessDeniedException' || code === 'UnauthorizedOperation';
}

// AWS messages can echo ARNs and ids, never secrets; still, trim anything that looks like a key id.
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g;

/** `Code: message` for a user-facing reason, with access key ids masked. */
export function describeError(error: unknown): string {
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
