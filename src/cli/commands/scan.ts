import { Command } from 'commander';
import { resolve } from 'node:path';
import { serialiseSnapshot } from '../../core/snapshot.js';
import { shardOf } from '../../core/baseline/shard.js';
import { streamReportFiles } from '../../collectors/files/reports.js';
import type { LoadedRuleset } from '../../collectors/files/rules.js';
import type { CliIO } from '../io.js';
import { writeFileAtomic } from '../io.js';
import { checkEvaluationOptions, collectPaths, evaluationOptions, type EvaluationOptions } from '../options.js';
import { asOfBeforeReports, printWarnings, rulesetFor, runPipeline } from '../pipeline.js';
import type { Account, AccountOutcome, Snapshot } from '../../model/index.js';
import { checkReportOptions, reportOptions, type ReportOptions } from '../reporting.js';
import { accountFilterFrom, addAwsOptions, checkSourceConflicts, incompleteScanExit, type AwsScanOptions } from '../aws-options.js';
import type { AccountSink } from '../live-scan.js';
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
    const loaded = rulesetFor(options, io);
    // Accounts of other shards never reach the pipeline (a live scan does not even collect them).
    const inShard = (id: string) => !shard || shardOf(id, shard.count) === shard.index;
    const evaluated: Pick<Account, 'id' | 'reportGeneratedTime' | 'source'>[] = [];
    const outcomes: AccountOutcome[] = [];
    const kept: Account[] | undefined = options.saveSnapshot !== undefined ? [] : undefined;
    const { gateExit } = await runPipeline(
      loaded,
      options,
      io,
      (pipeline) =>
        collectInto(options, io, loaded, {
          account: (account) => {
            if (!inShard(account.id)) return;
            evaluated.push({
              id: account.id,
              reportGeneratedTime: account.reportGeneratedTime,
              ...(account.source ? { source: account.source } : {}),
            });
            kept?.push(account);
            return pipeline.account(account);
          },
          outcome: (outcome) => {
            if (!inShard(outcome.id)) return;
            outcomes.push(outcome);
            pipeline.outcome(outcome);
          },
        }).then(() => printWarnings(asOfBeforeReports(evaluated, options.asOf), options, io)),
      { access: scanAccess(options), ...(shard ? { shard } : {}) },
    );
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

async function collectInto(options: ScanOptions, io: CliIO, loaded: LoadedRuleset, sink: AccountSink): Promise<void> {
  // No --from: collect live from AWS (the caller's account, --org, --accounts/--ou) or the --demo sandbox.
  // Loaded on demand: offline scans never pay for the AWS SDK.
  if (!options.from || options.from.length === 0) {
    await (await import('../live-scan.js')).collectLive(options, io, loaded, sink);
    return;
  }
  const filter = accountFilterFrom(options, io);
  // One report in memory at a time: an account's principals go once it is evaluated.
  const reports = streamReportFiles(
    options.from.map((p) => resolve(io.cwd, p)),
    { asOfGiven: options.asOf !== undefined, strictNames: options.strictNames === true },
  );
  for (const account of reports.accounts()) {
    if ((filter.only === undefined || filter.only.has(account.id)) && !filter.exclude.has(account.id)) await sink.account(account);
  }
  reports.finish();
  for (const id of filter.only ?? []) {
    if (!reports.accountIds.has(id))
      reports.warnings.push({ severity: 'warning', file: '--accounts', message: `no saved report of account ${id}` });
  }
  printWarnings(reports.warnings, options, io);
}

/** How a live scan reached the accounts, so each plan can say how to get there. */
function scanAccess(options: ScanOptions): ScanAccess {
  const memberAccounts = options.org === true || (options.accounts?.length ?? 0) > 0 || (options.ou?.length ?? 0) > 0;
  return {
    ...(memberAccounts && !options.from?.length ? { roleName: options.roleName ?? COLLECT_DEFAULTS.roleName } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  };
}
