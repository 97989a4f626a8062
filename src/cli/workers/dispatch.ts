/**
 * Where each account of a run is processed: on the main thread (the pipeline itself) until the
 * run has shown enough work to pay for worker threads, then in a {@link WorkerPool}. Both
 * paths write the same bytes: the workers' chunks go to the same spools, and their state is
 * joined into the main thread's pipeline and sinks before the reports are finished.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Account, AccountOutcome } from '../../model/index.js';
import type { BaselineIndex, ScanPipeline } from '../../core/pipeline/index.js';
import type { ReportRun } from '../reporting.js';
import { listReportFiles, type ReportItem } from '../../collectors/files/reports.js';
import { workerSpoolPath, type AccountBaseline, type WorkerInit, type WorkerPreload } from './protocol.js';
import { WORKER_MAX_PRINCIPALS, WorkerPool, workersAvailable, type WorkReply } from './pool.js';
import { readItem, type ReportOutcome, type ReportReading } from './reading.js';

/**
 * Principals a scan must hold before worker threads start. Measured on an idle 2-core machine
 * (docs/performance.md, "Worker threads"): at 100,050 principals two workers made an offline
 * scan slower (15.0 s against 11.7 s on one thread) and doubled its peak memory; at 1,000,500
 * principals they ran it 1.4x faster. Saved reports are counted before they are read (estimated
 * from their sizes), so a large offline scan has its workers from the first report. A live scan
 * counts the accounts it has collected: at 1,000 accounts of 100 users a worker from the
 * 10,000th principal cost 5 s more CPU and was slower (loaded machine), so it keeps the same bar.
 */
export const WORKERS_AFTER_PRINCIPALS = 200_000;

/** A number from the environment (tests use these on small fixtures), else `fallback`. */
function fromEnv(io: { env: Record<string, string | undefined> }, name: string, fallback: number): number {
  const value = io.env[name];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : fallback;
}

/**
 * Threads of a run that work besides its workers: none offline (and in `evaluate`: the main
 * thread only hands out reports and writes the files); live, the collection and the main
 * thread's processing, which are one thread when the collection runs on the main thread
 * (the Action's bundle) and two when it has a thread of its own (live-thread.ts).
 */
export type OtherBusyThreads = 0 | 1 | 2;

/**
 * How many worker threads a run may have, and after how many principals they start. `--jobs`
 * counts the threads that work, `busy` of them not workers ({@link OtherBusyThreads}): a
 * worker more than the cores makes every thread slower (measured: a live 10,000-account scan
 * on 2 cores took 99 s with one worker beside the collection thread and 76 s without).
 * CREDWARDEN_WORKERS_AFTER_PRINCIPALS and CREDWARDEN_WORKER_MAX_PRINCIPALS let tests start
 * workers (and keep large accounts on the main thread) on small fixtures.
 */
export function workerPlan(
  options: { jobs?: number },
  io: { env: Record<string, string | undefined> },
  busy: OtherBusyThreads,
): { threads: number; after: number; maxPrincipals: number } {
  const jobs = jobsOf(options);
  return {
    threads: jobs > 1 ? Math.max(0, jobs - busy) : 0,
    after: fromEnv(io, 'CREDWARDEN_WORKERS_AFTER_PRINCIPALS', WORKERS_AFTER_PRINCIPALS),
    maxPrincipals: fromEnv(io, 'CREDWARDEN_WORKER_MAX_PRINCIPALS', WORKER_MAX_PRINCIPALS),
  };
}

/** The thread count of `--jobs`: the option, else the CPUs Node may use (docs/performance.md, "Worker threads"). */
export function jobsOf(options: { jobs?: number }): number {
  return options.jobs ?? availableParallelism();
}

/** Bytes of a saved credential report per principal, about: a report not yet read is given work by its size. */
const REPORT_BYTES_PER_PRINCIPAL = 220;

/**
 * Starts the worker threads of an offline scan before the scan is set up, when its saved reports
 * (their sizes, before they are read) are enough to have workers from the first report: each
 * worker's start (its modules, rules and procedures: about a second on a loaded machine) then
 * overlaps the main thread's own (rules, procedures, the first look at every report) instead of
 * following it. Returns undefined when the scan would not start workers; the pool returned is
 * taken by the run's {@link AccountDispatch}, or ended with it. Never throws: a problem with the
 * paths is for the scan itself to report.
 */
export function prestartWorkers(
  options: { jobs?: number },
  io: { env: Record<string, string | undefined> },
  from: readonly string[],
  preload: WorkerPreload,
): WorkerPool | undefined {
  const plan = workerPlan(options, io, 0);
  if (plan.threads === 0 || !workersAvailable()) return undefined;
  let principals = 0;
  try {
    for (const file of listReportFiles(from)) principals += Math.max(1, Math.round(statSync(file).size / REPORT_BYTES_PER_PRINCIPAL));
  } catch {
    return undefined;
  }
  return principals > plan.after ? new WorkerPool(plan.threads, preload) : undefined;
}

/** The run's accounts (or saved reports), each processed by the main thread's pipeline or by the worker pool. */
export class AccountDispatch {
  private pool: WorkerPool | undefined;
  private principals = 0;
  /** How saved reports are read, while {@link savedReports} runs. */
  private reading: ReportReading | undefined;
  /** What reading each report gave, by its index, while {@link savedReports} runs. */
  private outcomes: ReportOutcome[] = [];
  /** The saved reports of {@link savedReports}, which of them are done, and the first not done. */
  private items: readonly ReportItem[] = [];
  private done: boolean[] = [];
  private firstUndone = 0;

