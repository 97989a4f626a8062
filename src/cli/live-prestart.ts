/**
 * The collection thread's Worker, spawned by the launcher (bin/credwarden.js) for a live `scan`
 * before the CLI's modules load: the thread then loads the collector and the AWS SDK while the
 * main thread loads the CLI, the scan command and the rules, and the scan adopts it
 * (live-thread.ts, CollectionThread). Spawned from the top of `scan`, the thread started about
 * 0.36 s after the process, and loading the SDK there was the longest path to the first
 * AssumeRole. This module imports nothing of the CLI: the launcher loads it first.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The collection thread's module (dist/ only: the sources under test have no compiled worker). */
export const COLLECTION_WORKER_FILE = fileURLToPath(new URL('./live-worker.js', import.meta.url));

/**
 * The collection thread's young generation (V8's nursery), in MiB. The AWS SDK allocates many
 * short-lived objects per call (middleware contexts, headers, parsed XML); with V8's default,
 * scavenges took about 9 % of the thread's time. Measured with --cpu-prof on 1,000 sandbox
 * accounts (load ~12): garbage collection 1.26 s -> 0.78 s of the thread, its CPU 8.6 -> 7.7 s,
 * for at most this much more memory.
 */
const YOUNG_GENERATION_MB = 64;

/** A collection Worker and how it ended, if it did before a {@link CollectionThread} took it. */
export interface SpawnedWorker {
  worker: Worker;
  /** Set when the Worker failed or exited before it was adopted. */
  ended?: Error;
  /** Removes the listeners that record `ended` (the adopter listens itself). */
  release(): void;
}

/** A Worker spawned ahead, not yet adopted. */
let spawned: SpawnedWorker | undefined;

/**
 * Spawns a collection thread's Worker. It does nothing until told to collect, and does not keep
 * the process alive: a scan that stops before collecting (bad flags, `scan --help`) still exits.
 */
export function spawnCollectionWorker(): SpawnedWorker {
  // As main.ts (quietSdkNodeVersionWarning) does for the main thread: the Worker copies the environment now.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const worker = new Worker(COLLECTION_WORKER_FILE, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  worker.unref();
  const entry: SpawnedWorker = {
    worker,
    release: () => {
      worker.off('error', failed);
      worker.off('exit', exited);
    },
  };
  // An error with no listener would throw on the main thread: keep it for the adopter to report.
  const failed = (error: Error) => void (entry.ended ??= error);
  const exited = (code: number) =>
    void (entry.ended ??= new Error(`the collection thread ended (exit code ${code}) before the collection did`));
  worker.on('error', failed);
  worker.on('exit', exited);
  return entry;
}

/** The launcher's call: spawns the Worker that the scan will adopt ({@link adoptCollectionWorker}). */
export function spawnCollectionWorkerAhead(): void {
  spawned ??= spawnCollectionWorker();
}

/** The Worker spawned ahead, once (undefined when none was, or it was taken). */
export function adoptCollectionWorker(): SpawnedWorker | undefined {
  const taken = spawned;
  spawned = undefined;
  return taken;
}
