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
