/**
 * `--from` takes the report time from the file name in the forms that people get files in:
 * credwarden's own `…YYYY-MM-DDTHHMMSSZ.csv`, the AWS CLI's GeneratedTime (as docs/aws-setup.md
 * names the file) and the IAM console's download name (`status_reports_<time>.csv`).
 */
import { copyFileSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/model/index.js';
import { InputError } from '../../../src/model/index.js';
import { readReportFile } from '../../../src/collectors/files/reports.js';
import { cli, tempDir } from '../../helpers/cli.js';

const REPORT = resolve(import.meta.dirname, '../../../examples/org/222222222222-payments-prod.2026-11-01T120000Z.csv');

function timeOf(name: string): { time: string; warnings: Diagnostic[] } {
  const dir = tempDir();
  const file = join(dir, name);
  copyFileSync(REPORT, file);
  // A modification time far from every name's time, so a fallback to it cannot pass by chance.
  utimesSync(file, new Date('2001-01-01T00:00:00Z'), new Date('2001-01-01T00:00:00Z'));
  const warnings: Diagnostic[] = [];
  return { time: readReportFile(file, warnings).reportGeneratedTime, warnings };
}

describe('report time from the file name', () => {
  it.each([
    ['222222222222-payments-prod.2026-11-01T120000Z.csv', '2026-11-01T12:00:00Z'],
    ['report.2026-11-01T12:00:00Z.csv', '2026-11-01T12:00:00Z'],
    // The AWS CLI's GeneratedTime, in UTC or with an offset.
    ['222222222222-payments-prod.2026-11-01T12:00:00+00:00.csv', '2026-11-01T12:00:00Z'],
    ['222222222222.2026-11-01T14:30:00+02:00.csv', '2026-11-01T12:30:00Z'],
    // The IAM console's download name.
    ['status_reports_2026-11-01T12_00_00+00_00.csv', '2026-11-01T12:00:00Z'],
    ['status_reports_2026-11-01T07_15_09-05_00.csv', '2026-11-01T12:15:09Z'],
    ['status_reports_2026-11-01T12_00_00.123Z.csv', '2026-11-01T12:00:00Z'],
    ['status_reports_2026-11-01T17_45_00+0530 (1).csv', '2026-11-01T12:15:00Z'],
  ])('%s carries %s', (name, expected) => {
    const { time, warnings } = timeOf(name);
    expect(time).toBe(expected);
    expect(warnings.filter((w) => /modification time/.test(w.message))).toEqual([]);
  });

  it('a name without a time falls back to the modification time, with a warning', () => {
    const { time, warnings } = timeOf('status_reports.csv');
    expect(time).toBe('2001-01-01T00:00:00Z');
    expect(warnings.map((w) => w.message)).toContain('no report time in the file name; using the file modification time');
  });

  it.each(['status_reports_2026-02-31T12_00_00+00_00.csv', 'x.2026-11-01T25:00:00Z.csv', 'x.2026-11-01T12:00:00+15:00.csv'])(
    '%s is refused as no real time',
    (name) => {
      expect(() => timeOf(name)).toThrow(InputError);
    },
  );

  it('scan --from reads a console download with its time as the as-of', async () => {
    const dir = tempDir();
    copyFileSync(REPORT, join(dir, 'status_reports_2026-11-01T13_00_00+01_00.csv'));
    const run = await cli(['scan', '--from', dir, '--format', 'json', '--fail-on', 'none']);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/modification time/);
    expect(JSON.parse(run.stdout)).toMatchObject({ accounts: [{ id: '222222222222', reportGeneratedTime: '2026-11-01T12:00:00Z' }] });
  });
});
