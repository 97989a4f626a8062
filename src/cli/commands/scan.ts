import { Command } from 'commander';
import { resolve } from 'node:path';
import { serialiseSnapshot } from '../../core/snapshot.js';
import { shardOf } from '../../core/baseline/shard.js';
import { planReportFiles } from '../../collectors/files/reports.js';
import type { LoadedRuleset } from '../../collectors/files/rules.js';
import type { CliIO } from '../io.js';
import { writeFileAtomic } from '../io.js';
import { checkEvaluationOptions, collectPaths, evaluationOptions, type EvaluationOptions } from '../options.js';
import { asOfBeforeReports, printWarnings, rulesetFor, rulesetInputs, runPipeline } from '../pipeline.js';
import { prestartWorkers } from '../workers/dispatch.js';
import { InputError, type Account, type AccountOutcome, type Snapshot } from '../../model/index.js';
import type { ShardSpec } from '../../core/baseline/index.js';
import type { AccountDispatch } from '../workers/dispatch.js';
import type { EvaluatedAccount } from '../workers/reading.js';
import { checkReportOptions, reportOptions, type ReportOptions } from '../reporting.js';
import { accountFilterFrom, addAwsOptions, checkSourceConflicts, incompleteScanExit, type AwsScanOptions } from '../aws-options.js';
import type { AccountSink } from '../live-scan.js';
import { collectionThreadBuilt, prestartCollectionThread, type CollectionThread } from '../live-thread.js';
import { COLLECT_DEFAULTS } from '../../collectors/aws/options.js';
import type { ScanAccess } from '../../core/remediation/index.js';

/** Options of `credwarden scan`. */
export interface ScanOptions extends EvaluationOptions, AwsScanOptions, ReportOptions {
  from?: string[];
  saveSnapshot?: string;
  strictNames?: boolean;
}

/** `credwarden scan`: collect credential reports, evaluate the rules, report and gate. */
export function scanCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  const command = new Command('scan')
    .description('scan saved credential reports (--from) or AWS, evaluate the rules, and report findings')
    .option(
      '--from <path...>',
      'saved credential report CSV files or folders (several after one --from, or repeated); the account id comes from the ARNs',
      collectPaths('--from'),
    )
    .option('--save-snapshot <file>', 'also write the collected snapshot (JSON), for `credwarden evaluate` later')
    .option(
      '--strict-names',
      'refuse (exit 2) a credential report, saved or collected live, with a user name or path IAM could not have written (default: a warning per row)',
    );
  addAwsOptions(command);
  for (const option of [...evaluationOptions(), ...reportOptions()]) command.addOption(option);
  return command.action(async (options: ScanOptions) => {
    options.format ??= [];
    checkEvaluationOptions(options);
    checkSourceConflicts(options);
    const shard = checkReportOptions(options);
    const from = (options.from ?? []).map((p) => resolve(io.cwd, p));
    // A large offline scan's workers load while this thread does (see prestartWorkers).
    const prestarted = from.length > 0 ? prestartWorkers(options, io, from, { cwd: io.cwd, rules: rulesetInputs(options, io) }) : undefined;
    // A live scan's collection thread loads the AWS SDK and lists the accounts while this thread loads the rules.
    const collection = from.length === 0 ? prestartCollectionThread(options, io) : undefined;
    const outcomes: AccountOutcome[] = [];
    const kept: Account[] | undefined = options.saveSnapshot !== undefined ? [] : undefined;
    let gateExit: number;
    try {
      const loaded = rulesetFor(options, io);
      ({ gateExit } = await runPipeline(
        loaded,
        options,
        io,
        async (pipeline) => {
          const evaluated =
            from.length > 0
              ? await readSaved(options, io, pipeline, shard, kept)
              : await collectInto(options, io, loaded, pipeline, shard, { kept, outcomes }, collection);
          printWarnings(asOfBeforeReports(evaluated, options.asOf), options, io);
        },
        {
          access: scanAccess(options),
          ...(shard ? { shard } : {}),
          busy: from.length > 0 ? 0 : collectionThreadBuilt() ? 2 : 1,
          ...(prestarted ? { prestarted } : {}),
        },
      ));
    } finally {
      await prestarted?.close();
      await collection?.close();
    }
    if (options.saveSnapshot && kept) writeFileAtomic(resolve(io.cwd, options.saveSnapshot), serialiseSnapshot(snapshotOf(kept, outcomes)));
    const coverage = { schemaVersion: 1 as const, accounts: [], skippedAccounts: outcomes };
    setExitCode(incompleteScanExit(coverage, options) ?? gateExit);
  });
}

