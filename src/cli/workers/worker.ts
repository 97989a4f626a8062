/**
 * A scan worker thread (started by ./pool.ts): it runs the pipeline's stages (evaluate, waive,
 * compare with the baseline, plan) and renders each report's chunks for the accounts it is
 * given, and at the end hands over its share of the organisation state (tallies, coverage,
 * waiver matches, each sink's declared state). It writes nothing: the main thread spools the
 * chunks and writes every file.
 */
import { parentPort } from 'node:worker_threads';
import { loadRuleset, type LoadedRuleset } from '../../collectors/files/rules.js';
import type { Catalogue } from '../../core/remediation/types.js';
import { loadCatalogue } from '../../collectors/files/procedures.js';
import { atOrAbove } from '../../core/rules/ruleset.js';
import { findFormatter } from '../../core/format/registry.js';
import type { ReportSink } from '../../core/format/types.js';
import { ScanPipeline, type AccountSlice, type BaselineIndex } from '../../core/pipeline/index.js';
import { InputError } from '../../model/index.js';
import { Spool } from '../spool.js';
import type { Account } from '../../model/index.js';
import {
  workerSpoolPath,
  type AccountBaseline,
  type FromWorker,
  type RenderedAccount,
  type SinkRecipe,
  type ToWorker,
  type WorkerError,
  type RulesetInputs,
  type WorkerInit,
  type WorkerPreload,
} from './protocol.js';
import { readItem, type ReportReading } from './reading.js';

/** The worker's run: its pipeline, its sinks, and the baseline of the account in hand. */
interface WorkerRun {
  pipeline: ScanPipeline;
  sinks: (ReportSink | undefined)[];
  /** Each report's spool file (undefined for a report the main thread writes). */
  spools: (Spool | undefined)[];
  baselines: Map<string, AccountBaseline>;
  /** What the account being processed gave (set by the pipeline's emit). */
  last?: RenderedAccount;
  wantsSlices: boolean;
  /** How saved reports are read (scan --from). */
  reading?: ReportReading;
  /** The run compares with a baseline. */
  withBaseline: boolean;
}

/** The rules and procedures a worker loads: before its run begins (a preload), or when it begins. */
interface Loaded {
  /** The inputs they were loaded from. */
  key: string;
  loaded: LoadedRuleset;
  catalogue: Catalogue;
}

/** What the preload message loaded, until the run takes it. */
let preloaded: Loaded | undefined;

/** The rules and procedures of `rules` (those preloaded, when loaded from the same inputs). @throws InputError */
function loadFor(cwd: string, rules: RulesetInputs): Loaded {
  const key = JSON.stringify({ cwd, rules });
  const ready = preloaded;
  preloaded = undefined;
  if (ready?.key === key) return ready;
  const loaded = loadRuleset({
    ...(rules.pack ? { pack: rules.pack } : {}),
    rulesDirs: rules.rulesDirs,
    ...(rules.configPath ? { configPath: rules.configPath } : {}),
  });
  return { key, loaded, catalogue: loadCatalogue([], cwd) };
}

/** Loads ahead what the run will need; a failure is left for the run's own load to report. */
function preload(message: WorkerPreload): void {
  try {
    preloaded = loadFor(message.cwd, message.rules);
  } catch {
    preloaded = undefined;
  }
}

/** The worker's pipeline and sinks, as the main thread's (same rules, settings and header). @throws InputError */
function start(init: WorkerInit): WorkerRun {
  const { loaded, catalogue } = loadFor(init.cwd, init.rules);
  const ruleset = init.rules.minSeverity ? atOrAbove(loaded.ruleset, loaded.definitions, init.rules.minSeverity) : loaded.ruleset;
  if (ruleset.hash !== init.header.rulesHash)
    throw new Error('the rules changed on disk while the scan started; run the scan again (or with --jobs 1)');
  const baselines = new Map<string, AccountBaseline>();
  const baseline: BaselineIndex = {
    findingsOf: (id) => baselines.get(id)?.findings ?? [],
    asOfOf: (id) => baselines.get(id)?.asOf,
  };
  const run: WorkerRun = {
    pipeline: undefined as never,
    sinks: init.recipes.map((r) => r && openSink(r, init)),
    spools: init.recipes.map((r, i) => r && new Spool(workerSpoolPath(init.spoolDir, init.worker, i))),
    baselines,
    wantsSlices: init.wantsSlices,
    ...(init.reading ? { reading: init.reading } : {}),
    withBaseline: init.withBaseline,
  };
  run.pipeline = new ScanPipeline(
    {
      ruleset,
      toolVersion: init.toolVersion,
      ...(init.asOf ? { asOf: init.asOf } : {}),
      ...(init.waivers ? { waivers: init.waivers } : {}),
      ...(init.withBaseline ? { baseline } : {}),
      catalogue,
      access: init.access,
    },
    (slice) => (run.last = rendered(slice, run)),
  );
  return run;
}

