import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCredentialReport } from '../../../src/core/report/parse.js';
import { asOfOverride } from '../../../src/collectors/aws/as-of.js';
import { realReportsDir } from '../../helpers/reports.js';
import { reportCsv } from './helpers.js';

const NOW = Date.parse('2026-11-27T00:00:00Z');

function principalsOf(file: string) {
  return parseCredentialReport(readFileSync(join(realReportsDir, file), 'utf8'), file).principals;
}

describe('asOfOverride', () => {
  it.each([
    ['inactive-key-future-rotation.2021-02-04T152453Z.csv', '2021-02-04T15:24:53Z'],
    ['uppercase-booleans.2020-04-02T162057Z.csv', '2020-04-02T16:20:57Z'],
  ])('keeps GeneratedTime for a real report with far-future dates (%s)', (file, generated) => {
    expect(asOfOverride(generated, principalsOf(file), NOW)).toBeUndefined();
  });

  it('keeps GeneratedTime when every event precedes it', () => {
    const { principals } = parseCredentialReport(reportCsv('111111111111', { users: ['alice'] }), 'r.csv');
    expect(asOfOverride('2026-11-01T00:30:00Z', principals, NOW)).toBeUndefined();
  });

  it('replaces a years-old GeneratedTime by the newest event that is not in the future', () => {
    const csv = reportCsv('111111111111', { users: ['alice', 'bob'] }).replace(
      /(bob,[^\n]*?),false,N\/A,false,N\/A\n$/,
      '$1,true,2099-01-01T00:00:00+00:00,false,N/A\n',
    );
    const { principals } = parseCredentialReport(csv, 'r.csv');
    expect(principals[2]?.certificates[0]?.lastRotated).toBe('2099-01-01T00:00:00+00:00');
    expect(asOfOverride('2015-02-02T20:02:02Z', principals, NOW)).toBe('2026-11-01T00:00:00Z');
  });
});

/** asOfOverride as it was written before it counted in one pass: every time through Date.parse, into a list. */
function referenceAsOf(generatedTime: string, times: readonly string[], fetchedAtMs: number): string | undefined {
  const generated = Date.parse(generatedTime);
  const ms = times.map((t) => Date.parse(t));
  const later = ms.filter((t) => t > generated + 3_600_000);
  if (later.length * 2 <= ms.length) return undefined;
  const plausible = later.filter((t) => t <= fetchedAtMs + 3_600_000);
  return plausible.length === 0 ? undefined : new Date(Math.max(...plausible)).toISOString().replace('.000Z', 'Z');
}

describe('asOfOverride reads every time of the report as Date.parse does', () => {
  // The shapes the report parser accepts: AWS's (+00:00, Z), other offsets, and fractions (read by Date.parse itself).
  const shapes = [
    (ms: number) => new Date(ms).toISOString().replace('.000Z', '+00:00'),
    (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z'),
    (ms: number) => new Date(ms + 19_800_000).toISOString().replace('.000Z', '+05:30'),
    (ms: number) => new Date(ms - 25_200_000).toISOString().replace('.000Z', '-07:00'),
    (ms: number) => new Date(ms + 250).toISOString(),
  ];
  const generatedTimes = ['2015-02-02T20:02:02Z', '2026-06-01T00:00:00Z', '2026-10-31T23:30:00Z', '2026-11-26T23:00:00Z'];

  it('gives the same as-of time as the list of Date.parse times, on random reports', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    let overridden = 0;
    for (let round = 0; round < 400; round++) {
      const users = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, i) => `u${i}`);
      const generated = generatedTimes[round % generatedTimes.length]!;
      // Each time falls after GeneratedTime with this report's probability, else before it, in a random shape.
      const pAfter = random();
      const csv = reportCsv('111111111111', { users }).replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00/g, () => {
        const days = (1 + random() * 400) * 86_400_000;
        const moved = Date.parse(generated) + (random() < pAfter ? days : -days);
        return shapes[Math.floor(random() * shapes.length)]!(Math.floor(moved / 1000) * 1000);
      });
      const { principals } = parseCredentialReport(csv, 'r.csv');
      const times = principals.flatMap((p) => [
        p.createdAt,
        p.password.lastUsed,
        p.password.lastChanged,
        ...p.accessKeys.flatMap((k) => [k.lastRotated, k.lastUsed]),
        ...p.certificates.map((c) => c.lastRotated),
      ]);
      const present = times.filter((t): t is string => t !== null);
      const fetchedAt = Date.parse(generated) + Math.floor(random() * 300) * 86_400_000;
      const expected = referenceAsOf(generated, present, fetchedAt);
      if (expected !== undefined) overridden++;
      expect(asOfOverride(generated, principals, fetchedAt)).toBe(expected);
    }
    // Both answers occur: the comparison covers the override, not only its absence.
    expect(overridden).toBeGreaterThan(20);
    expect(overridden).toBeLessThan(390);
  });
});
