import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Account, Diagnostic, ScanResult, Snapshot } from '../model/index.js';
import { evaluateSnapshot } from '../core/engine/result.js';
import { formatDiagnostic, InputError } from '../model/index.js';
import { formatTimestamp } from '../core/util/time.js';
import { atOrAbove } from '../core/rules/ruleset.js';
import { unknownProcedures, type Catalogue, type ScanAccess } from '../core/remediation/index.js';
import { runHeader, ScanPipeline, type PipelineSettings, type Tallies } from '../core/pipeline/index.js';
import type { ShardSpec } from '../core/baseline/index.js';
import { loadCatalogue } from '../collectors/files/procedures.js';
import type { FormatContext } from '../core/format/types.js';
import { loadRuleset, type LoadedRuleset } from '../collectors/files/rules.js';
import { toolVersion } from '../collectors/files/package-root.js';
import type { CliIO } from './io.js';
import type { EvaluationOptions } from './options.js';
import { gateOf, openReports, refinements, reportGate, warnWaivers, type ReportOptions } from './reporting.js';
import { AccountDispatch, workerPlan, type OtherBusyThreads } from './workers/dispatch.js';
import type { RulesetInputs } from './workers/protocol.js';
import type { WorkerPool } from './workers/pool.js';

/** The config file to use: --config, else ./credwarden.config.yaml when it exists. */
export function configPath(options: EvaluationOptions, io: CliIO): string | undefined {
  if (options.config) return resolve(io.cwd, options.config);
  const implicit = resolve(io.cwd, 'credwarden.config.yaml');
  return existsSync(implicit) ? implicit : undefined;
}

/** What the effective rules are loaded from (a worker thread loads them again from it). */
export function rulesetInputs(options: EvaluationOptions, io: CliIO): RulesetInputs {
  const path = configPath(options, io);
  return {
    ...(options.pack ? { pack: options.pack } : {}),
    rulesDirs: (options.rules ?? []).map((d) => resolve(io.cwd, d)),
    ...(path ? { configPath: path } : {}),
    ...(options.minSeverity ? { minSeverity: options.minSeverity } : {}),
  };
}

/**
 * The catalogue {@link rulesetFor} checked the rules against (built-in procedures and
 * ./.credwarden/procedures), kept for the run of those rules: loading it again cost the
 * scan's start about 0.2 s on the main thread.
 */
const checkedCatalogues = new WeakMap<LoadedRuleset, Catalogue>();

/** Loads the effective rules for the options. @throws InputError */
export function rulesetFor(options: EvaluationOptions, io: CliIO, procedureDirs: readonly string[] = []): LoadedRuleset {
  const { minSeverity, ...inputs } = rulesetInputs(options, io);
  const loaded = loadRuleset(inputs);
  const catalogue = checkRuleProcedures(loaded.definitions, io, procedureDirs);
  const effective = minSeverity ? { ...loaded, ruleset: atOrAbove(loaded.ruleset, loaded.definitions, minSeverity) } : loaded;
  if (procedureDirs.length === 0) checkedCatalogues.set(effective, catalogue);
  return effective;
}

/**
 * Refuses rules whose remediation procedure is not in the catalogue (built-in procedures,
 * ./.credwarden/procedures and `procedureDirs`); returns the catalogue.
 * @throws InputError naming each rule file, line and pointer
 */
export function checkRuleProcedures(
  definitions: LoadedRuleset['definitions'],
  io: CliIO,
  procedureDirs: readonly string[] = [],
): Catalogue {
  const catalogue = loadCatalogue(procedureDirs, io.cwd);
  const problems = unknownProcedures(definitions, catalogue);
  if (problems.length > 0) throw new InputError(problems, 'rules name unknown remediation procedures');
  return catalogue;
}

/** Evaluates a snapshot into a whole result, without plans (`plan` on a snapshot); scans run through {@link runPipeline}. */
export function evaluate(snapshot: Snapshot, loaded: LoadedRuleset, options: EvaluationOptions): ScanResult {
  return evaluateSnapshot(snapshot, loaded.ruleset, { toolVersion: toolVersion(), ...(options.asOf ? { asOf: options.asOf } : {}) });
}

/**
 * Where a run's accounts come from: it calls `account` or `outcome` for each, in any order, and
 * awaits what `account` returns (with worker threads, it resolves once another account may come);
 * or it hands over saved reports to read (`savedReports`, scan --from).
 */
export type AccountFeed = (sink: Pick<AccountDispatch, 'account' | 'outcome' | 'savedReports'>) => Promise<void>;

