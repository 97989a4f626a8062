/** ASFF and OCSF are written account by account (streaming sinks), whatever order accounts arrive in. */
import { describe, expect, it } from 'vitest';
import { asffFormatter } from '../../src/core/format/asff.js';
import { ocsfFormatter } from '../../src/core/format/ocsf.js';
import { renderToString } from '../../src/core/format/types.js';
import type { Finding, ScanResult } from '../../src/model/index.js';
import { CONTEXT, scanResult, writtenBySink } from './helpers.js';

type Record = { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The example organisation at a fixed time, with two findings of each of two accounts resolved since a baseline. */
async function withResolved(): Promise<ScanResult> {
  const result = await scanResult('examples/org', ['--as-of', '2026-11-01T12:00:00Z']);
  const accounts = [...new Set(result.findings.map((f) => f.accountId))].slice(0, 2);
  const resolved: Finding[] = accounts.flatMap((id) =>
    result.findings
      .filter((f) => f.accountId === id)
      .slice(0, 2)
      .map((f, i) => ({ ...f, fingerprint: `gone-${id}-${i}`, remediation: { procedure: f.remediation.procedure } })),
  );
  return { ...result, resolved };
}

/** The same result with one account's times removed and no --as-of: its records need the latest account's time. */
function undated(result: ScanResult): { result: ScanResult; account: string } {
  const account = result.accounts.find((a) => result.findings.some((f) => f.accountId === a.id))?.id as string;
  const accounts = result.accounts.map((a) => (a.id === account ? { ...a, asOf: null, reportGeneratedTime: null } : a));
  return { result: { ...result, asOf: null, accounts }, account };
}

describe('--format asff, account by account', () => {
  it('gives the same bytes whatever order the accounts arrive in, and the same as the whole-result formatter', async () => {
    const result = await withResolved();
    const forward = writtenBySink(asffFormatter, result, 'forward');
    expect(writtenBySink(asffFormatter, result, 'reverse')).toBe(forward);
    expect(renderToString(asffFormatter.format(result, CONTEXT))).toBe(forward);
  });

  it("writes each account's findings, then its resolved ones (ARCHIVED), accounts in id order", async () => {
    const result = await withResolved();
    const records = JSON.parse(writtenBySink(asffFormatter, result, 'reverse')) as Record[];
    expect(records).toHaveLength(result.findings.length + (result.resolved ?? []).length);
    const keys = records.map((r) => `${r.AwsAccountId} ${r.RecordState === 'ACTIVE' ? 0 : 1}`);
    expect(keys).toEqual([...keys].sort());
    expect(records.filter((r) => r.RecordState === 'ARCHIVED').map((r) => r.Id)).toEqual(
      (result.resolved ?? []).map((f) => `credwarden/${f.fingerprint}`),
    );
  });

  it('gives an account without a time the latest account time, its records last', async () => {
    const { result, account } = undated(await withResolved());
    const records = JSON.parse(writtenBySink(asffFormatter, result, 'reverse')) as Record[];
    const latest = result.accounts
      .map((a) => a.asOf)
      .filter((t): t is string => typeof t === 'string')
      .sort()
      .at(-1);
    const last = records.filter((r) => r.AwsAccountId === account);
    expect(last.length).toBeGreaterThan(0);
    expect(records.slice(-last.length)).toEqual(last);
    expect(new Set(last.map((r) => Date.parse(r.UpdatedAt)))).toEqual(new Set([Date.parse(latest as string)]));
    expect(writtenBySink(asffFormatter, result, 'forward')).toBe(writtenBySink(asffFormatter, result, 'reverse'));
  });
});

describe('--format ocsf, account by account', () => {
  it('gives the same bytes whatever order the accounts arrive in, detections first and the compliance findings last', async () => {
    const result = await withResolved();
    const forward = writtenBySink(ocsfFormatter, result, 'forward');
    expect(writtenBySink(ocsfFormatter, result, 'reverse')).toBe(forward);
    const events = JSON.parse(forward) as Record[];
    const detections = events.filter((e) => e.class_uid === 2004);
    const scanned = result.accounts.filter((a) => a.status !== 'skipped').length;
    expect(detections).toHaveLength(result.findings.length + (result.resolved ?? []).length);
    expect(events.slice(0, detections.length)).toEqual(detections);
    expect(events.slice(detections.length).every((e) => e.class_uid === 2003)).toBe(true);
    expect(events.length - detections.length).toBe(result.rules.length * scanned);
    const keys = detections.map((e) => `${e.cloud.account.uid} ${e.status === 'Resolved' ? 1 : 0}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('gives an account without a time the latest account time, in its detections and its compliance findings', async () => {
    const { result, account } = undated(await withResolved());
    const events = JSON.parse(writtenBySink(ocsfFormatter, result, 'reverse')) as Record[];
    const latest = Math.max(...result.accounts.map((a) => Date.parse(a.asOf ?? '')).filter((t) => !Number.isNaN(t)));
    const mine = events.filter((e) => e.cloud.account.uid === account);
    expect(mine.length).toBeGreaterThan(result.rules.length);
    expect(new Set(mine.map((e) => e.time))).toEqual(new Set([latest]));
    expect(writtenBySink(ocsfFormatter, result, 'forward')).toBe(writtenBySink(ocsfFormatter, result, 'reverse'));
  });

  it('is valid JSON with compliance findings only, and an empty array with nothing at all', async () => {
    const result = await scanResult('examples/org', ['--as-of', '2026-11-01T12:00:00Z']);
    const quiet = { ...result, findings: [], plans: [] };
    expect((JSON.parse(writtenBySink(ocsfFormatter, quiet, 'forward')) as Record[]).every((e) => e.class_uid === 2003)).toBe(true);
    expect(writtenBySink(ocsfFormatter, { ...quiet, rules: [] }, 'forward')).toBe('[]\n');
    expect(writtenBySink(asffFormatter, quiet, 'forward')).toBe('[]\n');
  });
});
