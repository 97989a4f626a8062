import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { Account, Snapshot } from '../../model/index.js';
import { parseSnapshot } from '../../core/snapshot.js';
import { analyseStoredAccount, formatExplanation, type Explanation } from '../../core/recovery/index.js';
import { addAwsOptions, givenAwsFlags, type AwsScanOptions } from '../aws-options.js';
import { collectLiveSnapshot } from '../live-scan.js';
import { INPUT_LIMITS, readInputFile } from '../../collectors/files/input.js';
import type { CliIO } from '../io.js';
import { terminalText } from '../../core/util/escape.js';
import { UsageError } from '../errors.js';
import { rulesetFor } from '../pipeline.js';
import type { EvaluationOptions } from '../options.js';

/** Options of `credwarden explain`. */
interface ExplainOptions extends AwsScanOptions, Pick<EvaluationOptions, 'pack' | 'rules' | 'config' | 'quiet' | 'verbose'> {
  snapshot?: string;
  format: 'text' | 'json';
}

const USER_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):user\/.+$/;

function usage(message: string, suggestion?: string, pointsAtFlags = true): UsageError {
  return new UsageError(message, suggestion, pointsAtFlags);
}

/** The account holding the user, and the analysis with every path kept. */
function explain(snapshot: Snapshot, arn: string): Explanation {
  const accountId = USER_ARN.exec(arn)![1]!;
  const account: Account | undefined = snapshot.accounts.find((a) => a.id === accountId);
  // Problems with the snapshot's contents: --help would not help.
  if (!account) throw usage(`account ${accountId} is not in the snapshot`, undefined, false);
  const analysis = analyseStoredAccount(account, { collectPaths: true, onlyUsers: [arn] });
  if (!analysis) {
    throw usage(
      `account ${accountId} carries no recovery inputs`,
      'save a snapshot of a live scan (`scan --demo`, `--org`, …) with --save-snapshot and a pack that has the recovery rules (the default `recommended`, or `complete`), or with --account-context all; saved credential reports (--from) cannot carry them',
      false,
    );
  }
  const recovery = analysis.users.get(arn);
  if (!recovery) {
    if (analysis.account.unknown) throw usage(`recovery paths of account ${accountId} are unknown: ${analysis.account.reason ?? ''}`);
    throw usage(`user ${arn} is not in the authorization details of account ${accountId}`);
  }
  return { accountId, userArn: arn, recovery, account: analysis.account, paths: analysis.paths?.get(arn) ?? [] };
}

/** `credwarden explain ARN`: every recovery path of one IAM user, with the statements that grant or deny it. */
export function explainCommand(io: CliIO): Command {
  const command = new Command('explain')
    .description("show who can reset an IAM user's password and access keys, with the policy statements that grant or deny each path")
    .argument('<arn>', 'IAM user ARN, e.g. arn:aws:iam::111122223333:user/alice')
    .option('--snapshot <file>', 'a snapshot saved by `scan --save-snapshot` (else: a live scan, or --demo)')
    .addOption(new Option('--format <name>', 'text or json').choices(['text', 'json']).default('text'))
    .option('--pack <name|file>', 'rule pack for a live scan (decides which facts are collected)')
    .option('--config <file>', 'credwarden.config.yaml for a live scan')
    .option('-q, --quiet', 'no progress or warnings on stderr')
    .option('-v, --verbose', 'more detail on stderr');
  addAwsOptions(command);
  return command.action(async (arn: string, options: ExplainOptions) => {
    if (!USER_ARN.test(arn)) throw usage(`'${arn}' is not an IAM user ARN`, 'use arn:aws:iam::<account-id>:user/<path/>name');
    let snapshot: Snapshot;
    if (options.snapshot) {
      // Every AWS flag selects or configures a live scan: none means anything for saved evidence.
      const given = givenAwsFlags(options);
      if (given.length > 0)
        throw usage(
          `--snapshot reads saved evidence: it cannot be combined with live-scan flags (${given.join(', ')})`,
          'drop --snapshot to scan AWS (or --demo), or drop the AWS flags',
        );
      snapshot = parseSnapshot(
        readInputFile(resolve(io.cwd, options.snapshot), 'snapshot file', options.snapshot, { maxBytes: INPUT_LIMITS.snapshot }),
        options.snapshot,
      );
    } else {
      const loaded = rulesetFor({ ...options, format: [] } as unknown as EvaluationOptions, io);
      snapshot = await collectLiveSnapshot({ ...options, accountContext: options.accountContext ?? 'all' }, io, loaded);
    }
    const explanation = explain(snapshot, arn);
    // Names in the explanation come from the evidence: shown visibly, never obeyed by a terminal or runner.
    io.stdout(options.format === 'json' ? `${JSON.stringify(explanation, null, 2)}\n` : terminalText(formatExplanation(explanation)));
  });
}
