import { DAY_MS } from '../util/time.js';

/**
 * The moment a waiver stops applying, in epoch milliseconds. A bare date
 * (`2027-03-31`) holds through that whole day in UTC; a time with an offset is
 * exact. NaN when the text is not a valid date.
 */
export function expiryTime(expires: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(expires)) {
    const start = Date.parse(`${expires}T00:00:00Z`);
    // Date.parse rolls 2027-02-30 over to March; reject it instead.
    if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== expires) return Number.NaN;
    return start + DAY_MS;
  }
  return Date.parse(expires.replace(' ', 'T'));
}
