import type { ScanResult, Snapshot } from '../model/index.js';

/**
 * How a snapshot differs from the scan a result came from, one line per difference (empty when
 * it matches): a snapshot of another scan changes who can act and the administrators a plan
 * names. Compared: the accounts scanned and each account's report generation time.
 */
export function snapshotMismatch(result: Pick<ScanResult, 'accounts'>, snapshot: Pick<Snapshot, 'accounts'>): string[] {
  const scanned = result.accounts.filter((a) => a.status === 'scanned');
  const inSnapshot = new Map(snapshot.accounts.map((a) => [a.id, a]));
  const inResult = new Set(scanned.map((a) => a.id));
  const differences: string[] = [];
  const missing = scanned.filter((a) => !inSnapshot.has(a.id)).map((a) => a.id);
  const extra = snapshot.accounts.filter((a) => !inResult.has(a.id)).map((a) => a.id);
  if (missing.length > 0) differences.push(`accounts of the result missing from the snapshot: ${listed(missing)}`);
  if (extra.length > 0) differences.push(`accounts of the snapshot not scanned in the result: ${listed(extra)}`);
  for (const account of scanned) {
    const other = inSnapshot.get(account.id);
    if (!other) continue;
    if (account.reportGeneratedTime !== undefined && other.reportGeneratedTime !== account.reportGeneratedTime)
      differences.push(
        `account ${account.id}: report generated ${other.reportGeneratedTime} in the snapshot, ${account.reportGeneratedTime} in the result`,
      );
  }
  return differences;
}

function listed(ids: readonly string[]): string {
  return ids.length <= 10 ? ids.join(', ') : `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more`;
}
