/**
 * Live sharding: each job of a `--shard K/N` matrix touches only its own accounts, and the
 * shards together cover the organisation exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_FIXTURE_PATH, loadFixture, startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { collectOrganization } from '../../../src/collectors/aws/collect.js';
import { withDefaults } from '../../../src/collectors/aws/options.js';
import { shardOf } from '../../../src/core/baseline/shard.js';

let box: SandboxHandle | undefined;
afterEach(async () => {
  await box?.close();
  box = undefined;
});

async function scanShard(index: number, count: number, mode: 'org' | 'accounts', accounts?: string[]) {
  box = await startSandbox({ fixture: loadFixture(DEMO_FIXTURE_PATH) });
  const options = withDefaults({
    selection: { mode, ...(accounts ? { accounts } : {}), shard: { index, count } },
    context: 'none',
    pollDelayMs: { initial: 1, max: 5 },
    aws: { endpoints: { iam: box.endpoint, sts: box.endpoint, organizations: box.endpoint }, credentials: box.credentials },
  });
  const ids: string[] = [];
  for await (const event of collectOrganization(options)) ids.push(event.type === 'scanned' ? event.account.id : event.outcome.id);
  const touched = new Set(box.callLog.filter((c) => c.service === 'iam').map((c) => c.accountId));
  await box.close();
  box = undefined;
  return { ids: ids.sort(), touched };
}

describe('--shard on a live scan', () => {
  it.each(['org', 'accounts'] as const)('splits the %s selection before any account is touched', async (mode) => {
    const all = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555'];
    const seen: string[] = [];
    for (const index of [1, 2]) {
      const { ids, touched } = await scanShard(index, 2, mode, mode === 'accounts' ? all : undefined);
      for (const id of ids) expect(shardOf(id, 2)).toBe(index);
      for (const id of touched) expect(shardOf(id, 2), `IAM call in ${id}`).toBe(index);
      seen.push(...ids);
    }
    expect(seen.sort()).toEqual(all);
  });
});
