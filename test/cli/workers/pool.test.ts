/**
 * The worker pool's life cycle (src/cli/workers/pool.ts), with a stand-in worker that speaks the
 * pool's protocol and never ends by itself (test/fixtures/workers/stand-in-worker.mjs). The real
 * workers' scans are compared byte for byte in test/cli/jobs.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { WORKER_HEAP, WorkerPool } from '../../../src/cli/workers/pool.js';
import type { WorkerInit } from '../../../src/cli/workers/protocol.js';

const STAND_IN = new URL('../../fixtures/workers/stand-in-worker.mjs', import.meta.url);

/** A pool of stand-in workers, begun; `replies` collects which worker answered each account. */
function standInPool(count: number): { pool: WorkerPool; replies: number[] } {
  const replies: number[] = [];
  const pool = new WorkerPool(count, undefined, STAND_IN).begin({} as WorkerInit, (_reply, worker) => replies.push(worker));
  return { pool, replies };
}

const account = (id: string) => ({ type: 'account' as const, account: { id } as never });

describe('WorkerPool', () => {
  it('ends each worker once it has handed over its state, before the states are taken in', async () => {
    const { pool, replies } = standInPool(2);
    try {
      for (const id of ['111111111111', '222222222222', '333333333333']) await pool.submit(account(id), 1);
      await pool.settled();
      expect(replies.sort()).toEqual([0, 0, 1]);
      expect(pool.running).toBe(2);
      const states = await pool.finish();
      expect(states.map((s) => (s.pipeline as unknown as { worker: number }).worker)).toEqual([0, 1]);
      // Their heaps are freed before the main thread joins the states and writes the reports.
      expect(pool.running).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it('bounds each worker heap, with a young generation of at most 24 MiB (at 48 its new space held 32 MiB per worker all scan long)', async () => {
    expect(WORKER_HEAP.maxYoungGenerationSizeMb).toBeLessThanOrEqual(24);
    const { pool } = standInPool(1);
    try {
      const [state] = await pool.finish();
      const limits = (state?.pipeline as unknown as { resourceLimits: Record<string, number> }).resourceLimits;
      expect(limits).toMatchObject(WORKER_HEAP);
    } finally {
      await pool.close();
    }
  });

  it('still fails when a worker ends before it hands over its state', async () => {
    const { pool } = standInPool(1);
    await pool.submit(account('111111111111'), 1);
    await pool.settled();
    const members = (pool as unknown as { members: { worker: { terminate(): Promise<number> } }[] }).members;
    await members[0]?.worker.terminate();
    await expect(pool.finish()).rejects.toThrow(/stopped unexpectedly/);
    await pool.close();
  });
});
