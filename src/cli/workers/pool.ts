/**
 * The scan's worker threads (`--jobs`): each runs ./worker.ts, takes whole accounts and
 * returns their reports' chunks; at the end each hands over its share of the organisation
 * state. The main thread keeps collecting (or reading) accounts, spools the chunks and writes
 * every file, so the bytes are the same as with one thread (see test/cli/jobs.test.ts).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError } from '../../model/index.js';
import type { SavedPipeline } from '../../core/pipeline/index.js';
import type { FromWorker, ToWorker, WorkerError, WorkerInit, WorkerPreload } from './protocol.js';

/**
 * Principals a worker may have queued before the main thread waits: enough to keep it busy
 * while the next account is read or collected, few enough that memory stays bounded.
 */
const QUEUED_PRINCIPALS = 4000;

/**
 * Each worker's heap bounds. Left to V8's defaults, a worker's heap grows to hundreds of MiB of
 * garbage before it collects (2 workers: 598 to 685 MiB peak RSS for the 100,050-principal scan,
 * whose live data at the end is about 41 MiB per worker); bounded, the same scan peaked at 408 MiB
 * for about the same CPU (docs/performance.md, "Worker threads"). An account too large for this
 * heap is processed on the main thread instead ({@link WORKER_MAX_PRINCIPALS}). The young
 * generation is 24 MiB: at 48 its two semi-spaces held 32 MiB in each worker for the whole scan
 * (sampled with v8.getHeapSpaceStatistics), two workers' heaps being most of the large scan's
 * peak. A smaller one costs CPU (more scavenges, more objects promoted). Measured on 1,000,500
 * principals, run after run on a quiet machine (load 2 to 3.5; CPU is user + system):
 * 48 MiB 51-60 s CPU, 350-370 MiB peak; 32 MiB 52 s, 358 MiB; 24 MiB 52-53 s, 304-323 MiB;
 * 16 MiB 59-65 s, 311-319 MiB. 24 is the smallest that costs no CPU beyond the noise.
 */
export const WORKER_HEAP = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 24 };

/**
 * The most principals of one account a worker is given: AWS's IAM quota is 5,000 users per
 * account, so every real account fits; a larger one (a hand-made report) is processed on the
 * main thread, whose heap is not bounded by {@link WORKER_HEAP}.
 */
export const WORKER_MAX_PRINCIPALS = 20_000;

/** Where the compiled worker is: beside this module in dist/ (absent when running the sources or the Action's bundle). */
const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));

/** Whether worker threads can be started here (the compiled worker file exists). */
export function workersAvailable(): boolean {
  return existsSync(WORKER_FILE);
}

/** One worker and what it has been given but not yet answered. */
interface Member {
  worker: Worker;
  index: number;
  queued: number[];
  principals: number;
  finished?: (saved: WorkerState) => void;
  /** The worker was asked for its state (it has answered all it was given, and gets nothing more). */
  asked?: boolean;
  /** The worker handed over its state and is being ended: its exit is no failure. */
  retired?: boolean;
  /** The worker's thread has exited. */
  ended?: boolean;
}

/** A worker's share of the organisation state, handed over at the end. */
type WorkerState = { pipeline: SavedPipeline; sinks: unknown[] };

/** What the pool hands back for each account or report. */
export type WorkReply = Extract<FromWorker, { type: 'account' | 'report' }>;

/** What a worker is given to do: an account, or a saved report to read. */
export type WorkItem = Extract<ToWorker, { type: 'account' | 'report' }>;

/**
 * A fixed set of scan workers. They start at once, with what they can load before the scan is
 * set up (its rules, when `preload` is given); `begin` gives them the run and makes the pool
 * usable. `submit` gives an account (or a report to read) to the least busy one and resolves once
 * there is room for another (the caller's back-pressure); `settled` waits for every answer;
 * `finish` collects every worker's state; `close` ends them all. A worker that fails or dies fails
 * the pool: every later call rejects with its error, so a scan never waits on a dead worker.
 */
export class WorkerPool {
  private readonly members: Member[];
  private failure: Error | undefined;
  private waiting: (() => void)[] = [];
  private closing = false;
  /** Each worker's state, once {@link WorkerPool.drain} asked for it. */
  private states: Promise<WorkerState>[] | undefined;
  private onReply: (reply: WorkReply, worker: number) => void = () => {
    throw new Error('a scan worker answered before the run began');
  };

  /**
   * @param preload what the workers load while the main thread sets the scan up: until
   *   {@link WorkerPool.begin}, the workers do not keep the process alive (a scan that stops
   *   before it begins, e.g. on bad rules, ends as without them)
   * @param file the worker's module (tests give a stand-in that speaks the same protocol)
   */
  constructor(count: number, preload?: WorkerPreload, file: string | URL = WORKER_FILE) {
    this.members = Array.from({ length: count }, (_, worker) => this.startMember(worker, preload, file));
  }

