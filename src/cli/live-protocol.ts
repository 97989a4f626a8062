/**
 * Messages between the main thread and the collection thread (./live-worker.ts, started by
 * ./live-thread.ts). Everything crossing is plain data (structured clone): the collection's
 * options, its plan, one event per account (a report is sent as its text, parsed by the thread
 * that processes the account), and the error that stopped it as the CLI will report it.
 */
import type { Diagnostic } from '../model/index.js';
import type { CallCounts, CollectedEvent, CollectionPlan } from '../collectors/aws/collect.js';
import type { CollectOptions, ContextNeeds } from '../collectors/aws/options.js';

/** What the collection starts from (the `start` message). */
export interface LiveWorkerInit {
  options: CollectOptions;
  /** Events the thread may send before the main thread has taken them: the collection's back-pressure. */
  window: number;
}

/** The error that stopped the collection, as the CLI error it becomes (see live-scan.ts, startFailure). */
export interface CollectionFailure {
  /** `InputError`, `UsageError`, `IncompleteScanError`, or anything else (an unexpected error). */
  name: string;
  message: string;
  diagnostics?: readonly Diagnostic[];
  suggestion?: string;
  pointsAtFlags?: boolean;
}

/** From the collection thread. */
export type FromLiveWorker =
  | { type: 'plan'; plan: CollectionPlan }
  /** An account; one whose report decides no further call comes with its report unparsed (a `fetched` event: see collectors/aws/fetched.ts). */
  | { type: 'event'; event: CollectedEvent }
  /** `calls`: the scan-level calls at the end (the plan's count goes on growing while accounts are scanned, e.g. SCP reads). */
  | { type: 'done'; calls: CallCounts }
  | { type: 'failed'; failure: CollectionFailure };

/**
 * To the collection thread (which loads the collector and the AWS SDK before anything comes, see
 * live-thread.ts, prestartCollectionThread): `start` once; or `begin` while the rules still load,
 * whose `contextNeeds` are not used, and `needs` with the rules' needs once they have loaded. Then
 * `taken` each time the main thread took `count` more events (there is room for as many).
 */
export type ToLiveWorker =
  { type: 'start' | 'begin'; init: LiveWorkerInit } | { type: 'needs'; contextNeeds: ContextNeeds } | { type: 'taken'; count: number };
