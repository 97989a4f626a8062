/**
 * Child process of the benchmark: runs the measured side of one scenario (the offline
 * pipeline, or the scanner of a live scenario) and sends back its measurement with this
 * process's peak RSS, so the figure is not inflated by the runner or the sandbox.
 */
import { availableParallelism } from 'node:os';
import { loadRuleset } from '../src/collectors/files/rules.js';
import { baselinePlan } from './baseline.js';
import { inProcessRunner, runOffline, type OfflineOptions } from './offline.js';
import { workerRunner } from './offline-workers.js';
import { scanLive, type ScanSpec } from './live.js';

/** A job for the child. */
export type ChildJob =
  { kind: 'offline'; pack: string; options: OfflineOptions; workers: number } | { kind: 'scan'; pack: string; spec: ScanSpec };

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMb(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/** Runs a job in this process; used by the child and by the in-process (smoke) mode. */
export async function runJob(job: ChildJob): Promise<unknown> {
  const { ruleset } = loadRuleset({ pack: job.pack });
  if (job.kind === 'scan') return scanLive(job.spec, ruleset);
  const workers = job.workers > 0 ? Math.min(job.workers, availableParallelism()) : 0;
  if (workers === 0) return runOffline(job.options, inProcessRunner(ruleset, baselinePlan(ruleset), job.options.verify === true), 1);
  const pool = await workerRunner(workers, job.pack, job.options.verify === true);
  try {
    return await runOffline(job.options, pool.runner, workers);
  } finally {
    await pool.close();
  }
}

/** The argument that marks this file's process as a benchmark child. */
export const CHILD_FLAG = '--credwarden-bench-child';

if (process.send && process.argv.includes(CHILD_FLAG)) {
  process.once('message', (job: ChildJob) => {
    runJob(job).then(
      (result) => process.send?.({ ok: true, result, peakRssMb: peakRssMb() }, () => process.exit(0)),
      (error: unknown) =>
        process.send?.({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () =>
          process.exit(1),
        ),
    );
  });
}