  private startMember(index: number, preload: WorkerPreload | undefined, file: string | URL): Member {
    // A worker's output streams are its own (never read): nothing it might print can mix with a report on stdout.
    const worker = new Worker(file, { stdout: true, stderr: true, resourceLimits: WORKER_HEAP });
    const member: Member = { worker, index, queued: [], principals: 0 };
    worker.on('message', (message: FromWorker) => this.received(member, message));
    worker.on('error', (error) => this.fail(new Error(`a scan worker failed: ${error.message}`)));
    worker.on('exit', (code) => {
      member.ended = true;
      if (!this.closing && !member.retired) this.fail(new Error(`a scan worker stopped unexpectedly (exit code ${code})`));
    });
    worker.unref();
    if (preload) worker.postMessage({ type: 'preload', preload } satisfies ToWorker);
    return member;
  }

  /** Gives every worker the run (each its own number), and where their answers go. */
  begin(init: WorkerInit, onReply: (reply: WorkReply, worker: number) => void): this {
    this.onReply = onReply;
    for (const member of this.members) {
      member.worker.ref();
      member.worker.postMessage({ type: 'init', init: { ...init, worker: member.index } } satisfies ToWorker);
    }
    return this;
  }

  private received(member: Member, message: FromWorker): void {
    if (message.type === 'error') return this.fail(errorFrom(message.error));
    if (message.type === 'finished') return void this.retire(member, { pipeline: message.pipeline, sinks: message.sinks });
    member.principals -= member.queued.shift() ?? 0;
    if (this.states && member.queued.length === 0) this.askState(member);
    try {
      this.onReply(message, member.index);
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
    this.wake();
  }

  /**
   * A worker handed over its state (a copy, made when it was posted): it has nothing left to do,
   * so it ends before its state is taken, and its heap (about 100 MiB) is freed before this
   * thread takes in every worker's state and writes the reports. Kept until {@link close}, the
   * workers' heaps and the joined state were the scan's peak memory (1,000,500 principals:
   * about 395 MiB there, against about 330 MiB while the workers ran).
   */
  private async retire(member: Member, state: WorkerState): Promise<void> {
    member.retired = true;
    await member.worker.terminate();
    member.finished?.(state);
  }

  /** Workers not yet ended: a worker ends once it has handed over its state, or with {@link close}. */
  get running(): number {
    return this.members.filter((m) => !m.ended).length;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake();
    for (const member of this.members) member.finished?.(undefined as never);
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resume of waiting) resume();
  }

  /**
   * Gives `work` to the least busy worker; resolves when more may be submitted.
   * @param principals the work's principals (of a report not yet read: an estimate), to share the work out
   * @throws the pool's failure
   */
  async submit(work: WorkItem, principals: number): Promise<void> {
    this.check();
    if (this.states) throw new Error('work given to the scan workers after they were drained');
    const member = this.members.reduce((a, b) => (b.principals < a.principals ? b : a));
    member.queued.push(principals);
    member.principals += principals;
    member.worker.postMessage(work);
    await this.until(() => this.members.some((m) => m.principals < QUEUED_PRINCIPALS));
  }

  /** Resolves once every worker has answered all it was given. @throws the pool's failure */
  async settled(): Promise<void> {
    await this.until(() => this.members.every((m) => m.queued.length === 0));
  }

  private async until(ready: () => boolean): Promise<void> {
    while (!this.failure && !ready()) await new Promise<void>((resume) => this.waiting.push(resume));
    this.check();
  }

  /**
   * No more work will be submitted: each worker is asked for its state as soon as it has answered
   * all it was given, so that a worker done before the others hands it over (and this thread
   * takes it in) while they finish their last accounts, instead of after them.
   */
  drain(): void {
    this.states ??= this.members.map(
      (member) =>
        new Promise<WorkerState>((resolve) => {
          member.finished = resolve;
          if (member.queued.length === 0) this.askState(member);
        }),
    );
  }

  private askState(member: Member): void {
    if (member.asked) return;
    member.asked = true;
    member.worker.postMessage({ type: 'finish' } satisfies ToWorker);
  }

  /** Every worker's share of the organisation state (in the workers' order), once each has answered all its accounts. @throws the pool's failure */
  async finish(): Promise<WorkerState[]> {
    this.check();
    this.drain();
    const saved = await Promise.all(this.states ?? []);
    this.check();
    return saved;
  }

  /** Ends every worker (always called, success or not, so no thread outlives the scan). */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await Promise.all(this.members.map((m) => m.worker.terminate()));
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }
}

/** A worker's error as the main thread's: an InputError keeps its diagnostics (exit 2, file and line). */
function errorFrom(error: WorkerError): Error {
  if (error.name === 'InputError') return new InputError(error.diagnostics ?? [], error.message);
  return new Error(error.message);
}
