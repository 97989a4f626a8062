/**
 * The charts of the HTML report: open findings by account and severity, access-key ages,
 * unused credentials by age, users with and without a recovery path, and open findings by
 * credential kind. Each comes with the rows of a table that says the same thing in text.
 * They are drawn from counters that each account adds to (ChartCounters): sums, and the
 * accounts to show kept in bounded buffers, so the charts never hold the findings.
 * The result holds findings, not every credential: the key-age and unused charts count the
 * credentials that have a finding, and say so.
 */
import type { Finding, RuleSummary, ScanResult, Severity } from '../../../model/index.js';
import { sliceResult } from '../../pipeline/whole.js';
import type { AccountSlice } from '../../pipeline/types.js';
import { TopN } from '../top.js';
import { SEVERITIES } from '../../../model/index.js';
import { barChartSvg, PALETTE, type BarChart } from '../../charts/svg.js';
import { severitySeries } from '../../charts/severity.js';
import { thresholdsOf } from '../../charts/thresholds.js';

/** A chart and the table of its numbers. */
export interface ChartWithTable {
  id: string;
  title: string;
  svg: string;
  /** Header and rows of the equivalent table. */
  table: { head: string[]; rows: (string | number)[][] };
  /** Text shown under the chart (what it counts, what it cannot show). */
  note: string;
}

const TOP_ACCOUNTS = 10;

function withTable(chart: BarChart, head: string[], note: string): ChartWithTable {
  const rows = chart.categories.map((category, i) => [category, ...chart.series.map((s) => s.values[i] ?? 0)]);
  return { id: chart.id, title: chart.title, svg: barChartSvg(chart), table: { head, rows }, note };
}

