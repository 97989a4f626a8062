/**
 * Organisation-wide fault injection: latency, token buckets, random throttling and 5xx, and
 * broken networks: stalled requests, reset connections and non-AWS HTML error pages.
 */
import type { SandboxFaults, SandboxService, TokenBucketSpec } from './options.js';
import { seededRandom, type Random } from './random.js';

/** A classic token bucket, refilled lazily from the elapsed time. */
class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly burst: number;

  constructor(
    private readonly rate: number,
    burst: number | undefined,
    now: number,
  ) {
    this.burst = Math.max(1, burst ?? rate);
    this.tokens = this.burst;
    this.updatedAt = now;
  }

  /** Takes a token if one is available. */
  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.rate);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Decides, per call, whether to delay, throttle or fail it. */
export class FaultInjector {
  private readonly random: Random;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly throttleOps?: Set<string>;
  private readonly errorOps?: Set<string>;

  constructor(
    private readonly faults: SandboxFaults,
    private readonly latency: number | Record<string, number> | undefined,
  ) {
    this.random = seededRandom(faults.seed ?? 1);
    if (faults.throttleOperations) this.throttleOps = new Set(faults.throttleOperations);
    if (faults.serverErrorOperations) this.errorOps = new Set(faults.serverErrorOperations);
  }

  /** Delay (ms) before answering `operation`. */
  latencyFor(operation: string): number {
    if (typeof this.latency === 'number') return this.latency;
    if (this.latency === undefined) return 0;
    return this.latency[operation] ?? this.latency['*'] ?? 0;
  }

  /** True when the call must be answered with a throttling error. */
  throttled(service: SandboxService, operation: string, accountId: string, now: number): boolean {
    const specs = this.faults.buckets ?? [];
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i] as TokenBucketSpec;
      if (!bucketApplies(spec, service, operation)) continue;
      const key = spec.perAccount ? `${i}:${accountId}` : String(i);
      let bucket = this.buckets.get(key);
      if (bucket === undefined) {
        bucket = new TokenBucket(spec.ratePerSecond, spec.burst, now);
        this.buckets.set(key, bucket);
      }
      if (!bucket.take(now)) return true;
    }
    const p = this.faults.throttleProbability ?? 0;
    if (p > 0 && (this.throttleOps === undefined || this.throttleOps.has(operation))) return this.random() < p;
    return false;
  }

  /**
   * What the network does to this call instead of answering it: `stall` (never answer),
   * `trickle` (answer a byte at a time), `reset` (close the connection) or an HTML error page's
   * status; undefined to answer normally. `accounts` are the signing account and, for
   * AssumeRole, the target account.
   */
  broken(operation: string, accounts: readonly string[]): 'stall' | 'trickle' | 'reset' | number | undefined {
    const only = this.faults.stallAccounts;
    const chosen = only === undefined || accounts.some((a) => only.includes(a));
    if (chosen && this.faults.stallOperations?.includes(operation)) return 'stall';
    if (chosen && this.faults.trickleOperations?.includes(operation)) return 'trickle';
    if (this.faults.resetOperations?.includes(operation)) return 'reset';
    return this.faults.htmlErrorOperations?.[operation];
  }

  /** True when the call must fail with a 5xx. */
  serverError(operation: string): boolean {
    const p = this.faults.serverErrorProbability ?? 0;
    if (p <= 0 || (this.errorOps !== undefined && !this.errorOps.has(operation))) return false;
    return this.random() < p;
  }
}

function bucketApplies(spec: TokenBucketSpec, service: SandboxService, operation: string): boolean {
  if (spec.service !== undefined && spec.service !== service) return false;
  return spec.operations === undefined || spec.operations.includes(operation);
}
