/**
 * A live collection on its own thread (./live-worker.ts): the same events as
 * {@link collectOrganization}, in the same order, while the main thread processes them; an
 * account whose report decides no further call comes with its report unparsed (a `fetched`
 * event, finished by finishFetched where it is processed: collectors/aws/fetched.ts). Measured
 * on 2 cores (docs/performance.md, "Live collection on its own thread"): the collector's CPU per
 * account (AWS SDK, HTTP, report parsing) is about as large as the processing's, so on one thread
 * they took turns; on two they overlap.
 *
 * Used where the compiled worker exists (dist/) and the options are plain data; otherwise (the
 * sources under test, the Action's bundle, test doubles of the HTTP handler) the collection runs
 * on the calling thread.
 */
import { existsSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { CollectedEvent, CollectHooks, CollectionPlan } from '../collectors/aws/collect.js';
import type { CollectOptions } from '../collectors/aws/options.js';
import { liveCollectOptions, type AwsScanOptions } from './aws-options.js';
import type { CliIO } from './io.js';
import { failureError } from './live-failure.js';
import type { FromLiveWorker, ToLiveWorker } from './live-protocol.js';
import { adoptCollectionWorker, COLLECTION_WORKER_FILE, spawnCollectionWorker } from './live-prestart.js';

/** The flags a live scan's collection options come from (see aws-options.ts, liveCollectOptions). */
export type LiveScanFlags = AwsScanOptions & { strictNames?: boolean };

/** Whether this install has the collection thread's module (dist/ has; the sources under test and the Action's bundle have not). */
export function collectionThreadBuilt(): boolean {
  return existsSync(COLLECTION_WORKER_FILE);
}

/** Whether `options` can be collected on a thread of their own (see the module comment). */
export function collectionThreadAvailable(options: CollectOptions, hooks: CollectHooks): boolean {
  return hooks.clock === undefined && options.aws.requestHandler === undefined && collectionThreadBuilt();
}

/** Events the thread may run ahead of the consumer: as many as the collector itself buffers. */
function windowOf(options: CollectOptions): number {
  return Math.max(64, options.concurrency * 4);
}

/** The options as JSON without the context needs (those may come after the collection began). */
function withoutNeeds(options: CollectOptions): string {
  return JSON.stringify({ ...options, contextNeeds: undefined });
}

/**
 * One collection thread. It starts loading the collector and the AWS SDK as soon as it is
 * created, before the options are known: created while the main thread loads the rules
 * ({@link prestartCollectionThread}), both loads overlap and the first requests leave sooner.
 * It adopts the Worker the launcher spawned ahead, if any (live-prestart.ts).
 */
export class CollectionThread {
  private readonly worker: Worker;
  private readonly inbox: FromLiveWorker[] = [];
  private wake: (() => void) | undefined;
  private ended: Error | undefined;
  private used = false;
  /** The options of a collection begun before the rules' context needs were known ({@link begin}). */
  private begun: string | undefined;

  constructor(spawned = adoptCollectionWorker() ?? spawnCollectionWorker()) {
    // Idle until used (spawned unref'd): a scan that stops before collecting (bad rules, bad flags) must still exit.
    this.worker = spawned.worker;
    this.ended = spawned.ended;
    this.worker.on('message', (message: FromLiveWorker) => {
      this.inbox.push(message);
      this.arrived();
    });
    this.worker.on('error', (error) => {
      this.ended ??= error;
      this.arrived();
    });
    this.worker.on('exit', (code) => {
      this.ended ??= new Error(`the collection thread ended (exit code ${code}) before the collection did`);
      this.arrived();
    });
    spawned.release();
  }

  private arrived(): void {
    this.wake?.();
    this.wake = undefined;
  }

  private async next(): Promise<FromLiveWorker> {
    for (;;) {
      const message = this.inbox.shift();
      if (message) return message;
      if (this.ended) throw this.ended;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private post(message: ToLiveWorker): void {
    this.worker.postMessage(message);
  }

  /**
   * Begins collecting with `options` before the rules' context needs are known (its
   * `contextNeeds` are not used): the scan-level calls (identity, organisation, account list) go
   * out now, and accounts wait for {@link collect}, which gives the needs. Read-only calls made
   * for nothing if the scan then stops (bad rules); no account is scanned before.
   */
  begin(options: CollectOptions): void {
    if (this.used || this.begun !== undefined) throw new Error('a collection thread collects once');
    this.begun = withoutNeeds(options);
    this.post({ type: 'begin', init: { options, window: windowOf(options) } });
  }

  /**
   * The collection of `options` on this thread (once per thread; the options {@link begin} was
   * given, with the context needs, if it began). Errors that stop it arrive as the CLI errors
   * live-failure.ts decides (InputError, UsageError, IncompleteScanError). Stopping early (the
   * consumer throws or returns) ends the thread.
   */
  async *collect(options: CollectOptions, hooks: Pick<CollectHooks, 'onPlan'> = {}): AsyncGenerator<CollectedEvent> {
    if (this.used) throw new Error('a collection thread collects once');
    this.used = true;
    if (this.begun !== undefined && this.begun !== withoutNeeds(options)) {
      await this.close();
      throw new Error('the collection began with other options than it is asked to finish with');
    }
    // From now on the main thread waits for it: it keeps the process alive.
    this.worker.ref();
    this.post(
      this.begun !== undefined
        ? { type: 'needs', contextNeeds: options.contextNeeds }
        : { type: 'start', init: { options, window: windowOf(options) } },
    );
    // The plan handed to onPlan: its scan-level call counts are brought up to date at the end, as on the calling thread.
    let planned: CollectionPlan | undefined;
    try {
      for (;;) {
        const message = await this.next();
        if (message.type === 'done') {
          if (planned) Object.assign(planned.calls, message.calls);
          return;
        }
        if (message.type === 'failed') throw failureError(message.failure);
        if (message.type === 'plan') {
          planned = message.plan;
          hooks.onPlan?.(planned);
        } else {
          yield message.event;
          this.post({ type: 'taken', count: 1 });
        }
      }
    } finally {
      await this.close();
    }
  }

  /** Ends the thread (unused or not); safe to call more than once. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * A collection thread started now, for a live scan whose rules are still to load; undefined where
 * this install has no compiled worker. With the scan's flags (`cli`), it also begins collecting
 * ({@link CollectionThread.begin}) when they are valid; invalid ones are reported where the scan
 * reads them, after the rules, as without an early start. The caller closes the thread if the scan
 * stops before collecting.
 */
export function prestartCollectionThread(cli?: LiveScanFlags, io?: CliIO): CollectionThread | undefined {
  if (!collectionThreadBuilt()) return undefined;
  const thread = new CollectionThread();
  // --demo collects from a sandbox started later, with options of its own.
  if (cli && io && !cli.demo) {
    let early: CollectOptions | undefined;
    try {
      // No rules yet: the context needs follow once they have loaded.
      early = liveCollectOptions(cli, io, []);
    } catch {
      // Refused flags: the scan reports them after the rules load, as it always did.
    }
    if (early) thread.begin(early);
  }
  return thread;
}

/**
 * The collection, on a thread of its own (`thread`, or a new one). Errors that stop it arrive as
 * the CLI errors live-failure.ts decides (InputError, UsageError, IncompleteScanError). Stopping
 * early (the consumer throws or returns) ends the thread.
 */
export function collectOnThread(
  options: CollectOptions,
  hooks: Pick<CollectHooks, 'onPlan'> = {},
  thread: CollectionThread = new CollectionThread(),
): AsyncGenerator<CollectedEvent> {
  return thread.collect(options, hooks);
}
