/**
 * The AWS flags of `credwarden scan`: declaration, validation (every problem at once,
 * exit 2) and translation into the collector's options.
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Diagnostic, Snapshot } from '../model/index.js';
import { EXIT, InputError } from '../model/index.js';
import type { CompiledRule } from '../core/rules/ruleset.js';
import { parseShard } from '../core/baseline/shard.js';
import {
  COLLECT_DEFAULTS,
  contextNeedsFor,
  type AccountSelection,
  type CollectOptions,
  type ContextMode,
} from '../collectors/aws/options.js';
import { DEFAULT_REQUEST_TIMEOUT, resolveAwsConfig } from '../collectors/aws/sdk-config.js';
import { checkDuration } from '../core/util/duration.js';
import { safeShape } from '../core/util/shape.js';
import type { CliIO } from './io.js';
import { collect } from './options.js';
import { readInputFile } from '../collectors/files/input.js';

/** The AWS-related options of `credwarden scan`, as commander parses them. */
export interface AwsScanOptions {
  org?: boolean;
  /** `--shard K/N` (validated by the reporting options). */
  shard?: string;
  accounts?: string[];
  accountsFile?: string;
  ou?: string[];
  excludeAccounts?: string[];
  roleName?: string;
  externalId?: string;
  roleSessionName?: string;
  duration?: string;
  assumeRoleInCaller?: boolean;
  maxReportAge?: string;
  reportTimeout?: string;
  requestTimeout?: string;
  concurrency?: string;
  accountContext?: ContextMode;
  profile?: string;
  region?: string;
  endpointUrl?: string;
  allowPartial?: boolean;
  /** `--demo`: true for the bundled organisation, or the path of a sandbox fixture. */
  demo?: boolean | string;
}

/**
 * Where an AWS flag applies: `live` flags only configure collection from AWS (they conflict with
 * --from and --snapshot); `narrowing` flags also narrow saved reports (--from); `outcome` flags
 * change the exit code of a live scan.
 */
type AwsFlagScope = 'live' | 'narrowing' | 'outcome';

/** The AWS flags: one declaration each, from which every list of flags is derived. */
function awsFlagDeclarations(): { option: Option; scope: AwsFlagScope }[] {
  const live = (option: Option) => ({ option, scope: 'live' as const });
  const narrowing = (option: Option) => ({ option, scope: 'narrowing' as const });
  return [
    live(new Option('--org', 'scan every account of the organisation (from the management or delegated-administrator account)')),
    narrowing(new Option('--accounts <ids>', 'only these account ids (comma-separated, repeatable)').argParser(collect)),
    narrowing(new Option('--accounts-file <file>', 'only the account ids in this file (one per line or comma-separated; # comments)')),
    live(new Option('--ou <id>', 'only accounts below this OU or root id, recursively (repeatable)').argParser(collect)),
    narrowing(new Option('--exclude-accounts <ids>', 'never scan these account ids (comma-separated, repeatable)').argParser(collect)),
    live(new Option('--role-name <name>', `role to assume in each account (default ${COLLECT_DEFAULTS.roleName})`)),
    live(new Option('--external-id <id>', 'ExternalId passed to AssumeRole')),
    live(new Option('--role-session-name <name>', `AssumeRole session name (default ${COLLECT_DEFAULTS.roleSessionName})`)),
    live(new Option('--duration <time>', 'assumed-role session duration, e.g. 1h or 900 (seconds); 15m to 12h (default 1h)')),
    live(
      new Option('--assume-role-in-caller', "also assume the role in the caller's own account instead of using the caller's credentials"),
    ),
    live(new Option('--max-report-age <time>', 'regenerate credential reports older than this, e.g. 4h, 30m (default 4h)')),
    live(
      new Option(
        '--report-timeout <time>',
        'give up on an account whose credential report is not fetched within this time, requests, retries and polls included (default 5m)',
      ),
    ),
    live(
      new Option(
        '--request-timeout <time>',
        `abort an AWS request (one attempt) not answered within this time, then retry it (default ${DEFAULT_REQUEST_TIMEOUT}; also CREDWARDEN_REQUEST_TIMEOUT)`,
      ),
    ),
    live(new Option('--concurrency <n>', `accounts scanned in parallel (default ${COLLECT_DEFAULTS.concurrency})`)),
    live(
      new Option('--account-context <mode>', 'account-context calls: auto (only what the enabled rules need), all, none').choices([
        'auto',
        'all',
        'none',
      ]),
    ),
    live(new Option('--profile <name>', 'AWS named profile for the caller (default: AWS_PROFILE, then the default credential chain)')),
    live(
      new Option(
        '--region <region>',
        "AWS region for STS and Organizations (default: AWS_REGION, else the profile's region, else us-east-1)",
      ),
    ),
    live(
      new Option(
        '--endpoint-url <url>',
        'send every AWS call to this endpoint (also: AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_IAM/_STS/_ORGANIZATIONS)',
      ),
    ),
    {
      option: new Option('--allow-partial', 'exit as usual even when some accounts could not be scanned (otherwise exit 3)'),
      scope: 'outcome',
    },
    live(
      new Option(
        '--demo [fixture]',
        'scan a local sandbox organisation: a bundled one by name (demo-org, the default; recovery-org) or a fixture file; no AWS account needed',
      ),
    ),
  ];
}

