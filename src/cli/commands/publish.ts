/**
 * `credwarden publish securityhub RESULT.json`: the one command that writes to AWS. It sends a
 * saved result's findings to AWS Security Hub (BatchImportFindings, BatchUpdateFindings: its own
 * allow-list), each account's findings with that account's credentials. `scan` stays read-only.
 */
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { Diagnostic } from '../../model/index.js';
import { EXIT, InputError } from '../../model/index.js';
import { planPublication, type AccountPublication } from '../../core/securityhub/publication.js';
import { publishFindings, type AccountPublishOutcome, type PublishAwsConfig } from '../../collectors/securityhub/publish.js';
import { describeError } from '../../collectors/aws/errors.js';
import { toolVersion } from '../../collectors/files/package-root.js';
import type { CliIO } from '../io.js';
import { collect } from '../options.js';
import { readResultFile } from '../../collectors/files/results.js';
import { UsageError } from '../errors.js';
import { terminalText } from '../../core/util/escape.js';

/** The role assumed in each account unless --role-name says otherwise. */
export const DEFAULT_PUBLISH_ROLE = 'credwarden-securityhub-publisher';
const DEFAULT_SESSION_NAME = 'credwarden-publish';
const DEFAULT_REGION = 'us-east-1';

interface PublishCliOptions {
  roleName: string;
  externalId?: string;
  roleSessionName: string;
  assumeRoleInCaller?: boolean;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  baseline?: string;
  accounts?: string[];
  concurrency: string;
  dryRun?: boolean;
  quiet?: boolean;
}

const EXIT_HELP = `
Exit codes:
  ${EXIT.ok}  every finding was imported (and archived or updated as planned)
  ${EXIT.usage}  usage or input error (bad flag, unreadable result)
  ${EXIT.partial}  incomplete: some findings were refused (FailedFindings) or some accounts could not be published

Each account's findings are imported with that account's own credentials, because Security Hub
accepts findings under the default product ARN only from the account they belong to: the caller's
own account uses the caller's credentials (unless --assume-role-in-caller); every other account is
reached by sts:AssumeRole into --role-name (default ${DEFAULT_PUBLISH_ROLE}; docs/aws-setup.md has
its least-privilege policy).
`;

const ROLE_NAME = /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function problem(flag: string, message: string, suggestion?: string): Diagnostic {
  return { severity: 'error', file: flag, message, ...(suggestion ? { suggestion } : {}) };
}

/** Endpoints as the SDKs resolve them: --endpoint-url, else AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL. */
function endpointsFrom(options: PublishCliOptions, env: CliIO['env']): { sts?: string; securityhub?: string } {
  const ignoreEnv = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase() === 'true';
  const pick = (service: string) =>
    options.endpointUrl ??
    (ignoreEnv ? undefined : env[`AWS_ENDPOINT_URL_${service}`]?.trim() || env.AWS_ENDPOINT_URL?.trim() || undefined);
  const sts = pick('STS');
  const securityhub = pick('SECURITYHUB');
  return { ...(sts ? { sts } : {}), ...(securityhub ? { securityhub } : {}) };
}

/** Validates the flags (every problem at once) and builds the AWS settings. @throws InputError */
function settingsFrom(options: PublishCliOptions, io: CliIO): { aws: PublishAwsConfig; concurrency: number } {
  const problems: Diagnostic[] = [];
  if (!ROLE_NAME.test(options.roleName) || options.roleName.startsWith('arn:'))
    problems.push(
      problem('--role-name', `'${options.roleName}' is not an IAM role name`, 'the role name (with its path, if any), not its ARN'),
    );
  if (!SESSION_NAME.test(options.roleSessionName))
    problems.push(
      problem('--role-session-name', `'${options.roleSessionName}' is not a valid session name`, '2 to 64 letters, digits and +=,.@_-'),
    );
  if (options.externalId !== undefined && !EXTERNAL_ID.test(options.externalId))
    problems.push(problem('--external-id', 'the external id must be 2 to 1224 characters of letters, digits and +=,.@:/_-'));
  for (const id of options.accounts ?? [])
    if (!/^\d{12}$/.test(id)) problems.push(problem('--accounts', `'${id}' is not a 12-digit account id`));
  const region = options.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? DEFAULT_REGION;
  if (!REGION.test(region)) problems.push(problem('--region', `'${region}' is not an AWS Region`, 'e.g. eu-west-1'));
  const concurrency = Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    problems.push(problem('--concurrency', `'${options.concurrency}' is not a whole number from 1 to 64`));
  const endpoints = endpointsFrom(options, io.env);
  for (const url of new Set(Object.values(endpoints)))
    if (!/^https?:\/\/[^\s]+$/.test(url)) problems.push(problem('--endpoint-url', `'${url}' is not an http(s) URL`));
  const attemptsText = io.env.AWS_MAX_ATTEMPTS?.trim();
  const maxAttempts = attemptsText ? Number(attemptsText) : undefined;
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100))
    problems.push(problem('AWS_MAX_ATTEMPTS', `'${attemptsText}' is not a whole number from 1 to 100`));
  if (problems.length > 0) throw new InputError(problems, 'invalid publish options');
  const profile = options.profile ?? io.env.AWS_PROFILE;
  return {
    aws: { region, endpoints, ...(profile ? { profile } : {}), ...(maxAttempts !== undefined ? { maxAttempts } : {}) },
    concurrency,
  };
}

