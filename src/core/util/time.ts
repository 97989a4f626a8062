/** Milliseconds in one day. */
export const DAY_MS = 86_400_000;

/** Parses an ISO 8601 timestamp; NaN when it is not one. */
export function parseTimestamp(value: string): number {
  // Date.parse accepts many non-ISO shapes; require the ISO date prefix first.
  return /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
}

/**
 * Exact elapsed days from `fromMs` to `asOfMs`, as a fraction, so that "more than
 * 90 days" means strictly more than 90 × 24 hours. Negative when `fromMs` lies
 * after the as-of time (real reports contain dates in 2099).
 */
export function daysBetween(fromMs: number, asOfMs: number): number {
  return (asOfMs - fromMs) / DAY_MS;
}
