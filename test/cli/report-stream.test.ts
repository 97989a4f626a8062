import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/index.js';
import { collectFromFiles, streamReportFiles } from '../../src/collectors/files/reports.js';
import { tempDir } from '../helpers/cli.js';

const ORG = resolve('examples/org');
const PAYMENTS = '222222222222-payments-prod.2026-11-01T120000Z.csv';

/** examples/org plus an older report of one account and a report without a time in its name. */
function folder(): string {
  const dir = tempDir();
  for (const name of ['111111111111-management.2026-11-01T120000Z.csv', PAYMENTS, '333333333333-data-dev.2026-11-01T120000Z.csv'])
    copyFileSync(join(ORG, name), join(dir, name));
  mkdirSync(join(dir, 'old'));
  copyFileSync(join(ORG, PAYMENTS), join(dir, 'old', '222222222222-payments-prod.2026-08-01T120000Z.csv'));
  copyFileSync(join(ORG, '555555555555-security-audit.2026-11-01T120000Z.csv'), join(dir, 'audit.csv'));
  return dir;
}

function drain(dir: string) {
  const stream = streamReportFiles([dir]);
  const accounts = [...stream.accounts()];
  stream.finish();
  return { accounts, warnings: stream.warnings, ids: stream.accountIds };
}

describe('streamReportFiles', () => {
  it('reads the same accounts and warnings as collectFromFiles: newest report per account, in id order', () => {
    const dir = folder();
    const whole = collectFromFiles([dir]);
    const streamed = drain(dir);
    expect(streamed.accounts).toEqual(whole.snapshot.accounts);
    expect([...streamed.ids].sort()).toEqual(whole.snapshot.accounts.map((a) => a.id));
    expect(new Set(streamed.warnings.map((w) => `${w.file} ${w.message}`))).toEqual(
      new Set(whole.warnings.map((w) => `${w.file} ${w.message}`)),
    );
    expect(streamed.warnings.filter((w) => /a newer report of account 222222222222/.test(w.message)).map((w) => w.file)).toEqual([
      join(dir, 'old', '222222222222-payments-prod.2026-08-01T120000Z.csv'),
    ]);
  });

  it('parses a report only when its account is asked for', () => {
    const stream = streamReportFiles([folder()]);
    const it = stream.accounts();
    expect(it.next().value?.id).toBe('111111111111');
    expect(stream.warnings.some((w) => /no report time in the file name/.test(w.message))).toBe(false);
    for (let next = it.next(); !next.done; next = it.next());
    expect(stream.warnings.some((w) => /no report time in the file name/.test(w.message))).toBe(true);
  });

  it('reports every bad file once the accounts are read, older reports included', () => {
    const dir = folder();
    writeFileSync(join(dir, 'old', '333333333333-data-dev.2026-01-01T120000Z.csv'), 'not,a,report\n1,2,3\n');
    writeFileSync(join(dir, 'broken.csv'), readFileSync(join(ORG, PAYMENTS), 'utf8').replace('user,arn', 'usr,arn'));
    const stream = streamReportFiles([dir]);
    const ids = [...stream.accounts()].map((a) => a.id);
    expect(ids).toContain('111111111111');
    let error: unknown;
    try {
      stream.finish();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const files = (error as InputError).diagnostics.map((d) => d.file);
    expect(files).toContain(join(dir, 'broken.csv'));
    expect(files).toContain(join(dir, 'old', '333333333333-data-dev.2026-01-01T120000Z.csv'));
    expect(() => collectFromFiles([dir])).toThrow(InputError);
  });
});
