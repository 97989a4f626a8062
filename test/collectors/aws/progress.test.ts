import { describe, expect, it } from 'vitest';
import { formatCalls, ScanProgress } from '../../../src/collectors/aws/progress.js';
import type { AccountEvent } from '../../../src/collectors/aws/collect.js';

const scanned = (id: string): AccountEvent => ({
  type: 'scanned',
  account: { id, name: `n${id.slice(0, 1)}`, reportGeneratedTime: '2026-01-01T00:00:00Z', principals: [] },
  calls: { AssumeRole: 1, GetCredentialReport: 1 },
  warnings: [],
});
const failed: AccountEvent = {
  type: 'failed',
  outcome: { id: '333333333333', status: 'failed', reason: 'cannot assume role: AccessDenied' },
  calls: { AssumeRole: 1 },
};
const skipped: AccountEvent = {
  type: 'skipped',
  outcome: { id: '444444444444', name: 'gone', status: 'skipped', reason: 'account state is SUSPENDED' },
  calls: {},
};

function run(options: { tty: boolean; quiet?: boolean; verbose?: boolean }): string {
  let out = '';
  const progress = new ScanProgress({
    write: (t) => (out += t),
    tty: options.tty,
    quiet: options.quiet ?? false,
    verbose: options.verbose ?? false,
  });
  progress.start(3, 1, ['OU paths are unknown']);
  for (const event of [skipped, scanned('111111111111'), failed, scanned('222222222222')]) progress.account(event);
  progress.finish({ ListAccounts: 2 });
  return out;
}

describe('ScanProgress', () => {
  it('plain lines when stderr is not a terminal', () => {
    expect(run({ tty: false })).toBe(
      [
        'credwarden: warning: OU paths are unknown',
        'credwarden: scanning 3 accounts (1 skipped)',
        'credwarden: skipped 444444444444 (gone): account state is SUSPENDED',
        'credwarden: [1/3] scanned 111111111111 (n1)',
        'credwarden: failed 333333333333: cannot assume role: AccessDenied',
        'credwarden: [2/3] failed 333333333333 (1 failed so far)',
        'credwarden: [3/3] scanned 222222222222 (n2) (1 failed so far)',
        'credwarden: 2 scanned, 1 failed, 1 skipped',
        '',
      ].join('\n'),
    );
  });

  it('a bar redrawn in place on a terminal, with the failure count', () => {
    const out = run({ tty: true });
    expect(out).toContain('\r\x1b[2K[##########....................] 1/3 accounts');
    expect(out).toContain('\r\x1b[2K[##############################] 3/3 accounts, 1 failed');
    expect(out.endsWith('\ncredwarden: 2 scanned, 1 failed, 1 skipped\n')).toBe(true);
  });

  it('--verbose adds call counts; --quiet prints nothing', () => {
    const verbose = run({ tty: false, verbose: true });
    expect(verbose).toContain('credwarden: 111111111111 (n1): 2 calls (AssumeRole=1, GetCredentialReport=1)');
    expect(verbose).toContain('credwarden: scan-level: 2 calls (ListAccounts=2)');
    expect(run({ tty: true, quiet: true })).toBe('');
  });
});

describe('ScanProgress before the total is known (streamed --org)', () => {
  it('"scanning N accounts" comes first: lines of accounts that finished earlier wait for it (issue 21 item 7)', () => {
    let out = '';
    const progress = new ScanProgress({ write: (t) => (out += t), tty: false, quiet: false, verbose: false });
    progress.account(scanned('111111111111'));
    progress.account(failed);
    expect(out).toBe('');
    progress.start(3, 0, []);
    progress.account(scanned('222222222222'));
    expect(out).toBe(
      [
        'credwarden: scanning 3 accounts',
        'credwarden: [1/3] scanned 111111111111 (n1)',
        'credwarden: failed 333333333333: cannot assume role: AccessDenied',
        'credwarden: [2/3] failed 333333333333 (1 failed so far)',
        'credwarden: [3/3] scanned 222222222222 (n2) (1 failed so far)',
        '',
      ].join('\n'),
    );
  });

  it('held lines are still printed when the listing never completes, before the summary', () => {
    let out = '';
    const progress = new ScanProgress({ write: (t) => (out += t), tty: false, quiet: false, verbose: false });
    progress.account(scanned('111111111111'));
    progress.finish();
    expect(out).toBe('credwarden: [1] scanned 111111111111 (n1)\ncredwarden: 1 scanned, 0 failed, 0 skipped\n');
  });
});

describe('formatCalls', () => {
  it('sorts operations and totals them', () => {
    expect(formatCalls({ GetCredentialReport: 3, AssumeRole: 1 })).toBe('4 calls (AssumeRole=1, GetCredentialReport=3)');
    expect(formatCalls({})).toBe('0 calls');
  });
});

describe('ScanProgress with hostile names and reasons', () => {
  it('renders control characters in account names and reasons visibly', () => {
    let out = '';
    const progress = new ScanProgress({ write: (t) => (out += t), tty: false, quiet: false, verbose: false });
    progress.start(1, 0, ['warn\x1b[31m']);
    progress.account({
      type: 'failed',
      outcome: { id: '333333333333', name: 'evil\x1b]0;pwned\x07\n::error::x', status: 'failed', reason: 'boom\r\x00' },
      calls: {},
    });
    for (const raw of ['\x00', '\x07', '\x1b', '\r']) expect(out).not.toContain(raw);
    expect(out).toContain('333333333333 (evil\\x1b]0;pwned\\x07\\x0a::error::x): boom\\x0d\\x00');
    expect(out).toContain('warning: warn\\x1b[31m');
  });
});