/** Each AWS flag's option attribute (e.g. `accountsFile`) with its flag (`--accounts-file`) and scope. */
const AWS_FLAGS = awsFlagDeclarations().map(({ option, scope }) => ({
  key: option.attributeName() as keyof AwsScanOptions,
  flag: option.long ?? option.flags,
  scope,
}));

/** The AWS flags given in `options`, in declaration order, optionally only those of some scopes. */
export function givenAwsFlags(options: AwsScanOptions, scopes: readonly AwsFlagScope[] = ['live', 'narrowing', 'outcome']): string[] {
  return AWS_FLAGS.filter((f) => scopes.includes(f.scope) && options[f.key] !== undefined).map((f) => f.flag);
}

/** Adds the AWS flags to a command (scan, explain). */
export function addAwsOptions(command: Command): Command {
  for (const { option } of awsFlagDeclarations()) command.addOption(option);
  return command;
}

function kebab(flag: string): string {
  return `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

const ACCOUNT_ID = /^\d{12}$/;
const OU_ID = /^(ou-[0-9a-z]{4,32}-[0-9a-z]{4,32}|r-[0-9a-z]{4,32})$/;
const ROLE_NAME = /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** Checks and translates the flags. */
class Checker {
  readonly diagnostics: Diagnostic[] = [];

  error(flag: string, message: string, suggestion?: string): void {
    this.diagnostics.push({ severity: 'error', file: flag, message, ...(suggestion ? { suggestion } : {}) });
  }

  ids(flag: string, values: readonly string[] | undefined): string[] {
    for (const id of values ?? []) if (!ACCOUNT_ID.test(id)) this.error(flag, notAnAccountId(id));
    return [...(values ?? [])];
  }

  duration(flag: string, text: string | undefined, fallbackMs: number, min: number, max: number): number {
    if (text === undefined) return fallbackMs;
    const { ms, problem } = checkDuration(text, min, max);
    if (problem) this.error(flag, problem.message, problem.suggestion);
    return ms;
  }
}

/**
 * Why a value is not an account id, without repeating it unless it is plainly harmless (a few
 * digits): a credentials file passed by mistake must not have its keys echoed to a CI log.
 */
function notAnAccountId(value: string): string {
  return /^\d{1,20}$/.test(value)
    ? `'${value}' is not a 12-digit account id (${value.length} digits)`
    : `${safeShape(value)}, not a 12-digit account id`;
}

/** Reads account ids from --accounts-file: one per line or comma-separated, `#` starts a comment. */
function readAccountsFile(path: string, checker: Checker): string[] {
  let text: string;
  try {
    text = readInputFile(path, 'accounts file');
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    for (const d of error.diagnostics) checker.error('--accounts-file', `${path}: ${d.message}`, d.suggestion);
    return [];
  }
  const ids: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    for (const id of line
      .replace(/#.*/, '')
      .split(/[,\s]+/)
      .filter(Boolean)) {
      if (ACCOUNT_ID.test(id)) ids.push(id);
      else checker.diagnostics.push({ severity: 'error', file: path, line: i + 1, message: notAnAccountId(id) });
    }
  });
  return ids;
}