/**
 * Runs a scan or an evaluation through the pipeline (src/core/pipeline): every setting is
 * decided here once (rules, waivers, baseline, procedures, formats, gate), then each account
 * from `feed` goes through the stages and into the reports as it comes. Returns the exit
 * code of the gate.
 */
export async function runPipeline(
  loaded: LoadedRuleset,
  options: EvaluationOptions & ReportOptions,
  io: CliIO,
  feed: AccountFeed,
  run: { access?: ScanAccess; shard?: ShardSpec; busy?: OtherBusyThreads; prestarted?: WorkerPool } = {},
): Promise<{ gateExit: number; tallies: Tallies }> {
  const pipelineSettings: PipelineSettings = {
    ruleset: loaded.ruleset,
    toolVersion: toolVersion(),
    ...(options.asOf ? { asOf: options.asOf } : {}),
    ...(await refinements(loaded, options, io)),
    catalogue: checkedCatalogues.get(loaded) ?? loadCatalogue([], io.cwd),
    access: run.access ?? {},
    ...(run.shard ? { shard: { index: run.shard.index, count: run.shard.count } } : {}),
  };
  const reports = openReports(runHeader(pipelineSettings), (color) => formatContext(loaded, color), options, io);
  const pipeline = new ScanPipeline(pipelineSettings, (slice) => reports.account(slice));
  const accounts = new AccountDispatch(
    pipeline,
    reports,
    {
      ...workerPlan(options, io, run.busy ?? 0),
      ...(run.prestarted ? { prestarted: run.prestarted } : {}),
      started: (threads) => {
        if (options.verbose && !options.quiet) io.stderr(`credwarden: worker threads take the accounts from here on (${threads})\n`);
      },
    },
    pipelineSettings.baseline,
    () => ({
      cwd: io.cwd,
      rules: rulesetInputs(options, io),
      header: pipeline.header,
      toolVersion: pipelineSettings.toolVersion,
      ...(pipelineSettings.asOf ? { asOf: pipelineSettings.asOf } : {}),
      ...(pipelineSettings.waivers ? { waivers: pipelineSettings.waivers } : {}),
      withBaseline: pipelineSettings.baseline !== undefined,
      access: pipelineSettings.access ?? {},
      recipes: reports.recipes,
      wantsSlices: reports.recipes.some((r) => r === undefined),
      spoolDir: reports.spoolDir,
      worker: 0,
    }),
  );
  try {
    await feed(accounts);
    await accounts.finish();
  } catch (error) {
    reports.discard();
    throw error;
  } finally {
    await accounts.close();
  }
  const tallies = pipeline.finish();
  warnWaivers(tallies, options, io);
  const gate = gateOf(tallies.gate, options, loaded.config?.value.failOn, tallies.waivers);
  await reports.finish(tallies, gate);
  return { gateExit: reportGate(gate, io), tallies };
}

/** What formatters may know, from the ruleset. */
export function formatContext(loaded: LoadedRuleset, color: boolean): FormatContext {
  return {
    toolVersion: toolVersion(),
    color,
    ruleSources: Object.fromEntries(loaded.ruleset.rules.map((r) => [r.id, r.file])),
  };
}

/** Prints warnings to stderr unless --quiet. */
export function printWarnings(warnings: readonly Diagnostic[], options: EvaluationOptions, io: CliIO): void {
  if (options.quiet) return;
  for (const warning of warnings) io.stderr(`credwarden: ${formatDiagnostic(warning)}\n`);
}

/**
 * --as-of before a report was generated mixes two times: what the report records after
 * --as-of gets negative ages ("used -3 days ago") while older credentials still age and fire
 * (issue 19 item 15). One warning per such account, naming the report time.
 */
export function asOfBeforeReports(
  accounts: readonly Pick<Account, 'id' | 'reportGeneratedTime' | 'source'>[],
  asOf: string | undefined,
): Diagnostic[] {
  if (asOf === undefined) return [];
  const at = Date.parse(asOf);
  return accounts
    .filter((a) => Date.parse(a.reportGeneratedTime) > at)
    .map((a) => ({
      severity: 'warning' as const,
      file: a.source ?? `account ${a.id}`,
      message: `--as-of ${asOf} is before this report of account ${a.id} was generated (${formatTimestamp(Date.parse(a.reportGeneratedTime))}): the report shows the account as it was then, so what happened after --as-of (last uses, rotations, new users and keys) gets negative ages while older credentials still age and can fire; the findings describe neither time`,
      suggestion:
        'pass an --as-of at or after the report time, or leave it out to evaluate each report at its own time; for an earlier state of the account, scan a report generated then',
    }));
}
