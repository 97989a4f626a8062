/**
 * The messages between the main thread and the scan's worker threads (./pool.ts, ./worker.ts).
 * Everything here is structured-cloneable data: no function, no class instance.
 */
import { join } from 'node:path';
import type { Account, Diagnostic, Finding } from '../../model/index.js';
import type { SpoolRange } from '../spool.js';
import type { FormatContext } from '../../core/format/types.js';
import type { AccountSlice, RunHeader, SavedPipeline } from '../../core/pipeline/index.js';
import type { ScanAccess } from '../../core/remediation/index.js';
import type { LoadedWaiver } from '../../core/waivers/index.js';
import type { Severity } from '../../model/index.js';
import type { ReportItem } from '../../collectors/files/reports.js';
import type { ReportOutcome, ReportReading } from './reading.js';

/** What loads the run's rules: the worker loads them again (compiled rules do not cross threads). */
export interface RulesetInputs {
  pack?: string;
  rulesDirs: string[];
  configPath?: string;
  minSeverity?: Severity;
}

/** How a worker opens one report's sink: the format (or its companion) and its context. */
export interface SinkRecipe {
  format: string;
  /** The companion file's name, for a companion sink (`credwarden-plans.md`). */
  companion?: string;
  context: FormatContext;
}

/** What a worker loads while the main thread sets the scan up (the slow part of its start: modules, rules, procedures). */
export interface WorkerPreload {
  cwd: string;
  rules: RulesetInputs;
}

/** Everything a worker needs before its first account. */
export interface WorkerInit {
  cwd: string;
  rules: RulesetInputs;
  header: RunHeader;
  toolVersion: string;
  asOf?: string;
  waivers?: { list: readonly LoadedWaiver[]; now: string };
  withBaseline: boolean;
  access: ScanAccess;
  /** One per report, in the reports' order: undefined for a report the main thread writes from slices. */
  recipes: readonly (SinkRecipe | undefined)[];
  /** Whether the main thread needs each slice back (a report without a recipe). */
  wantsSlices: boolean;
  /** The run's spool folder: the worker appends each report's chunks to its own files there ({@link workerSpoolPath}). */
  spoolDir: string;
  /** This worker's number in the pool (its spool files' names). */
  worker: number;
  /** How saved reports are read, when the worker is handed reports (scan --from) rather than accounts. */
  reading?: ReportReading;
}

/** The spool file worker `worker` writes report `report`'s chunks to: the main thread reads them back in account-id order. */
export function workerSpoolPath(spoolDir: string, worker: number, report: number): string {
  return join(spoolDir, `worker-${worker}-${report}.spool`);
}

/** One account's share of the baseline (what the compare stage reads of it). */
export interface AccountBaseline {
  findings: readonly Finding[];
  asOf: string | undefined;
}

/** Main thread → worker: an account to process, or a saved report to read and process. */
export type ToWorker =
  | { type: 'preload'; preload: WorkerPreload }
  | { type: 'init'; init: WorkerInit }
  | { type: 'account'; account: Account; baseline?: AccountBaseline }
  | { type: 'report'; item: ReportItem; baseline?: AccountBaseline }
  | { type: 'finish' };

/** An error, as data: InputError keeps its diagnostics (file, line, pointer). */
export interface WorkerError {
  name: string;
  message: string;
  diagnostics?: Diagnostic[];
}

/** An account a worker processed. */
export interface RenderedAccount {
  id: string;
  /** Where each report's chunks of the account are in the worker's spool files (recipes' order; undefined: none, or no recipe). */
  spooled: (SpoolRange | undefined)[];
  /** The slice, when a report is written from slices on the main thread. */
  slice?: AccountSlice;
}

/** Worker → main thread: one answer per account or report, in the order they were given, then the state. */
export type FromWorker =
  | { type: 'account'; rendered: RenderedAccount }
  | {
      type: 'report';
      index: number;
      outcome: ReportOutcome;
      /** The account, when it was processed here. */
      rendered?: RenderedAccount;
      /** The account, when the main thread must process it (its baseline was not sent). */
      unprocessed?: Account;
    }
  | { type: 'finished'; pipeline: SavedPipeline; sinks: unknown[] }
  | { type: 'error'; error: WorkerError };
