/**
 * The collection thread of a live scan (started by ./live-thread.ts): it runs the collector, AWS
 * SDK and all, and sends the plan and each account's event to the main thread, which evaluates,
 * plans and writes. The SDK's CPU per call (signing, serialising, parsing each answer) then runs
 * beside the processing instead of taking turns with it on one thread.
 *
 * The thread may be started before its options are known (while the main thread loads the
 * rules): importing the collector, which loads the AWS SDK, is then done by the time `start` comes;
 * with `begin`, the scan-level calls go out before the rules' context needs are known as well.
 */
import { parentPort } from 'node:worker_threads';
import { collectOrganization, type CallCounts, type CollectionPlan } from '../collectors/aws/collect.js';
import type { ContextNeeds } from '../collectors/aws/options.js';
import { failureData, startFailure } from './live-failure.js';
import type { FromLiveWorker, LiveWorkerInit, ToLiveWorker } from './live-protocol.js';

const port = parentPort;
if (!port) throw new Error('live-worker.ts runs as a worker thread');

/** Events sent and not yet taken by the main thread; the collection waits while the window is full. */
let unTaken = 0;
let room: (() => void) | undefined;
/** Set by `begin`: gives the accounts the rules' context needs when `needs` comes. */
let needsArrived: ((needs: ContextNeeds) => void) | undefined;
port.on('message', (message: ToLiveWorker) => {
  if (message.type === 'taken') {
    unTaken -= message.count;
    room?.();
    room = undefined;
  } else if (message.type === 'needs') needsArrived?.(message.contextNeeds);
  else if (message.type === 'begin') void collect(message.init, new Promise((resolve) => (needsArrived = resolve)));
  else void collect(message.init);
});

function send(message: FromLiveWorker): void {
  port?.postMessage(message);
}

async function collect(init: LiveWorkerInit, contextNeeds?: Promise<ContextNeeds>): Promise<void> {
  try {
    let calls: CallCounts = {};
    const onPlan = (plan: CollectionPlan) => {
      calls = plan.calls;
      send({ type: 'plan', plan });
    };
    // Reports are parsed where the accounts are processed: off this thread, the busier one (fetched.ts).
    const events = collectOrganization(init.options, { onPlan, handOver: true, ...(contextNeeds ? { contextNeeds } : {}) });
    for await (const event of events) {
      while (unTaken >= init.window) await new Promise<void>((resolve) => (room = resolve));
      unTaken++;
      send({ type: 'event', event });
    }
    send({ type: 'done', calls });
  } catch (error) {
    send({ type: 'failed', failure: failureData(startFailure(error)) });
  } finally {
    // Nothing more will come from the main thread: let the thread end once the sockets are closed.
    port?.unref();
  }
}
