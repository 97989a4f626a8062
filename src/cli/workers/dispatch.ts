/**
 * Where each account of a run is processed: on the main thread (the pipeline itself) until the
 * run has shown enough work to pay for worker threads, then in a {@link WorkerPool}. Both
 * paths write the same bytes: the workers' chunks go to the same spools, and their state is
 * joined into the main thread's pipeline and sinks before the reports are finished.
 */
import { availableParallelism } from 'node:os';
import type { Account, AccountOutcome } from '../../model/index.js';
import type { BaselineIndex, ScanPipeline } from '../../core/pipeline/index.js';
import type { ReportRun } from '../reporting.js';
import { workerSpoolPath, type WorkerInit } from './protocol.js';
import { WorkerPool, workersAvailable } from './pool.js';

/**
 * Principals processed on the main thread before worker threads start. Measured on an idle
 * 2-core machine (docs/performance.md, "Worker threads"): at 100,050 principals two workers
 * made an offline scan slower (15.0 s against 11.7 s on one thread) and doubled its peak
 * memory, and a live 1,000-account scan was no faster; at 1,000,500 principals they ran it
 * 1.4x faster (79 s against 111 s). Below this many principals a scan never starts one.
 */
export const WORKERS_AFTER_PRINCIPALS = 200_000;

/**
 * Principals before workers start: {@link WORKERS_AFTER_PRINCIPALS}, or
 * CREDWARDEN_WORKERS_AFTER_PRINCIPALS (tests start workers on small fixtures with 0).
 */
export function workersAfter(io: { env: Record<string, string | undefined> }): number {
  const value = io.env.CREDWARDEN_WORKERS_AFTER_PRINCIPALS;
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : WORKERS_AFTER_PRINCIPALS;
}

/** The worker count of `--jobs`: the option, else the CPUs Node may use (docs/performance.md, "Worker threads"). */
export function jobsOf(options: { jobs?: number }): number {
  return options.jobs ?? availableParallelism();
}

/** The run's accounts, each sent to the main thread's pipeline or to the worker pool. */
export class AccountDispatch {
  private pool: WorkerPool | undefined;
  private principals = 0;

  /**
   * @param workers how many threads (`jobs`; 1: none) and after how many principals they start
   * @param init what the workers start from (asked for once, when they start)
   */
  constructor(
    private readonly pipeline: ScanPipeline,
    private readonly reports: ReportRun,
    private readonly workers: { jobs: number; after: number; started?: (jobs: number) => void },
    private readonly baseline: BaselineIndex | undefined,
    private readonly init: () => WorkerInit,
  ) {}

  /** Processes a scanned account, here or in a worker; resolves when another may come. */
  account(account: Account): void | Promise<void> {
    this.principals += account.principals.length;
    if (!this.pool && this.workers.jobs > 1 && this.principals > this.workers.after && workersAvailable()) {
      const init = this.init();
      this.pool = new WorkerPool(this.workers.jobs, init, (reply, worker) =>
        this.reports.rendered(
          reply.id,
          reply.spooled.map((range, report) => range && { path: workerSpoolPath(init.spoolDir, worker, report), range }),
          reply.slice,
        ),
      );
      this.workers.started?.(this.workers.jobs);
    }
    if (!this.pool) return this.pipeline.account(account);
    const baseline = this.baseline && { findings: this.baseline.findingsOf(account.id), asOf: this.baseline.asOfOf(account.id) };
    return this.pool.submit(account, baseline);
  }

  /** An account that was skipped or failed: nothing to evaluate, so always here. */
  outcome(outcome: AccountOutcome): void {
    this.pipeline.outcome(outcome);
  }

  /** Waits for the workers' last accounts and joins their state into the pipeline and the reports. */
  async finish(): Promise<void> {
    if (!this.pool) return;
    for (const saved of await this.pool.finish()) {
      this.pipeline.absorb(saved.pipeline);
      this.reports.absorb(saved.sinks);
    }
  }

  /** Ends the workers, if any started. */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}
