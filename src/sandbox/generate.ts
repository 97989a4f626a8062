/**
 * Deterministic synthetic organisations for tests and benchmarks. Reports are generated on
 * demand from (seed, account, user) so that 10,000 accounts cost almost no memory until asked.
 */
import type { FixtureAccount, FixtureOu, FixtureReport, OrgFixture } from './fixture.js';
import { hashSeed, seededRandom, type Random } from './random.js';

const DAY_MS = 86_400_000;
const FIRST_NAMES = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'niaj',
  'olivia',
  'peggy',
  'rupert',
  'sybil',
  'trent',
  'victor',
  'walter',
  'yara',
];
const SERVICES = ['ci', 'deploy', 'backup', 'etl', 'metrics', 'terraform', 'legacy-app', 'reporting'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const USED_SERVICES = ['s3', 'sts', 'ec2', 'iam', 'dynamodb', 'lambda', 'ecr', 'cloudformation'];
const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
  'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
  'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

/** Options for {@link generateUsersCsv}. */
export interface GenerateUsersOptions {
  accountId: string;
  /** IAM users besides the root user. */
  users: number;
  seed: number;
  /** The report's GeneratedTime (ms); every date in the report lies before it. */
  generatedAt: number;
  partition?: string;
}

/** "00".."59", and "00:00".."23:59": time-of-day parts built once instead of per date. */
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
const HOURS_MINUTES = Array.from({ length: 1440 }, (_, i) => `${TWO_DIGITS[Math.floor(i / 60)]}:${TWO_DIGITS[i % 60]}`);

/**
 * The date parts of the last GeneratedTime used, by days before it. An organisation's reports
 * usually share one GeneratedTime (the sandbox's start), so every account reuses the dates the
 * first ones formatted: formatting them per account was about half of the sandbox's CPU spent
 * generating reports. Only the last time is kept, so memory stays bounded.
 */
let sharedDays: { generatedAt: number; days: Map<number, string> } = { generatedAt: Number.NaN, days: new Map() };

/** Formats day offsets before the report time as `YYYY-MM-DDThh:mm:ss+00:00`, caching the date part. */
class ReportClock {
  private readonly days: Map<number, string>;
  constructor(private readonly generatedAt: number) {
    if (sharedDays.generatedAt !== generatedAt) sharedDays = { generatedAt, days: new Map() };
    this.days = sharedDays.days;
  }

  /** A time `daysAgo` whole days (>= 1) before generation, at a time of day drawn from `random`. */
  ago(daysAgo: number, random: Random): string {
    let day = this.days.get(daysAgo);
    if (day === undefined) {
      day = `${new Date(this.generatedAt - daysAgo * DAY_MS).toISOString().slice(0, 10)}T`;
      this.days.set(daysAgo, day);
    }
    const seconds = Math.floor(random() * 86_400);
    return `${day}${HOURS_MINUTES[Math.floor(seconds / 60)]}:${TWO_DIGITS[seconds % 60]}+00:00`;
  }
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (Math.max(min, max) - min + 1));
}

/** One access key's five columns, for a key no older than the user. */
function keyColumns(random: Random, clock: ReportClock, userAgeDays: number, present: boolean): string {
  if (!present) return 'false,N/A,N/A,N/A,N/A';
  const active = random() < 0.85;
  const rotatedAgo = between(random, 1, Math.min(userAgeDays, 900));
  const usage = random();
  if (usage < 0.15) return `${active},${clock.ago(rotatedAgo, random)},N/A,N/A,N/A`;
  // Recently used keys dominate; a tail has not been used for months.
  const usedAgo = usage < 0.75 ? between(random, 1, Math.min(rotatedAgo, 20)) : between(random, 1, rotatedAgo);
  return `${active},${clock.ago(rotatedAgo, random)},${clock.ago(usedAgo, random)},${pick(random, REGIONS)},${pick(random, USED_SERVICES)}`;
}