function numberEvidence(f: Finding, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const value = f.evidence[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

const AGE_BUCKETS = [30, 60, 90, 180, 365, 730];

/** The evidence fact of an access key's age: the key-age chart counts it and draws the threshold that bounds it. */
const KEY_AGE = 'key.ageDays';

function bucketLabels(edges: readonly number[]): string[] {
  return [...edges.map((edge, i) => `${i === 0 ? 0 : edges[i - 1]}–${edge} d`), `> ${edges[edges.length - 1]} d`];
}

function bucketOf(value: number, edges: readonly number[]): number {
  const i = edges.findIndex((edge) => value <= edge);
  return i === -1 ? edges.length : i;
}

const UNUSED_BUCKETS = [45, 90, 180, 365];
const UNUSED_LABELS = bucketLabels(UNUSED_BUCKETS);

/** What a service-specific credential is, by the service that issued it (its ServiceName). */
const SERVICE_CREDENTIAL_KINDS: Readonly<Record<string, string>> = {
  'bedrock.amazonaws.com': 'Bedrock API keys',
  'logs.amazonaws.com': 'CloudWatch Logs API keys',
  'codecommit.amazonaws.com': 'CodeCommit Git credentials',
  'cassandra.amazonaws.com': 'Keyspaces credentials',
};

/** Every credential kind a finding can be about, in the order the chart shows them. */
const CREDENTIAL_KINDS = [
  'console passwords',
  'access keys',
  'signing certificates',
  ...Object.values(SERVICE_CREDENTIAL_KINDS),
  'other service-specific credentials',
  'SSH public keys',
  'server certificates',
  'account password policies',
  'principals (no single credential)',
] as const;

/**
 * The kind of credential a finding is about, from its `credential` (slot or `kind:id`); a
 * service-specific credential by the service its evidence names; a finding on no credential
 * whose evidence is the account's password policy is about that policy.
 */
function credentialKind(f: Finding): string {
  const credential = f.credential ?? '';
  if (credential === 'password') return 'console passwords';
  if (credential.startsWith('access_key')) return 'access keys';
  if (credential.startsWith('cert_')) return 'signing certificates';
  if (credential.startsWith('service_credential:'))
    return SERVICE_CREDENTIAL_KINDS[String(f.evidence['serviceCredential.service'])] ?? 'other service-specific credentials';
  if (credential.startsWith('ssh_public_key:')) return 'SSH public keys';
  if (credential.startsWith('server_certificate:')) return 'server certificates';
  if (Object.keys(f.evidence).some((key) => key.startsWith('account.facts.passwordPolicy'))) return 'account password policies';
  return 'principals (no single credential)';
}

/** Zero per severity. */
function perSeverity(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

function severityTotal(row: Record<Severity, number>): number {
  return SEVERITIES.reduce((n, s) => n + row[s], 0);
}

/** An account as a chart shows it: `name (id)`, or its id. */
function accountLabel(slice: AccountSlice): string {
  const name = slice.account?.name;
  return name ? `${name} (${slice.id})` : slice.id;
}

/** One value per credential (principal, slot) of an account: several findings may describe it; the largest counts. */
function perCredential(findings: readonly Finding[], read: (f: Finding) => number | undefined): { finding: Finding; value: number }[] {
  const out = new Map<string, { finding: Finding; value: number }>();
  for (const f of findings) {
    const value = read(f);
    if (value === undefined) continue;
    const key = `${f.principal.arn}|${f.credential ?? ''}`;
    const seen = out.get(key);
    if (!seen || value > seen.value) out.set(key, { finding: f, value });
  }
  return [...out.values()];
}

/** An account's open findings by severity. */
interface AccountOpen {
  id: string;
  label: string;
  row: Record<Severity, number>;
  total: number;
}

/** An account's IAM users with and without a recovery path, or not analysed. */
interface RecoveryRow {
  label: string;
  withPath: number;
  lacking: number;
  notAnalysed: number;
}

/** What the charts count, as plain data (it crosses threads: see {@link ChartCounters.save}). */
interface ChartCounts {
  accountsWithOpen: number;
  topAccounts: AccountOpen[];
  /** Access keys by their exact age (days), active and inactive: bucketed at the end, once the threshold is known. */
  keyAges: Map<number, [number, number]>;
  /** Rules with a finding that reports a key's age. */
  keyAgeRules: Set<string>;
  /** Credentials by days unused: a bucket count per kind. */
  unused: { passwords: number[]; keys: number[]; others: number[] };
  recovery: RecoveryRow;
  topRecovery: RecoveryRow[];
  kinds: Map<string, Record<Severity, number>>;
}

const byOpenFindings = (a: AccountOpen, b: AccountOpen) => b.total - a.total || a.id.localeCompare(b.id);
const byLacking = (a: RecoveryRow, b: RecoveryRow) => b.lacking - a.lacking || a.label.localeCompare(b.label);

/**
 * The charts' counters, added to account by account (pure, order-free: sums and bounded
 * buffers with a total order), then drawn once every account is in.
 */
export class ChartCounters {
  private accountsWithOpen = 0;
  private readonly topAccounts = new TopN<AccountOpen>(TOP_ACCOUNTS, byOpenFindings);
  private readonly keyAges = new Map<number, [number, number]>();
  private readonly keyAgeRules = new Set<string>();
  private readonly unused = { passwords: UNUSED_LABELS.map(() => 0), keys: UNUSED_LABELS.map(() => 0), others: UNUSED_LABELS.map(() => 0) };
  private readonly recoveryTotal: RecoveryRow = { label: 'All accounts', withPath: 0, lacking: 0, notAnalysed: 0 };
  private readonly topRecovery = new TopN<RecoveryRow>(TOP_ACCOUNTS, byLacking);
  private readonly kinds = new Map<string, Record<Severity, number>>();

  /** Adds one account. */
  add(slice: AccountSlice): void {
    this.addOpen(slice);
    this.addKeyAges(slice.findings);
    this.addUnused(slice.findings);
    this.addRecovery(slice);
  }

  private addOpen(slice: AccountSlice): void {
    const row = perSeverity();
    for (const f of slice.findings) {
      if (f.status !== 'open') continue;
      row[f.severity]++;
      const kind = credentialKind(f);
      const byKind = this.kinds.get(kind) ?? perSeverity();
      byKind[f.severity]++;
      this.kinds.set(kind, byKind);
    }
    const total = severityTotal(row);
    if (total === 0) return;
    this.accountsWithOpen++;
    this.topAccounts.add({ id: slice.id, label: accountLabel(slice), row, total });
  }

  private addKeyAges(findings: readonly Finding[]): void {
    for (const f of findings) if (numberEvidence(f, [KEY_AGE]) !== undefined) this.keyAgeRules.add(f.ruleId);
    const keys = perCredential(findings, (f) => (f.credential?.startsWith('access_key') ? numberEvidence(f, [KEY_AGE]) : undefined));
    for (const { finding, value } of keys) {
      const count = this.keyAges.get(value) ?? [0, 0];
      count[finding.evidence['key.active'] === false ? 1 : 0]++;
      this.keyAges.set(value, count);
    }
  }

  private addUnused(findings: readonly Finding[]): void {
    const credentials = perCredential(findings, (f) =>
      numberEvidence(f, ['credential.daysSinceLastActivity', 'key.daysSinceLastActivity', 'password.daysSinceLastActivity']),
    );
    for (const { finding, value } of credentials) {
      const u = this.unused;
      const target = finding.credential === 'password' ? u.passwords : finding.credential?.startsWith('access_key') ? u.keys : u.others;
      const i = bucketOf(value, UNUSED_BUCKETS);
      target[i] = (target[i] ?? 0) + 1;
    }
  }

  /**
   * An account is analysed when its facts carry the recovery analysis (a live scan); a user
   * lacks a path when a finding reports a recovery `hasPath` of false for one of their
   * credentials. Users of accounts that were not analysed are counted as such, never as having a path.
   */
  private addRecovery(slice: AccountSlice): void {
    const a = slice.account;
    if (!a || a.status !== 'scanned') return;
    const without = new Set<string>();
    for (const f of slice.findings) {
      if (f.principal.type !== 'user') continue;
      const noPath = Object.entries(f.evidence).some(
        ([key, value]) => key.startsWith('facts.recovery.') && key.endsWith('.hasPath') && value === false,
      );
      if (noPath) without.add(f.principal.arn);
    }
    const users = Math.max(0, (a.principals ?? 0) - 1);
    const analysed = a.facts !== undefined && typeof a.facts.recovery === 'object' && a.facts.recovery !== null;
    const lacking = analysed ? Math.min(users, without.size) : 0;
    const row = { label: accountLabel(slice), withPath: analysed ? users - lacking : 0, lacking, notAnalysed: analysed ? 0 : users };
    this.recoveryTotal.withPath += row.withPath;
    this.recoveryTotal.lacking += row.lacking;
    this.recoveryTotal.notAnalysed += row.notAnalysed;
    this.topRecovery.add(row);
  }

  /** What this instance counted, for another to absorb. */
  save(): ChartCounts {
    return {
      accountsWithOpen: this.accountsWithOpen,
      topAccounts: this.topAccounts.sorted(),
      keyAges: this.keyAges,
      keyAgeRules: this.keyAgeRules,
      unused: this.unused,
      recovery: this.recoveryTotal,
      topRecovery: this.topRecovery.sorted(),
      kinds: this.kinds,
    };
  }

  /** Adds another instance's counts. */
  absorb(other: ChartCounts): void {
    this.accountsWithOpen += other.accountsWithOpen;
    for (const item of other.topAccounts) this.topAccounts.add(item);
    for (const [age, [active, inactive]] of other.keyAges) {
      const count = this.keyAges.get(age) ?? [0, 0];
      this.keyAges.set(age, [count[0] + active, count[1] + inactive]);
    }
    for (const id of other.keyAgeRules) this.keyAgeRules.add(id);
    for (const kind of ['passwords', 'keys', 'others'] as const)
      other.unused[kind].forEach((n, i) => (this.unused[kind][i] = (this.unused[kind][i] ?? 0) + n));
    this.recoveryTotal.withPath += other.recovery.withPath;
    this.recoveryTotal.lacking += other.recovery.lacking;
    this.recoveryTotal.notAnalysed += other.recovery.notAnalysed;
    for (const row of other.topRecovery) this.topRecovery.add(row);
    for (const [kind, row] of other.kinds) {
      const mine = this.kinds.get(kind) ?? perSeverity();
      for (const s of SEVERITIES) mine[s] += row[s];
      this.kinds.set(kind, mine);
    }
  }

  /** The report's charts, in the order the report shows them; `rules` are the run's rules (thresholds). */
  charts(rules: readonly RuleSummary[]): ChartWithTable[] {
    return [this.byAccount(), this.keyAgeChart(rules), this.unusedChart(), this.recoveryChart(), this.kindChart()];
  }

  /** Open findings by account and severity: the accounts with the most open findings. */
  private byAccount(): ChartWithTable {
    const top = this.topAccounts.sorted();
    const chart: BarChart = {
      id: 'chart-accounts',
      title: 'Open findings by account and severity',
      description:
        top.length === 0
          ? 'No open findings.'
          : `The ${top.length} accounts with the most open findings: ${top.map((a) => `${a.label} ${a.total}`).join('; ')}.`,
      categories: top.map((a) => a.label),
      series: severitySeries(SEVERITIES, (s) => top.map((a) => a.row[s])),
      horizontal: true,
      valueLabel: 'open findings',
    };
    const more = this.accountsWithOpen - top.length;
    return withTable(
      chart,
      ['Account', ...SEVERITIES],
      `Counts open findings (waived ones are not counted) per account, stacked by severity. ${this.accountsWithOpen} accounts have open findings${more > 0 ? `; the ${top.length} with the most are shown, ${more} more are in the findings table` : ''}.`,
    );
  }

  /**
   * Access keys by age (evidence `key.ageDays`), with the rotation threshold: the smallest
   * parameter that a rule whose findings report key ages declares as the bound of `key.ageDays`
   * (RuleSummary `bounds`), whatever the parameter is called.
   */
  private keyAgeChart(rules: readonly RuleSummary[]): ChartWithTable {
    const thresholds = thresholdsOf(
      rules.filter((r) => this.keyAgeRules.has(r.id)),
      KEY_AGE,
    ).map((t) => t.value);
    const threshold = thresholds.length > 0 ? Math.min(...thresholds) : undefined;
    const edges =
      threshold !== undefined && !AGE_BUCKETS.includes(threshold) ? [...AGE_BUCKETS, threshold].sort((a, b) => a - b) : AGE_BUCKETS;
    const labels = bucketLabels(edges);
    const active = labels.map(() => 0);
    const inactive = labels.map(() => 0);
    let keys = 0;
    for (const [value, [on, off]] of this.keyAges) {
      const i = bucketOf(value, edges);
      active[i] = (active[i] ?? 0) + on;
      inactive[i] = (inactive[i] ?? 0) + off;
      keys += on + off;
    }
    const chart: BarChart = {
      id: 'chart-key-ages',
      title: 'Access keys with a finding, by age',
      description: `${keys} access keys that have at least one finding reporting their age, by days since creation or last rotation${threshold !== undefined ? `; the rotation threshold is ${threshold} days` : ''}. ${labels.map((l, i) => `${l}: ${(active[i] ?? 0) + (inactive[i] ?? 0)}`).join('; ')}.`,
      categories: labels,
      series: [
        { name: 'active', color: PALETTE.blue, pattern: 'solid', values: active },
        { name: 'inactive', color: PALETTE.sky, pattern: 'diagonal', values: inactive },
      ],
      ...(threshold !== undefined ? { marker: { beforeIndex: edges.indexOf(threshold) + 1, label: `rotate after ${threshold} d` } } : {}),
      valueLabel: 'access keys',
    };
    return withTable(
      chart,
      ['Age', 'Active', 'Inactive'],
      `Counts each access key once (account, user, slot) when at least one of its findings reports its age (evidence key.ageDays), active and inactive apart; keys without such a finding are not in the result and not counted. ${threshold !== undefined ? `Keys right of the dashed line are older than the rotation threshold (${threshold} days).` : 'No rule with a rotation threshold reported a key.'}`,
    );
  }

  /** Credentials by time since last use (evidence `*.daysSinceLastActivity`), passwords and keys apart. */
  private unusedChart(): ChartWithTable {
    const labels = UNUSED_LABELS;
    const { passwords, keys, others } = this.unused;
    const credentials = [...passwords, ...keys, ...others].reduce((n, v) => n + v, 0);
    const chart: BarChart = {
      id: 'chart-unused',
      title: 'Credentials with a finding about their last use, by days unused',
      description: `${credentials} credentials with a finding about their last use, by days since last activity. ${labels.map((l, i) => `${l}: ${(passwords[i] ?? 0) + (keys[i] ?? 0) + (others[i] ?? 0)}`).join('; ')}.`,
      categories: labels,
      series: [
        { name: 'passwords', color: PALETTE.purple, pattern: 'dots', values: passwords },
        { name: 'access keys', color: PALETTE.blue, pattern: 'solid', values: keys },
        { name: 'other', color: PALETTE.grey, pattern: 'vertical', values: others },
      ],
      valueLabel: 'credentials',
    };
    return withTable(
      chart,
      ['Days since last use', 'Passwords', 'Access keys', 'Other'],
      'Counts each credential once (account, user, password or key slot) when a finding reports its days since last activity (evidence *.daysSinceLastActivity: since last use, or since creation when never used); credentials without such a finding are not counted.',
    );
  }

  /** IAM users with and without a recovery path: every account, then the accounts with most users lacking one. */
  private recoveryChart(): ChartWithTable {
    const all = this.recoveryTotal;
    const shown = [all, ...this.topRecovery.sorted()];
    const users = all.withPath + all.lacking + all.notAnalysed;
    const pct = (n: number) => (users === 0 ? '0%' : `${Math.round((n / users) * 100)}%`);
    const chart: BarChart = {
      id: 'chart-recovery',
      title: 'IAM users with and without a recovery path',
      description: `${users} IAM users: ${all.withPath} (${pct(all.withPath)}) with a recovery path, ${all.lacking} (${pct(all.lacking)}) without one, ${all.notAnalysed} (${pct(all.notAnalysed)}) not analysed.`,
      categories: shown.map((r) => r.label),
      series: [
        { name: 'with a path', color: PALETTE.green, pattern: 'solid', values: shown.map((r) => r.withPath) },
        { name: 'without', color: PALETTE.vermillion, pattern: 'cross', values: shown.map((r) => r.lacking) },
        { name: 'not analysed', color: PALETTE.grey, pattern: 'dots', values: shown.map((r) => r.notAnalysed) },
      ],
      horizontal: true,
      valueLabel: 'IAM users',
    };
    const note =
      all.notAnalysed > 0
        ? `Counts IAM users (each report's principals minus the root user) of every scanned account. ${all.notAnalysed} users are in accounts whose recovery paths were not analysed (saved credential reports, or the analysis was not possible): they are not counted as having a path.`
        : "Counts IAM users (each report's principals minus the root user) of every scanned account; every scanned account was analysed.";
    return withTable(chart, ['Accounts', 'With a path', 'Without', 'Not analysed'], note);
  }

  /** Open findings by the kind of credential they are about, stacked by severity: every kind IAM issues. */
  private kindChart(): ChartWithTable {
    const counts = this.kinds;
    const kinds = CREDENTIAL_KINDS.filter((kind) => counts.has(kind));
    const total = (kind: string) => SEVERITIES.reduce((n, s) => n + (counts.get(kind)?.[s] ?? 0), 0);
    const chart: BarChart = {
      id: 'chart-credential-kinds',
      title: 'Open findings by credential kind',
      description:
        kinds.length === 0
          ? 'No open findings.'
          : `Open findings by the kind of credential they are about: ${kinds.map((k) => `${k} ${total(k)}`).join('; ')}.`,
      categories: [...kinds],
      series: severitySeries(SEVERITIES, (s) => kinds.map((kind) => counts.get(kind)?.[s] ?? 0)),
      horizontal: true,
      valueLabel: 'open findings',
    };
    return withTable(
      chart,
      ['Credential kind', ...SEVERITIES],
      'Counts open findings (waived ones are not counted) by the credential they are about: console passwords, access keys and signing certificates from the credential report; service-specific credentials by service, SSH public keys, server certificates and the account password policy from a live scan of a pack that reads them. Kinds without an open finding are not shown; a finding about a user or root as a whole (MFA, recovery path) counts under principals.',
    );
  }
}

/** The charts of a whole result (tests, small results): its accounts added one by one. */
export function reportCharts(result: ScanResult): ChartWithTable[] {
  const counters = new ChartCounters();
  for (const slice of sliceResult(result).slices) counters.add(slice);
  return counters.charts(result.rules);
}