function selectionFrom(options: AwsScanOptions, io: CliIO, checker: Checker): AccountSelection {
  const accounts = checker.ids('--accounts', options.accounts);
  if (options.accountsFile) accounts.push(...readAccountsFile(resolve(io.cwd, options.accountsFile), checker));
  const exclude = checker.ids('--exclude-accounts', options.excludeAccounts);
  const ous = options.ou ?? [];
  for (const ou of ous) if (!OU_ID.test(ou)) checker.error('--ou', `'${ou}' is not an OU or root id`, 'e.g. ou-ab12-cd34ef56 or r-ab12');
  const org = options.org === true || (options.demo !== undefined && options.demo !== false) || ous.length > 0;
  if (!org && accounts.length === 0 && exclude.length > 0) checker.error('--exclude-accounts', 'only narrows --org, --ou or --accounts');
  if (options.accountsFile && accounts.length === 0 && checker.diagnostics.length === 0)
    checker.error('--accounts-file', 'the file lists no account id');
  const mode = org ? 'org' : accounts.length > 0 ? 'accounts' : 'caller';
  return {
    mode,
    ...(accounts.length > 0 ? { accounts } : {}),
    ...(ous.length > 0 ? { organizationalUnits: ous } : {}),
    ...(exclude.length > 0 ? { exclude } : {}),
  };
}

function roleOptions(options: AwsScanOptions, checker: Checker) {
  const roleName = options.roleName ?? COLLECT_DEFAULTS.roleName;
  if (roleName.startsWith('arn:')) {
    checker.error(
      '--role-name',
      `'${roleName}' is an ARN; pass the role name (with its path, if any)`,
      'the account id differs per account, e.g. --role-name OrganizationAccountAccessRole',
    );
  } else if (!ROLE_NAME.test(roleName)) {
    checker.error(
      '--role-name',
      `'${roleName}' is not a valid IAM role name`,
      'up to 64 letters, digits and +=,.@_- (a path may precede it: path/Name)',
    );
  }
  if (options.externalId !== undefined && !EXTERNAL_ID.test(options.externalId)) {
    checker.error('--external-id', 'the external id must be 2 to 1224 characters of letters, digits and +=,.@:/_-');
  }
  const roleSessionName = options.roleSessionName ?? COLLECT_DEFAULTS.roleSessionName;
  if (!SESSION_NAME.test(roleSessionName))
    checker.error('--role-session-name', `'${roleSessionName}' is not a valid session name`, '2 to 64 letters, digits and +=,.@_-');
  const durationMs = checker.duration('--duration', options.duration, COLLECT_DEFAULTS.durationSeconds * 1000, 900_000, 43_200_000);
  return {
    roleName,
    roleSessionName,
    durationSeconds: Math.round(durationMs / 1000),
    ...(options.externalId !== undefined ? { externalId: options.externalId } : {}),
  };
}

/**
 * Validates the AWS flags and builds the collector options.
 * @param rules the enabled rules: `auto` context makes only the calls their required facts need
 * @throws InputError listing every problem (exit 2)
 */
