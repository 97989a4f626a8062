import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../src/core/util/time.js';

/** What parseTimestamp promised before its arithmetic fast path: Date.parse of an ISO time on a real calendar day. */
function reference(value: string): number {
  return /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
}

describe('parseTimestamp', () => {
  it('gives Date.parse’s value for the shapes AWS writes, every offset sign and the ends of the ranges', () => {
    const times = [
      '2026-06-01T00:00:00+00:00',
      '2025-02-09T21:02:50+00:00',
      '2024-02-29T23:59:59Z',
      '1970-01-01T00:00:00Z',
      '1969-12-31T23:59:59-00:00',
      '2026-03-01T01:30:00+05:30',
      '2026-03-01T01:30:00-09:45',
      '2099-12-31T23:59:59+23:59',
      '0000-03-01T00:00:00Z',
      '0099-01-01T12:00:00Z',
      '1600-02-29T00:00:00Z',
      '9999-12-31T23:59:59-23:59',
    ];
    for (const time of times) expect(parseTimestamp(time), time).toBe(reference(time));
  });

  it('leaves other shapes and out-of-range parts to Date.parse, with the same result', () => {
    const times = [
      '2026-06-01T24:00:00Z',
      '2026-06-01T24:00:01Z',
      '2026-06-01T23:60:00Z',
      '2026-06-01T23:59:60+00:00',
      '2026-06-01T10:00:00+24:00',
      '2026-06-01T10:00:00+05:60',
      '2026-06-01T10:00:00.250Z',
      '2026-06-01T10:00:00+0530',
      '2026-06-01T10:00:00',
      '2026-06-01T10:00Z',
      '2026-06-01T1a:00:00Z',
      '2026-06-01T10:00:00z',
      '2026-06-01T10:00:00 00:00',
    ];
    for (const time of times)
      expect(
        Object.is(parseTimestamp(time), reference(time)) || (Number.isNaN(parseTimestamp(time)) && Number.isNaN(reference(time))),
        time,
      ).toBe(true);
  });

  it('refuses a day the calendar does not have, which Date.parse rolls over', () => {
    expect(parseTimestamp('2026-02-29T00:00:00Z')).toBeNaN();
    expect(parseTimestamp('2026-04-31T00:00:00+00:00')).toBeNaN();
    expect(Date.parse('2026-02-29T00:00:00Z')).not.toBeNaN();
  });
});
