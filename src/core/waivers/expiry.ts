import { DAY_MS, parseDateOrTimestamp, parseTimestamp } from '../util/time.js';

/**
 * The moment a waiver stops applying, in epoch milliseconds. A bare date
 * (`2027-03-31`) holds through that whole day in UTC; a time with an offset is
 * exact. NaN when the text is not a valid date.
 */
export function expiryTime(expires: string): number {
  // Both refuse days the calendar does not have (2027-02-30), which Date.parse rolls over to March.
  if (/^\d{4}-\d{2}-\d{2}$/.test(expires)) return parseDateOrTimestamp(expires) + DAY_MS;
  return parseTimestamp(expires.replace(' ', 'T'));
}