function rootRow(random: Random, clock: ReportClock, accountId: string, partition: string): string {
  const created = clock.ago(between(random, 1500, 3000), random);
  const lastUsed = random() < 0.2 ? 'no_information' : clock.ago(between(random, 1, 200), random);
  const mfa = random() < 0.85;
  const key = random() < 0.03 ? keyColumns(random, clock, 1500, true) : 'false,N/A,N/A,N/A,N/A';
  return `<root_account>,arn:${partition}:iam::${accountId}:root,${created},not_supported,${lastUsed},not_supported,not_supported,${mfa},${key},false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
}

function userRow(random: Random, clock: ReportClock, accountId: string, partition: string, index: number): string {
  const service = random() < 0.25;
  const name = service ? `svc-${pick(random, SERVICES)}-${index}` : `${pick(random, FIRST_NAMES)}.${index}`;
  const ageDays = between(random, 30, 2000);
  const created = clock.ago(ageDays, random);
  let password = 'false,N/A,N/A,N/A,false';
  if (!service && random() < 0.9) {
    const usedRoll = random();
    const lastUsed =
      usedRoll < 0.1
        ? 'no_information'
        : clock.ago(usedRoll < 0.7 ? between(random, 1, 30) : between(random, 91, Math.max(91, ageDays)), random);
    const changed = clock.ago(between(random, 1, ageDays), random);
    password = `true,${lastUsed},${changed},N/A,${random() < 0.75}`;
  }
  const keyRoll = random();
  const keys = service ? (keyRoll < 0.8 ? 1 : 2) : keyRoll < 0.6 ? 0 : keyRoll < 0.95 ? 1 : 2;
  const cert = random() < 0.01 ? `true,${clock.ago(between(random, 1, ageDays), random)}` : 'false,N/A';
  return (
    `${name},arn:${partition}:iam::${accountId}:user/${name},${created},${password},` +
    `${keyColumns(random, clock, ageDays, keys >= 1)},${keyColumns(random, clock, ageDays, keys >= 2)},${cert},false,N/A`
  );
}

/**
 * A valid 22-column AWS credential report for one account: the root user plus `users` IAM users
 * with a realistic mix of console users, MFA, stale and rotated keys. Deterministic for a given
 * seed, account and GeneratedTime.
 */
export function generateUsersCsv(options: GenerateUsersOptions): string {
  const partition = options.partition ?? 'aws';
  const clock = new ReportClock(options.generatedAt);
  const lines = [HEADER, rootRow(seededRandom(hashSeed(options.seed, options.accountId, 'root')), clock, options.accountId, partition)];
  for (let i = 1; i <= options.users; i++) {
    lines.push(userRow(seededRandom(hashSeed(options.seed, options.accountId, i)), clock, options.accountId, partition, i));
  }
  return `${lines.join('\n')}\n`;
}

/** Options for {@link generateOrganization}. */
export interface GenerateOrganizationOptions {
  /** Total accounts, including the management account. */
  accounts: number;
  usersPerAccount: number;
  seed?: number;
  /** How many member accounts are SUSPENDED; default 0. */
  suspendedAccounts?: number;
  /** Role assumable in every member account; default OrganizationAccountAccessRole. */
  roleName?: string;
  /** Initial report of every account: e.g. `{ state: 'absent' }` or `{ ageHours: 30 }` to force generation. */
  reports?: Pick<FixtureReport, 'state' | 'ageHours'>;
}

const OU_TREE: FixtureOu[] = [
  { name: 'Security' },
  { name: 'Infrastructure' },
  { name: 'Workloads', children: [{ name: 'Prod' }, { name: 'Dev' }] },
  { name: 'Sandbox' },
];
const OU_PATHS = ['Security', 'Infrastructure', 'Workloads/Prod', 'Workloads/Dev', 'Sandbox'];
const TEAMS = ['payments', 'search', 'identity', 'data', 'platform', 'mobile', 'ml', 'billing'];

/**
 * A synthetic organisation: a management account plus members spread across OUs, each with a
 * lazily generated report of `usersPerAccount` users. Account ids are 100000000000 + index.
 */
export function generateOrganization(options: GenerateOrganizationOptions): OrgFixture {
  const seed = options.seed ?? 1;
  const random = seededRandom(hashSeed(seed, 'organization'));
  const suspended = options.suspendedAccounts ?? 0;
  const roleName = options.roleName ?? 'OrganizationAccountAccessRole';
  const accounts: FixtureAccount[] = [];
  for (let i = 0; i < options.accounts; i++) {
    const id = String(100_000_000_000 + i);
    const management = i === 0;
    const path = management ? undefined : pick(random, OU_PATHS);
    const name = management ? 'management' : `${pick(random, TEAMS)}-${path?.split('/').pop()?.toLowerCase()}-${i}`;
    const isSuspended = !management && i > options.accounts - 1 - suspended;
    accounts.push({
      id,
      name,
      email: `aws+${name}@example.com`,
      ...(isSuspended ? { status: 'SUSPENDED' as const } : {}),
      ...(path ? { ou: path } : {}),
      roles: management ? [] : [roleName],
      report: { generatedUsers: { count: options.usersPerAccount, seed }, ...options.reports },
    });
  }
  return {
    managementAccountId: accounts[0]?.id ?? '100000000000',
    organizationId: `o-${hashSeed(seed, 'org').toString(36).padStart(10, '0').slice(0, 10)}`,
    features: ['RootCredentialsManagement', 'RootSessions'],
    organizationalUnits: OU_TREE,
    accounts,
  };
}
