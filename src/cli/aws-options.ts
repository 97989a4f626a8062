/**
 * The AWS flags of `credwarden scan`: declaration, validation (every problem at once,
 * exit 2) and translation into the collector's options.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Diagnostic, Snapshot } from '../model/index.js';
import { EXIT, InputError } from '../model/index.js';
import type { CompiledRule } from '../core/rules/ruleset.js';
import { parseShard } from '../core/baseline/shard.js';
import { COLLECT_DEFAULTS, contextNeedsFor, type AccountSelection, type CollectOptions, type ContextMode } from '../collectors/aws/options.js';
import type { AwsConfig } from '../collectors/aws/clients.js';
import { safeShape } from '../core/util/shape.js';
import type { CliIO } from './io.js';
import { collect } from './options.js';

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
 * Flags that only make sense for live collection (they conflict with --from). --accounts,
 * --accounts-file and --exclude-accounts narrow saved reports too.
 */
const LIVE_FLAGS: (keyof AwsScanOptions)[] = [
  'org', 'ou', 'roleName', 'externalId', 'roleSessionName', 'duration',
  'assumeRoleInCaller', 'maxReportAge', 'reportTimeout', 'requestTimeout', 'concurrency', 'accountContext', 'profile', 'region', 'endpointUrl', 'demo',
];

/** Default deadline of one AWS request (one attempt); the SDK retries it like other transient errors. */
export const DEFAULT_REQUEST_TIMEOUT = '30s';

/** Adds the AWS flags to the scan command. */
export function addAwsOptions(command: Command): Command {
  const options = [
    new Option('--org', 'scan every account of the organisation (from the management or delegated-administrator account)'),
    new Option('--accounts <ids>', 'only these account ids (comma-separated, repeatable)').argParser(collect),
    new Option('--accounts-file <file>', 'only the account ids in this file (one per line or comma-separated; # comments)'),
    new Option('--ou <id>', 'only accounts below this OU or root id, recursively (repeatable)').argParser(collect),
    new Option('--exclude-accounts <ids>', 'never scan these account ids (comma-separated, repeatable)').argParser(collect),
    new Option('--role-name <name>', `role to assume in each account (default ${COLLECT_DEFAULTS.roleName})`),
    new Option('--external-id <id>', 'ExternalId passed to AssumeRole'),
    new Option('--role-session-name <name>', `AssumeRole session name (default ${COLLECT_DEFAULTS.roleSessionName})`),
    new Option('--duration <time>', 'assumed-role session duration, e.g. 1h or 900 (seconds); 15m to 12h (default 1h)'),
    new Option('--assume-role-in-caller', "also assume the role in the caller's own account instead of using the caller's credentials"),
    new Option('--max-report-age <time>', 'regenerate credential reports older than this, e.g. 4h, 30m (default 4h)'),
    new Option('--report-timeout <time>', 'give up on an account whose report is not generated within this time (default 5m)'),
    new Option('--request-timeout <time>', `abort an AWS request (one attempt) not answered within this time, then retry it (default ${DEFAULT_REQUEST_TIMEOUT}; also CREDWARDEN_REQUEST_TIMEOUT)`),
    new Option('--concurrency <n>', `accounts scanned in parallel (default ${COLLECT_DEFAULTS.concurrency})`),
    new Option('--account-context <mode>', 'account-context calls: auto (only what the enabled rules need), all, none').choices(['auto', 'all', 'none']),
    new Option('--profile <name>', 'AWS named profile for the caller (default: AWS_PROFILE, then the default credential chain)'),
    new Option('--region <region>', 'AWS region for STS and Organizations (default: AWS_REGION, else the profile\'s region, else us-east-1)'),
    new Option('--endpoint-url <url>', 'send every AWS call to this endpoint (also: AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_IAM/_STS/_ORGANIZATIONS)'),
    new Option('--allow-partial', 'exit as usual even when some accounts could not be scanned (otherwise exit 3)'),
    new Option('--demo [fixture]', 'scan a local sandbox organisation: a bundled one by name (demo-org, the default; recovery-org) or a fixture file; no AWS account needed'),
  ];
  for (const option of options) command.addOption(option);
  return command;
}

