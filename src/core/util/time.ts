/** Milliseconds in one day. */
export const DAY_MS = 86_400_000;

/**
 * Parses an ISO 8601 timestamp; NaN when it is not one, or names a day the calendar does not
 * have (Date.parse rolls `2026-02-31` over to March 3; this refuses it).
 */
export function parseTimestamp(value: string): number {
  // Date.parse accepts many non-ISO shapes; require the ISO date prefix (YYYY-MM-DDT) first.
  if (!hasIsoDatePrefix(value) || !isCalendarDate(value)) return Number.NaN;
  const fast = wholeSecondTime(value);
  return Number.isNaN(fast) ? Date.parse(value) : fast;
}

/**
 * The time of `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS±HH:MM` (the shapes AWS writes) by
 * arithmetic, NaN for any other shape or an out-of-range part, which Date.parse then decides:
 * this runs for every timestamp of every report row, several times, and Date.parse costs
 * several times more. Same value as Date.parse for every string it accepts (the date part is
 * already checked: digits and a real calendar day).
 */
function wholeSecondTime(value: string): number {
  const zulu = value.length === 20 && value.charCodeAt(19) === 90; // Z
  const sign = value.length === 25 ? value.charCodeAt(19) : 0;
  if (!zulu && sign !== 43 && sign !== 45) return Number.NaN; // + -
  if (value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58 || (!zulu && value.charCodeAt(22) !== 58)) return Number.NaN; // :
  if (!allDigits(value, zulu ? TIME_DIGITS : OFFSET_TIME_DIGITS)) return Number.NaN;
  const hour = digits(value, 11, 13);
  const minute = digits(value, 14, 16);
  const second = digits(value, 17, 19);
  const offsetHour = zulu ? 0 : digits(value, 20, 22);
  const offsetMinute = zulu ? 0 : digits(value, 23, 25);
  if (hour > 23 || minute > 59 || second > 59 || offsetHour > 23 || offsetMinute > 59) return Number.NaN;
  const day = daysFromEpoch(digits(value, 0, 4), digits(value, 5, 7), digits(value, 8, 10));
  const offsetMs = (offsetHour * 60 + offsetMinute) * 60_000;
  return day * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 - (sign === 45 ? -offsetMs : offsetMs);
}

const TIME_DIGITS = [11, 12, 14, 15, 17, 18];
const OFFSET_TIME_DIGITS = [...TIME_DIGITS, 20, 21, 23, 24];

function allDigits(value: string, positions: readonly number[]): boolean {
  for (const i of positions) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** Days from 1970-01-01 to a proleptic Gregorian day (H. Hinnant's days_from_civil), for any year 0-9999. */
function daysFromEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Whether the `YYYY-MM-DD` at the start of `value` is a real day (month 1–12, day within the month). */
export function isCalendarDate(value: string): boolean {
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 7);
  const day = digits(value, 8, 10);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function digits(value: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (value.charCodeAt(i) - 48);
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parses a time given by a person (--as-of, a waiver's expiry): a plain date means midnight
 * UTC of that day; otherwise an ISO 8601 time as {@link parseTimestamp}. NaN when invalid.
 */
export function parseDateOrTimestamp(value: string): number {
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return isCalendarDate(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  return parseTimestamp(text);
}

/**
 * The one timestamp style credwarden prints: ISO 8601 in UTC, to the second, as AWS writes
 * credential reports (`2026-11-01T10:00:00Z`); milliseconds only when there are some.
 */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** `/^\d{4}-\d{2}-\d{2}T/` without a regular expression: this runs for millions of report cells. */
function hasIsoDatePrefix(value: string): boolean {
  if (value.length < 11 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(10) !== 84) return false;
  return allDigits(value, DIGIT_POSITIONS);
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
