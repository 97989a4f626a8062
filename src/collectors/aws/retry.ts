/**
 * The retry strategy of every client: bounded attempts, exponential backoff with full
 * jitter (so throttled accounts do not retry in lockstep), and IAM's `LimitExceeded`
 * treated as throttling, which the SDK's own classifier does not do.
 */
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import { isThrottling } from './errors.js';

/** Tuning of {@link ScanRetryStrategy}. */
export interface RetryOptions {
  /** Attempts per call including the first. */
  maxAttempts: number;
  /** Backoff base in ms: retry n waits up to base × 2^n. Default 100. */
  baseDelayMs?: number;
  /** Cap of one backoff in ms. Default 5000. */
  maxDelayMs?: number;
  random?: () => number;
}

class Token implements RetryToken {
  constructor(
    private readonly count: number,
    private readonly delay: number,
  ) {}
  getRetryCount(): number {
    return this.count;
  }
  getRetryDelay(): number {
    return this.delay;
  }
}

/** Whether the SDK should retry an error at all. */
function retryable(info: RetryErrorInfo): boolean {
  // 501 Not Implemented (an AWS-compatible endpoint without this operation) never succeeds on retry.
  if ((info.error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode === 501) return false;
  if (info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT' || info.errorType === 'SERVER_ERROR') return true;
  return isThrottling(info.error);
}

/** Bounded, jittered retries for throttling, transient and 5xx errors. */
export class ScanRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';
  private readonly base: number;
  private readonly cap: number;
  private readonly random: () => number;

  constructor(private readonly options: RetryOptions) {
    this.base = options.baseDelayMs ?? 100;
    this.cap = options.maxDelayMs ?? 5000;
    this.random = options.random ?? Math.random;
  }

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return new Token(0, 0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const retries = token.getRetryCount() + 1;
    if (retries >= this.options.maxAttempts || !retryable(info)) throw new Error('no more retries');
    const hint = info.retryAfterHint ? Math.max(0, info.retryAfterHint.getTime() - Date.now()) : 0;
    const delay = Math.max(hint, this.random() * Math.min(this.cap, this.base * 2 ** retries));
    return new Token(retries, delay);
  }

  recordSuccess(): void {}
}