export function collectOptionsFrom(
  options: AwsScanOptions,
  io: CliIO,
  rules: readonly Pick<CompiledRule, 'requiredFacts'>[],
): CollectOptions {
  const checker = new Checker();
  const selection = selectionFrom(options, io, checker);
  const role = roleOptions(options, checker);
  const maxReportAgeMs = checker.duration('--max-report-age', options.maxReportAge, COLLECT_DEFAULTS.maxReportAgeMs, 1000, 30 * 86_400_000);
  const reportTimeoutMs = checker.duration('--report-timeout', options.reportTimeout, COLLECT_DEFAULTS.reportTimeoutMs, 1000, 86_400_000);
  const concurrency = options.concurrency === undefined ? COLLECT_DEFAULTS.concurrency : Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 512)
    checker.error('--concurrency', `'${options.concurrency}' is not a whole number from 1 to 512`);
  const { config: aws, problems } = resolveAwsConfig(
    {
      ...(options.endpointUrl !== undefined ? { endpointUrl: { value: options.endpointUrl, flag: '--endpoint-url' } } : {}),
      ...(options.region !== undefined ? { region: options.region } : {}),
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      ...(options.requestTimeout !== undefined ? { requestTimeout: { value: options.requestTimeout, flag: '--request-timeout' } } : {}),
    },
    io.env,
  );
  checker.diagnostics.push(...problems);
  if (options.demo) {
    for (const flag of ['profile', 'endpointUrl', 'region'] as const) {
      if (options[flag] !== undefined)
        checker.error(kebab(flag), `--demo talks to a local sandbox with its own credentials; it cannot be combined with ${kebab(flag)}`);
    }
  }
  if (checker.diagnostics.length > 0) throw new InputError(checker.diagnostics, 'invalid AWS options');
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  return {
    ...COLLECT_DEFAULTS,
    selection: typeof shard === 'object' ? { ...selection, shard } : selection,
    ...role,
    assumeRoleInCallerAccount: options.assumeRoleInCaller === true,
    maxReportAgeMs,
    reportTimeoutMs,
    pollDelayMs: { ...COLLECT_DEFAULTS.pollDelayMs },
    concurrency,
    context: options.accountContext ?? 'auto',
    contextNeeds: contextNeedsFor(rules),
    aws,
  };
}

/** The collection options of a live scan: {@link collectOptionsFrom}, and whether --strict-names refuses reports. */
export function liveCollectOptions(
  options: AwsScanOptions & { strictNames?: boolean },
  io: CliIO,
  rules: readonly Pick<CompiledRule, 'requiredFacts'>[],
): CollectOptions {
  return { ...collectOptionsFrom(options, io, rules), strictNames: options.strictNames === true };
}

/** Which saved reports --accounts, --accounts-file and --exclude-accounts keep. */
export interface AccountFilter {
  /** Only these ids; undefined keeps every account. */
  only?: ReadonlySet<string>;
  exclude: ReadonlySet<string>;
}

/**
 * The account narrowing flags for saved reports (--from), checked as for a live scan.
 * @throws InputError listing every bad id (exit 2)
 */
export function accountFilterFrom(options: AwsScanOptions, io: CliIO): AccountFilter {
  const checker = new Checker();
  const only = checker.ids('--accounts', options.accounts);
  if (options.accountsFile) only.push(...readAccountsFile(resolve(io.cwd, options.accountsFile), checker));
  const exclude = checker.ids('--exclude-accounts', options.excludeAccounts);
  if (options.accountsFile && only.length === 0 && checker.diagnostics.length === 0)
    checker.error('--accounts-file', 'the file lists no account id');
  if (checker.diagnostics.length > 0) throw new InputError(checker.diagnostics, 'invalid account options');
  return { ...(only.length > 0 ? { only: new Set(only) } : {}), exclude: new Set(exclude) };
}

/** Rejects live flags combined with --from. @throws InputError */
export function checkSourceConflicts(options: AwsScanOptions & { from?: string[] }): void {
  if (!options.from || options.from.length === 0) return;
  const given = givenAwsFlags(options, ['live']);
  if (given.length === 0) return;
  throw new InputError(
    given.map((flag) => ({
      severity: 'error' as const,
      file: flag,
      message: `${flag} collects from AWS and cannot be combined with --from (saved reports)`,
      suggestion: 'drop --from to scan AWS, or drop the AWS flags',
    })),
    'conflicting options',
  );
}

/** Exit code 3 when some accounts failed (unless --allow-partial), else undefined. */
export function incompleteScanExit(snapshot: Snapshot, options: Pick<AwsScanOptions, 'allowPartial'>): number | undefined {
  const failed = (snapshot.skippedAccounts ?? []).some((a) => a.status === 'failed');
  return failed && options.allowPartial !== true ? EXIT.partial : undefined;
}