function describePlan(publications: readonly AccountPublication[], region: string): string {
  const lines = publications.map((p) => {
    const findings = p.batches.reduce((n, b) => n + b.length, 0);
    return `  ${p.accountId}: ${p.active} active, ${p.archived} archived in ${p.batches.length} BatchImportFindings; ${p.updates.length} BatchUpdateFindings${p.rejected.length > 0 ? `; ${p.rejected.length} too large` : ''} (${findings} findings)`;
  });
  return `credwarden: would publish to Security Hub in ${region}:\n${lines.join('\n')}\n`;
}

/** One account's outcome; AWS's messages are made terminal-safe (they may quote finding text). */
function describeOutcome(outcome: AccountPublishOutcome): string {
  if (outcome.error) return terminalText(`  ${outcome.accountId}: not published: ${outcome.error}\n`);
  const head = `  ${outcome.accountId}: ${outcome.imported} imported (${outcome.archived} archived), ${outcome.workflowUpdated} workflow updates, ${outcome.failed.length} failed\n`;
  return (
    head +
    outcome.failed.map((f) => terminalText(`    failed ${f.Id}: ${f.ErrorCode}: ${f.ErrorMessage.replace(/\r?\n/g, ' ')}\n`)).join('')
  );
}

/** `credwarden publish securityhub`. */
function securityHubCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return new Command('securityhub')
    .description(
      "import a JSON result's findings into AWS Security Hub (ASFF), account by account; archive findings resolved since --baseline",
    )
    .argument('<result>', 'the result to publish (--format json)')
    .option('--role-name <name>', 'role assumed in each account to import its findings', DEFAULT_PUBLISH_ROLE)
    .option('--external-id <id>', 'ExternalId passed to AssumeRole')
    .option('--role-session-name <name>', 'AssumeRole session name', DEFAULT_SESSION_NAME)
    .option('--assume-role-in-caller', "also assume the role in the caller's own account instead of using the caller's credentials")
    .option('--region <region>', `Security Hub Region (default: AWS_REGION, AWS_DEFAULT_REGION, else ${DEFAULT_REGION})`)
    .option('--profile <name>', 'AWS named profile for the caller')
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (also: AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SECURITYHUB/_STS)')
    .option('--baseline <result.json>', 'an earlier published result: its findings that are gone now are archived (RecordState ARCHIVED)')
    .addOption(new Option('--accounts <ids>', 'only these account ids (comma-separated, repeatable)').argParser(collect))
    .option('--concurrency <n>', 'accounts published in parallel', '4')
    .option('--dry-run', 'print what would be sent, call nothing')
    .option('-q, --quiet', 'print only failures')
    .addHelpText('after', EXIT_HELP)
    .action(async (file: string, options: PublishCliOptions) => {
      const settings = settingsFrom(options, io);
      const result = await readResultFile(resolve(io.cwd, file), file);
      const baseline = options.baseline ? await readResultFile(resolve(io.cwd, options.baseline), options.baseline) : undefined;
      const publications = planPublication(result, {
        region: settings.aws.region,
        toolVersion: toolVersion(),
        ...(baseline ? { baseline } : {}),
        ...(options.accounts ? { accounts: options.accounts } : {}),
      });
      if (options.dryRun) {
        io.stdout(describePlan(publications, settings.aws.region));
        return setExitCode(EXIT.ok);
      }
      let outcomes: AccountPublishOutcome[];
      try {
        outcomes = await publishFindings(
          publications,
          {
            aws: settings.aws,
            role: {
              roleName: options.roleName,
              roleSessionName: options.roleSessionName,
              durationSeconds: 900,
              ...(options.externalId !== undefined ? { externalId: options.externalId } : {}),
            },
            assumeRoleInCaller: options.assumeRoleInCaller === true,
            concurrency: settings.concurrency,
          },
          (outcome) => {
            if (!options.quiet || outcome.error || outcome.failed.length > 0) io.stdout(describeOutcome(outcome));
          },
        );
      } catch (error) {
        throw new UsageError(`cannot publish: ${describeError(error)}`, 'check the credentials (AWS_PROFILE or --profile) and the region');
      }
      const failed = outcomes.reduce((n, o) => n + o.failed.length, 0);
      const unpublished = outcomes.filter((o) => o.error).length;
      const imported = outcomes.reduce((n, o) => n + o.imported, 0);
      io.stderr(
        `credwarden: Security Hub ${settings.aws.region}: ${imported} findings imported in ${outcomes.length - unpublished} accounts; ${failed} failed; ${unpublished} accounts not published\n`,
      );
      setExitCode(failed > 0 || unpublished > 0 ? EXIT.partial : EXIT.ok);
    });
}

/** `credwarden publish`: the commands that write to an AWS service. */
export function publishCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return new Command('publish')
    .description('send a result to an AWS service (writes; `scan` never does): securityhub')
    .addCommand(securityHubCommand(io, setExitCode));
}
