/**
 * A live collection on its own thread (./live-worker.ts): the same events as
 * {@link collectOrganization}, in the same order, while the main thread processes them. Measured
 * on 2 cores (docs/performance.md, "Live collection on its own thread"): the collector's CPU per
 * account (AWS SDK, HTTP, report parsing) is about as large as the processing's, so on one thread
 * they took turns; on two they overlap.
 *
 * Used where the compiled worker exists (dist/) and the options are plain data; otherwise (the
 * sources under test, the Action's bundle, test doubles of the HTTP handler) the collection runs
 * on the calling thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AccountEvent, CollectHooks, CollectionPlan } from '../collectors/aws/collect.js';
import type { CollectOptions } from '../collectors/aws/options.js';
import { failureError } from './live-failure.js';
import type { FromLiveWorker, LiveWorkerInit, ToLiveWorker } from './live-protocol.js';

const WORKER_FILE = fileURLToPath(new URL('./live-worker.js', import.meta.url));

/** Whether this install has the collection thread's module (dist/ has; the sources under test and the Action's bundle have not). */
export function collectionThreadBuilt(): boolean {
  return existsSync(WORKER_FILE);
}

/** Whether `options` can be collected on a thread of their own (see the module comment). */
export function collectionThreadAvailable(options: CollectOptions, hooks: CollectHooks): boolean {
  return hooks.clock === undefined && options.aws.requestHandler === undefined && collectionThreadBuilt();
}

/** Events the thread may run ahead of the consumer: as many as the collector itself buffers. */
function windowOf(options: CollectOptions): number {
  return Math.max(64, options.concurrency * 4);
}

/**
 * The collection, on a thread of its own. Errors that stop it arrive as the CLI errors
 * live-failure.ts decides (InputError, UsageError, IncompleteScanError). Stopping early (the
 * consumer throws or returns) ends the thread.
 */
export async function* collectOnThread(options: CollectOptions, hooks: Pick<CollectHooks, 'onPlan'> = {}): AsyncGenerator<AccountEvent> {
  const init: LiveWorkerInit = { options, window: windowOf(options) };
  const worker = new Worker(WORKER_FILE, { workerData: init });
  const inbox: FromLiveWorker[] = [];
  let wake: (() => void) | undefined;
  let ended: Error | undefined;
  const arrived = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (message: FromLiveWorker) => {
    inbox.push(message);
    arrived();
  });
  worker.on('error', (error) => {
    ended ??= error;
    arrived();
  });
  worker.on('exit', (code) => {
    ended ??= new Error(`the collection thread ended (exit code ${code}) before the collection did`);
    arrived();
  });
  // The plan handed to onPlan: its scan-level call counts are brought up to date at the end, as on the calling thread.
  let planned: CollectionPlan | undefined;
  try {
    for (;;) {
      const message = inbox.shift();
      if (!message) {
        if (ended) throw ended;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
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
        worker.postMessage({ type: 'taken', count: 1 } satisfies ToLiveWorker);
      }
    }
  } finally {
    await worker.terminate();
  }
}