function kebab(flag: string): string {
  return `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `4h`, `30m`, `1h30m`, `90s`, `250ms` or bare seconds into ms; NaN when malformed. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) return Number.NaN;
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2] ?? 's'] ?? Number.NaN), 0);
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
    const ms = parseDuration(text);
    if (Number.isNaN(ms)) this.error(flag, `'${text}' is not a duration`, 'e.g. 90s, 30m, 4h or 1h30m');
    else if (ms < min || ms > max) this.error(flag, `'${text}' is out of range`, `between ${min / 1000} s and ${max / 1000} s`);
    return ms;
  }
}

/**
 * Why a value is not an account id, without repeating it unless it is plainly harmless (a few
 * digits): a credentials file passed by mistake must not have its keys echoed to a CI log.
 */
function notAnAccountId(value: string): string {
  return /^\d{1,20}$/.test(value) ? `'${value}' is not a 12-digit account id (${value.length} digits)` : `${safeShape(value)}, not a 12-digit account id`;
}

/** Reads account ids from --accounts-file: one per line or comma-separated, `#` starts a comment. */
function readAccountsFile(path: string, checker: Checker): string[] {
  if (!existsSync(path)) {
    checker.error('--accounts-file', `cannot read ${path}: no such file`);
    return [];
  }
  const ids: string[] = [];
  readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      for (const id of line.replace(/#.*/, '').split(/[,\s]+/).filter(Boolean)) {
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
  if (options.accountsFile && accounts.length === 0 && checker.diagnostics.length === 0) checker.error('--accounts-file', 'the file lists no account id');
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
    checker.error('--role-name', `'${roleName}' is an ARN; pass the role name (with its path, if any)`, 'the account id differs per account, e.g. --role-name OrganizationAccountAccessRole');
  } else if (!ROLE_NAME.test(roleName)) {
    checker.error('--role-name', `'${roleName}' is not a valid IAM role name`, 'up to 64 letters, digits and +=,.@_- (a path may precede it: path/Name)');
  }
  if (options.externalId !== undefined && !EXTERNAL_ID.test(options.externalId)) {
    checker.error('--external-id', 'the external id must be 2 to 1224 characters of letters, digits and +=,.@:/_-');
  }
  const roleSessionName = options.roleSessionName ?? COLLECT_DEFAULTS.roleSessionName;
  if (!SESSION_NAME.test(roleSessionName)) checker.error('--role-session-name', `'${roleSessionName}' is not a valid session name`, '2 to 64 letters, digits and +=,.@_-');
  const durationMs = checker.duration('--duration', options.duration, COLLECT_DEFAULTS.durationSeconds * 1000, 900_000, 43_200_000);
  return { roleName, roleSessionName, durationSeconds: Math.round(durationMs / 1000), ...(options.externalId !== undefined ? { externalId: options.externalId } : {}) };
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/**
 * Endpoints as the AWS SDKs and CLI resolve them: --endpoint-url, else AWS_ENDPOINT_URL_<SERVICE>,
 * else AWS_ENDPOINT_URL; the environment variables are ignored when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true. (A profile's `endpoint_url` applies through the SDK.)
 */
function awsConfigFrom(options: AwsScanOptions, env: CliIO['env'], checker: Checker): AwsConfig {
  const ignoreEnv = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase() === 'true';
  const fromEnv = (service: string): [string, string] | undefined => {
    if (ignoreEnv) return undefined;
    for (const name of [`AWS_ENDPOINT_URL_${service}`, 'AWS_ENDPOINT_URL']) {
      const value = env[name]?.trim();
      if (value) return [name, value];
    }
    return undefined;
  };
  const endpoint = (service: string): [string, string] | undefined => (options.endpointUrl !== undefined ? ['--endpoint-url', options.endpointUrl] : fromEnv(service));
  const sources = { iam: endpoint('IAM'), sts: endpoint('STS'), organizations: endpoint('ORGANIZATIONS') };
  const reported = new Set<string>();
  for (const [source, url] of Object.values(sources).filter((v) => v !== undefined)) {
    if (!isHttpUrl(url) && !reported.has(source)) {
      reported.add(source);
      checker.error(source, `'${url}' is not an http(s) URL`);
    }
  }
  const endpoints = Object.fromEntries(Object.entries(sources).flatMap(([service, v]) => (v === undefined ? [] : [[service, v[1]]])));
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const profile = options.profile ?? env.AWS_PROFILE;
  // The SDKs' standard setting for attempts per call (first try included).
  const attemptsText = env.AWS_MAX_ATTEMPTS?.trim();
  const maxAttempts = attemptsText ? Number(attemptsText) : undefined;
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100)) {
    checker.error('AWS_MAX_ATTEMPTS', `'${attemptsText}' is not a whole number from 1 to 100`);
  }
  return {
    ...(region ? { region } : {}),
    ...(profile ? { profile } : {}),
    endpoints,
    ...(maxAttempts !== undefined && Number.isInteger(maxAttempts) ? { maxAttempts } : {}),
  };
}

/**
 * Validates the AWS flags and builds the collector options.
 * @param rules the enabled rules: `auto` context makes only the calls their required facts need
 * @throws InputError listing every problem (exit 2)
 */
export function collectOptionsFrom(options: AwsScanOptions, io: CliIO, rules: readonly Pick<CompiledRule, 'requiredFacts'>[]): CollectOptions {
  const checker = new Checker();
  const selection = selectionFrom(options, io, checker);
  const role = roleOptions(options, checker);
  const maxReportAgeMs = checker.duration('--max-report-age', options.maxReportAge, COLLECT_DEFAULTS.maxReportAgeMs, 1000, 30 * 86_400_000);
  const reportTimeoutMs = checker.duration('--report-timeout', options.reportTimeout, COLLECT_DEFAULTS.reportTimeoutMs, 1000, 86_400_000);
  const concurrency = options.concurrency === undefined ? COLLECT_DEFAULTS.concurrency : Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 512) checker.error('--concurrency', `'${options.concurrency}' is not a whole number from 1 to 512`);
  const requestTimeoutMs = checker.duration(options.requestTimeout !== undefined ? '--request-timeout' : 'CREDWARDEN_REQUEST_TIMEOUT', options.requestTimeout ?? (io.env.CREDWARDEN_REQUEST_TIMEOUT?.trim() || undefined), parseDuration(DEFAULT_REQUEST_TIMEOUT), 50, 600_000);
  const aws = { ...awsConfigFrom(options, io.env, checker), requestTimeoutMs };
  if (options.demo) {
    for (const flag of ['profile', 'endpointUrl', 'region'] as const) {
      if (options[flag] !== undefined) checker.error(kebab(flag), `--demo talks to a local sandbox with its own credentials; it cannot be combined with ${kebab(flag)}`);
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
  if (options.accountsFile && only.length === 0 && checker.diagnostics.length === 0) checker.error('--accounts-file', 'the file lists no account id');
  if (checker.diagnostics.length > 0) throw new InputError(checker.diagnostics, 'invalid account options');
  return { ...(only.length > 0 ? { only: new Set(only) } : {}), exclude: new Set(exclude) };
}

/** Rejects live flags combined with --from. @throws InputError */
export function checkSourceConflicts(options: AwsScanOptions & { from?: string[] }): void {
  if (!options.from || options.from.length === 0) return;
  const given = LIVE_FLAGS.filter((flag) => options[flag] !== undefined && flag !== 'allowPartial');
  if (given.length === 0) return;
  throw new InputError(
    given.map((flag) => ({
      severity: 'error' as const,
      file: kebab(flag),
      message: `${kebab(flag)} collects from AWS and cannot be combined with --from (saved reports)`,
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