  /**
   * @param workers how many worker threads (0: none), after how many principals they start, and
   *   the most principals of an account they are given (a larger one is processed here)
   * @param init what the workers start from (asked for once, when they start)
   */
  constructor(
    private readonly pipeline: ScanPipeline,
    private readonly reports: ReportRun,
    private readonly workers: {
      threads: number;
      after: number;
      maxPrincipals: number;
      started?: (threads: number) => void;
      /** Workers started ahead ({@link prestartWorkers}): taken when the pool is due, ended with the dispatch otherwise. */
      prestarted?: WorkerPool;
    },
    private readonly baseline: BaselineIndex | undefined,
    private readonly init: () => WorkerInit,
  ) {}

  /**
   * The worker pool, started once the run has passed the principals it takes to pay for it.
   * @param coming the principals of the work in hand, not yet counted
   */
  private poolIfDue(coming = 0): WorkerPool | undefined {
    if (!this.pool && this.workers.threads > 0 && this.principals + coming > this.workers.after && workersAvailable()) {
      const init = { ...this.init(), ...(this.reading ? { reading: this.reading } : {}) };
      const pool = this.workers.prestarted ?? new WorkerPool(this.workers.threads);
      this.pool = pool.begin(init, (reply, worker) => this.answered(reply, worker, init.spoolDir));
      this.workers.started?.(this.workers.threads);
    }
    return this.pool;
  }

  private answered(reply: WorkReply, worker: number, spoolDir: string): void {
    if (reply.type === 'report') {
      this.outcomes[reply.index] = reply.outcome;
      if (reply.unprocessed) this.pipeline.account(reply.unprocessed);
    }
    const rendered = reply.rendered;
    if (rendered)
      this.reports.rendered(
        rendered.id,
        rendered.spooled.map((range, report) => range && { path: workerSpoolPath(spoolDir, worker, report), range }),
        rendered.slice,
      );
    if (reply.type === 'report') this.reportDone(reply.index);
  }

  /**
   * Report `index` is done (read, and its account processed): once every report before a point
   * is done, no account before that point's first look can still come, and the reports written
   * as their accounts come may take those before it (ReportRun.progress).
   */
  private reportDone(index: number): void {
    const items = this.items;
    this.done[index] = true;
    if (index !== this.firstUndone) return;
    while (this.firstUndone < items.length && this.done[this.firstUndone]) this.firstUndone++;
    const next = items[this.firstUndone];
    // Older reports (after the newest ones) are only checked: no account comes from them.
    this.reports.progress(next?.newest ? (next.accountId ?? '') : undefined);
  }

  private baselineOf(id: string | undefined): { baseline?: AccountBaseline } {
    if (!this.baseline || id === undefined) return {};
    return { baseline: { findings: this.baseline.findingsOf(id), asOf: this.baseline.asOfOf(id) } };
  }

  /** Processes a scanned account, here or in a worker; resolves when another may come. */
  account(account: Account): void | Promise<void> {
    this.principals += account.principals.length;
    const pool = this.poolIfDue();
    if (!pool || account.principals.length > this.workers.maxPrincipals) return this.pipeline.account(account);
    return pool.submit({ type: 'account', account, ...this.baselineOf(account.id) }, account.principals.length);
  }

  /**
   * Reads, checks and processes saved reports (scan --from), here or in the workers, which then
   * read the reports themselves. Resolves once every report is done, with what reading each gave
   * in the reports' order (`items[i].index` is `i`), whichever thread read it.
   */
  async savedReports(items: readonly ReportItem[], reading: ReportReading): Promise<ReportOutcome[]> {
    this.reading = reading;
    this.outcomes = new Array<ReportOutcome>(items.length);
    this.items = items;
    this.done = new Array<boolean>(items.length).fill(false);
    this.firstUndone = 0;
    // Every report still to read counts: a scan whose reports are large enough has its workers from the first.
    let coming = items.reduce((sum, item) => sum + estimatedPrincipals(item), 0);
    for (const item of items) {
      const pool = this.poolIfDue(coming);
      coming -= estimatedPrincipals(item);
      if (pool && mostPrincipals(item) <= this.workers.maxPrincipals) {
        await pool.submit({ type: 'report', item, ...this.baselineOf(item.accountId) }, estimatedPrincipals(item));
        continue;
      }
      const { outcome, account } = readItem(item, reading);
      this.outcomes[item.index] = outcome;
      if (account) {
        this.principals += account.principals.length;
        this.pipeline.account(account);
      }
      this.reportDone(item.index);
    }
    // No more reports: a worker done with its share hands over its state while the others finish theirs.
    this.pool?.drain();
    await this.pool?.settled();
    const outcomes = this.outcomes;
    this.outcomes = [];
    return outcomes;
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
    await (this.pool ?? this.workers.prestarted)?.close();
  }
}

/**
 * The fewest bytes a row of a credential report takes (its 22 fields at their shortest are
 * about 150): what bounds the principals of a report before it is read.
 */
const REPORT_MIN_BYTES_PER_PRINCIPAL = 100;

/** The most principals a report of this size can hold: a worker is given only reports that fit its heap. */
function mostPrincipals(item: ReportItem): number {
  return Math.ceil(item.bytes / REPORT_MIN_BYTES_PER_PRINCIPAL);
}

/** A report's principals before it is read, from its size. */
function estimatedPrincipals(item: ReportItem): number {
  return Math.max(1, Math.round(item.bytes / REPORT_BYTES_PER_PRINCIPAL));
}
