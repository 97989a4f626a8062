/**
 * Spreads the offline scenario's accounts over worker threads (one per core), two accounts
 * in flight per worker, and hands results back in file order so the JSON is deterministic.
 * Memory stays bounded: at most 2 × workers reports are being processed or waiting.
 */
import { Worker } from 'node:worker_threads';
import type { AccountRunner, AccountWork } from './offline.js';

/** A runner on `count` worker threads, resolved once every worker has loaded the rules; call `close` when done. */
export async function workerRunner(
  count: number,
  pack: string,
  verify: boolean,
): Promise<{ runner: AccountRunner; close(): Promise<void> }> {
  const workers = Array.from(
    { length: count },
    () => new Worker(new URL('./offline-worker.js', import.meta.url), { workerData: { pack, verify } }),
  );
  // Thread start-up and rule loading are not part of the measured pipeline.
  await Promise.all(workers.map((worker) => new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject))));
  const runner: AccountRunner = (files, compare, onResult) =>
    new Promise((resolve, reject) => {
      const done = new Map<number, AccountWork>();
      let nextToSend = 0;
      let nextToDeliver = 0;
      let delivering = false;
      const send = (worker: Worker) => {
        if (nextToSend >= files.length) return;
        worker.postMessage({ index: nextToSend, file: files[nextToSend], compare });
        nextToSend++;
      };
      const deliver = async () => {
        if (delivering) return;
        delivering = true;
        try {
          for (let work = done.get(nextToDeliver); work !== undefined; work = done.get(nextToDeliver)) {
            done.delete(nextToDeliver);
            nextToDeliver++;
            await onResult(work);
          }
        } finally {
          delivering = false;
        }
        if (nextToDeliver >= files.length) finish(undefined);
      };
      const listeners = workers.map((worker) => {
        const onMessage = (message: { index: number; work: AccountWork }) => {
          done.set(message.index, message.work);
          send(worker);
          deliver().catch((error: unknown) => finish(error));
        };
        worker.on('message', onMessage);
        worker.on('error', finish);
        return { worker, onMessage };
      });
      function finish(error: unknown) {
        for (const { worker, onMessage } of listeners) {
          worker.off('message', onMessage);
          worker.off('error', finish);
        }
        if (error === undefined) resolve();
        else reject(error instanceof Error ? error : new Error(String(error)));
      }
      if (files.length === 0) return finish(undefined);
      for (const worker of workers) {
        send(worker);
        send(worker);
      }
    });
  return { runner, close: async () => void (await Promise.all(workers.map((w) => w.terminate()))) };
}