/** Opens the sink a recipe names, on the main thread's header. */
function openSink(recipe: SinkRecipe, init: WorkerInit): ReportSink {
  const formatter = findFormatter(recipe.format);
  if (!formatter) throw new Error(`unknown format ${recipe.format}`);
  if (recipe.companion === undefined) return formatter.open(init.header, recipe.context);
  const companion = formatter.openCompanions?.(init.header, recipe.context).find((c) => c.name === recipe.companion);
  if (!companion) throw new Error(`unknown companion ${recipe.companion} of ${recipe.format}`);
  return companion.sink;
}

/**
 * One account's chunks for every report with a recipe, appended to the worker's own spool files
 * (the bytes never cross threads: the main thread reads them back at the end), and the slice
 * when a report needs it on the main thread.
 */
function rendered(slice: AccountSlice, run: WorkerRun): RenderedAccount {
  const spooled = run.sinks.map((sink, i) => (sink ? run.spools[i]?.append(slice.id, sink.account(slice)) : undefined));
  return { id: slice.id, spooled, ...(run.wantsSlices ? { slice } : {}) };
}

/** Runs one account through the worker's pipeline; returns what it rendered. */
function processed(run: WorkerRun, account: Account, baseline: AccountBaseline | undefined): RenderedAccount {
  if (baseline) run.baselines.set(account.id, baseline);
  try {
    run.pipeline.account(account);
  } finally {
    run.baselines.delete(account.id);
  }
  const last = run.last;
  run.last = undefined;
  if (!last) throw new Error(`the pipeline rendered nothing for account ${account.id}`);
  return last;
}

/**
 * Reads one saved report and processes its account. The baseline sent with it is that of the
 * account the main thread's first look found; should parsing find another account (a report
 * crafted to mislead that look), the account goes back whole to be processed on the main thread,
 * which holds the whole baseline.
 */
function reportReply(run: WorkerRun, message: Extract<ToWorker, { type: 'report' }>): FromWorker {
  if (!run.reading) throw new Error('scan worker given a report without reading settings');
  const { outcome, account } = readItem(message.item, run.reading);
  const reply = { type: 'report' as const, index: message.item.index, outcome };
  if (!account) return reply;
  if (run.withBaseline && account.id !== message.item.accountId) return { ...reply, unprocessed: account };
  return { ...reply, rendered: processed(run, account, message.baseline) };
}

/** An error as data for the main thread (never a stack: the CLI prints one line). */
function asData(error: unknown): WorkerError {
  if (error instanceof InputError) return { name: 'InputError', message: error.message, diagnostics: [...error.diagnostics] };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/**
 * CREDWARDEN_WORKER_FAULT=throw|exit makes a worker fail at its first account, so tests can
 * check that a failing or vanished worker ends the scan with one line and an exit code.
 */
function injectedFault(): void {
  const fault = process.env.CREDWARDEN_WORKER_FAULT;
  if (fault === 'throw') throw new Error('injected worker fault (CREDWARDEN_WORKER_FAULT=throw)');
  if (fault === 'exit') process.exit(70);
}

/**
 * Ends this thread once its state is posted (the message is a copy, and the main thread gets it
 * before it hears of the exit): its heap is freed while the main thread reads the state in, instead
 * of once it has (1,000,500 principals: both workers' heaps, about 75 MiB each, sat beside that
 * reading, about 70 MiB of RSS at the scan's end).
 */
function leave(): void {
  process.exit(0);
}

const port = parentPort;
if (port) {
  let run: WorkerRun | undefined;
  const reply = (message: FromWorker) => port.postMessage(message);
  port.on('message', (message: ToWorker) => {
    try {
      if (message.type === 'preload') preload(message.preload);
      else if (message.type === 'init') run = start(message.init);
      else if (!run) throw new Error('scan worker used before it was started');
      else if (message.type === 'account') {
        injectedFault();
        reply({ type: 'account', rendered: processed(run, message.account, message.baseline) });
      } else if (message.type === 'report') {
        injectedFault();
        reply(reportReply(run, message));
      } else {
        for (const spool of run.spools) spool?.detach();
        reply({ type: 'finished', pipeline: run.pipeline.save(), sinks: run.sinks.map((sink) => sink?.state?.save()) });
        leave();
      }
    } catch (error) {
      reply({ type: 'error', error: asData(error) });
    }
  });
}
