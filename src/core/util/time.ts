/** Milliseconds in one day. */
export const DAY_MS = 86_400_000;

/** Parses an ISO 8601 timestamp; NaN when it is not one. */
export function parseTimestamp(value: string): number {
  // Date.parse accepts many non-ISO shapes; require the ISO date prefix (YYYY-MM-DDT) first.
  return hasIsoDatePrefix(value) ? Date.parse(value) : Number.NaN;
}

/** `/^\d{4}-\d{2}-\d{2}T/` without a regular expression: this runs for millions of report cells. */
function hasIsoDatePrefix(value: string): boolean {
  if (value.length < 11 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(10) !== 84) return false;
  for (const i of DIGIT_POSITIONS) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9];

/**
 * Exact elapsed days from `fromMs` to `asOfMs`, as a fraction, so that "more than
 * 90 days" means strictly more than 90 × 24 hours. Negative when `fromMs` lies
 * after the as-of time (real reports contain dates in 2099).
 */
export function daysBetween(fromMs: number, asOfMs: number): number {
  return (asOfMs - fromMs) / DAY_MS;
}