/** The collected accounts as a snapshot (--save-snapshot), in account-id order. */
function snapshotOf(accounts: Account[], outcomes: AccountOutcome[]): Snapshot {
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  return {
    schemaVersion: 1,
    accounts: [...accounts].sort(byId),
    ...(outcomes.length > 0 ? { skippedAccounts: [...outcomes].sort(byId) } : {}),
  };
}

/**
 * Collects live from AWS (the caller's account, --org, --accounts/--ou) or the --demo sandbox into
 * the pipeline. Accounts of other shards never reach it. Returns the accounts evaluated.
 */
async function collectInto(
  options: ScanOptions,
  io: CliIO,
  loaded: LoadedRuleset,
  pipeline: AccountSink,
  shard: ShardSpec | undefined,
  keep: { kept: Account[] | undefined; outcomes: AccountOutcome[] },
  thread: CollectionThread | undefined,
): Promise<EvaluatedAccount[]> {
  const inShard = (id: string) => !shard || shardOf(id, shard.count) === shard.index;
  const evaluated: EvaluatedAccount[] = [];
  // Loaded on demand: offline scans never pay for the AWS SDK.
  await (
    await import('../live-scan.js')
  ).collectLive(
    options,
    io,
    loaded,
    {
      account: (account) => {
        if (!inShard(account.id)) return;
        evaluated.push({
          id: account.id,
          reportGeneratedTime: account.reportGeneratedTime,
          ...(account.source ? { source: account.source } : {}),
        });
        keep.kept?.push(account);
        return pipeline.account(account);
      },
      outcome: (outcome) => {
        if (!inShard(outcome.id)) return;
        keep.outcomes.push(outcome);
        pipeline.outcome(outcome);
      },
    },
    thread,
  );
  return evaluated;
}

/**
 * Reads saved reports (--from) into the pipeline: a first pass finds each file's account and
 * time, then each report is read, parsed and processed on this thread or in a worker. Warnings
 * and errors come in the reports' order, whichever thread read them; a bad file anywhere fails
 * the scan (exit 2) with every bad file's problems. Returns the accounts evaluated (whole in
 * `kept`, for --save-snapshot).
 */
async function readSaved(
  options: ScanOptions,
  io: CliIO,
  pipeline: Pick<AccountDispatch, 'savedReports'>,
  shard: ShardSpec | undefined,
  kept: Account[] | undefined,
): Promise<EvaluatedAccount[]> {
  const filter = accountFilterFrom(options, io);
  const read = { asOfGiven: options.asOf !== undefined, strictNames: options.strictNames === true };
  const plan = planReportFiles(
    (options.from ?? []).map((p) => resolve(io.cwd, p)),
    read,
  );
  const outcomes = await pipeline.savedReports(plan.items, {
    read,
    accounts: { ...filter, ...(shard ? { shard } : {}) },
    keepAccounts: kept !== undefined,
  });
  const warnings = [...plan.warnings];
  const diagnostics = [...plan.diagnostics];
  const evaluated: EvaluatedAccount[] = [];
  for (const outcome of outcomes) {
    warnings.push(...outcome.warnings);
    diagnostics.push(...outcome.diagnostics);
    if (outcome.evaluated) evaluated.push(outcome.evaluated);
  }
  if (diagnostics.length > 0) throw new InputError(diagnostics, 'invalid credential reports');
  kept?.push(...(evaluated as Account[]));
  for (const id of filter.only ?? []) {
    if (!plan.accountIds.has(id)) warnings.push({ severity: 'warning', file: '--accounts', message: `no saved report of account ${id}` });
  }
  printWarnings(warnings, options, io);
  return evaluated;
}

/** How a live scan reached the accounts, so each plan can say how to get there. */
function scanAccess(options: ScanOptions): ScanAccess {
  const memberAccounts = options.org === true || (options.accounts?.length ?? 0) > 0 || (options.ou?.length ?? 0) > 0;
  return {
    ...(memberAccounts && !options.from?.length ? { roleName: options.roleName ?? COLLECT_DEFAULTS.roleName } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  };
}
