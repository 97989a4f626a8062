/**
 * The charts of the HTML report, computed from the result alone: open findings by account
 * and severity, access-key ages, unused credentials by age, users with and without a
 * recovery path, and open findings by credential kind. Each comes with the rows of a table
 * that says the same thing in text.
 * The result holds findings, not every credential: the key-age and unused charts count the
 * credentials that have a finding, and say so.
 */
import type { Finding, ScanResult, Severity } from '../../../model/index.js';
import { SEVERITIES } from '../../../model/index.js';
import { barChartSvg, PALETTE, type BarChart } from '../../charts/svg.js';
import { severitySeries } from '../../charts/severity.js';

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

function accountLabel(result: ScanResult, id: string): string {
  const name = result.accounts.find((a) => a.id === id)?.name;
  return name ? `${name} (${id})` : id;
}

function withTable(chart: BarChart, head: string[], note: string): ChartWithTable {
  const rows = chart.categories.map((category, i) => [category, ...chart.series.map((s) => s.values[i] ?? 0)]);
  return { id: chart.id, title: chart.title, svg: barChartSvg(chart), table: { head, rows }, note };
}

/** Open findings by account and severity: the accounts with the most open findings. */
function byAccount(result: ScanResult): ChartWithTable {
  const counts = new Map<string, Record<Severity, number>>();
  for (const f of result.findings) {
    if (f.status !== 'open') continue;
    const row = counts.get(f.accountId) ?? (Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>);
    row[f.severity] += 1;
    counts.set(f.accountId, row);
  }
  const total = (row: Record<Severity, number>) => SEVERITIES.reduce((n, s) => n + row[s], 0);
  const top = [...counts.entries()].sort((a, b) => total(b[1]) - total(a[1]) || a[0].localeCompare(b[0])).slice(0, TOP_ACCOUNTS);
  const chart: BarChart = {
    id: 'chart-accounts',
    title: 'Open findings by account and severity',
    description:
      top.length === 0
        ? 'No open findings.'
        : `The ${top.length} accounts with the most open findings: ${top.map(([id, row]) => `${accountLabel(result, id)} ${total(row)}`).join('; ')}.`,
    categories: top.map(([id]) => accountLabel(result, id)),
    series: severitySeries(SEVERITIES, (s) => top.map(([, row]) => row[s])),
    horizontal: true,
    valueLabel: 'open findings',
  };
  const more = counts.size - top.length;
  return withTable(
    chart,
    ['Account', ...SEVERITIES],
    `Counts open findings (waived ones are not counted) per account, stacked by severity. ${counts.size} accounts have open findings${more > 0 ? `; the ${top.length} with the most are shown, ${more} more are in the findings table` : ''}.`,
  );
}

/** One value per credential (account, principal, slot): several findings may describe it. */
function perCredential(findings: readonly Finding[], read: (f: Finding) => number | undefined): { finding: Finding; value: number }[] {
  const out = new Map<string, { finding: Finding; value: number }>();
  for (const f of findings) {
    const value = read(f);
    if (value === undefined) continue;
    const key = `${f.accountId}|${f.principal.arn}|${f.credential ?? ''}`;
    const seen = out.get(key);
    if (!seen || value > seen.value) out.set(key, { finding: f, value });
  }
  return [...out.values()];
}

function numberEvidence(f: Finding, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const value = f.evidence[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

const AGE_BUCKETS = [30, 60, 90, 180, 365, 730];

function bucketLabels(edges: readonly number[]): string[] {
  return [...edges.map((edge, i) => `${i === 0 ? 0 : edges[i - 1]}–${edge} d`), `> ${edges[edges.length - 1]} d`];
}

function bucketOf(value: number, edges: readonly number[]): number {
  const i = edges.findIndex((edge) => value <= edge);
  return i === -1 ? edges.length : i;
}

/**
 * Access keys by age (evidence `key.ageDays`), with the rotation threshold: the `maxAgeDays`
 * parameter of the rules whose findings report key ages.
 */
function keyAges(result: ScanResult): ChartWithTable {
  const keys = perCredential(result.findings, (f) =>
    f.credential?.startsWith('access_key') ? numberEvidence(f, ['key.ageDays']) : undefined,
  );
  const ruleIds = new Set(result.findings.filter((f) => numberEvidence(f, ['key.ageDays']) !== undefined).map((f) => f.ruleId));
  const thresholds = (result.rules ?? [])
    .filter((r) => ruleIds.has(r.id))
    .map((r) => r.parameters.maxAgeDays)
    .filter((v): v is number => typeof v === 'number');
  const threshold = thresholds.length > 0 ? Math.min(...thresholds) : undefined;
  const edges =
    threshold !== undefined && !AGE_BUCKETS.includes(threshold) ? [...AGE_BUCKETS, threshold].sort((a, b) => a - b) : AGE_BUCKETS;
  const labels = bucketLabels(edges);
  const active = labels.map(() => 0);
  const inactive = labels.map(() => 0);
  for (const { finding, value } of keys) {
    const target = finding.evidence['key.active'] === false ? inactive : active;
    target[bucketOf(value, edges)] = (target[bucketOf(value, edges)] ?? 0) + 1;
  }
  const chart: BarChart = {
    id: 'chart-key-ages',
    title: 'Access keys with a finding, by age',
    description: `${keys.length} access keys that have at least one finding reporting their age, by days since creation or last rotation${threshold !== undefined ? `; the rotation threshold is ${threshold} days` : ''}. ${labels.map((l, i) => `${l}: ${(active[i] ?? 0) + (inactive[i] ?? 0)}`).join('; ')}.`,
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

const UNUSED_BUCKETS = [45, 90, 180, 365];

/** Credentials by time since last use (evidence `*.daysSinceLastActivity`), passwords and keys apart. */
function unused(result: ScanResult): ChartWithTable {
  const credentials = perCredential(result.findings, (f) =>
    numberEvidence(f, ['credential.daysSinceLastActivity', 'key.daysSinceLastActivity', 'password.daysSinceLastActivity']),
  );
  const labels = bucketLabels(UNUSED_BUCKETS);
  const passwords = labels.map(() => 0);
  const keys = labels.map(() => 0);
  const others = labels.map(() => 0);
  for (const { finding, value } of credentials) {
    const target = finding.credential === 'password' ? passwords : finding.credential?.startsWith('access_key') ? keys : others;
    const i = bucketOf(value, UNUSED_BUCKETS);
    target[i] = (target[i] ?? 0) + 1;
  }
  const chart: BarChart = {
    id: 'chart-unused',
    title: 'Credentials with a finding about their last use, by days unused',
    description: `${credentials.length} credentials with a finding about their last use, by days since last activity. ${labels.map((l, i) => `${l}: ${(passwords[i] ?? 0) + (keys[i] ?? 0) + (others[i] ?? 0)}`).join('; ')}.`,
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

/**
 * Users with and without a recovery path. An account is analysed when its facts carry the
 * recovery analysis (a live scan); a user lacks a path when a finding reports a recovery
 * `hasPath` of false for one of their credentials. Users of accounts that were not analysed are
 * counted as such, never as having a path.
 */
function recovery(result: ScanResult): ChartWithTable {
  const without = new Map<string, Set<string>>();
  for (const f of result.findings) {
    if (f.principal.type !== 'user') continue;
    const noPath = Object.entries(f.evidence).some(
      ([key, value]) => key.startsWith('facts.recovery.') && key.endsWith('.hasPath') && value === false,
    );
    if (noPath) without.set(f.accountId, (without.get(f.accountId) ?? new Set()).add(f.principal.arn));
  }
  const scanned = result.accounts.filter((a) => a.status === 'scanned');
  const rows = scanned.map((a) => {
    const users = Math.max(0, (a.principals ?? 0) - 1);
    const analysed = a.facts !== undefined && typeof a.facts.recovery === 'object' && a.facts.recovery !== null;
    const lacking = analysed ? Math.min(users, without.get(a.id)?.size ?? 0) : 0;
    return { label: accountLabel(result, a.id), withPath: analysed ? users - lacking : 0, lacking, notAnalysed: analysed ? 0 : users };
  });
  const all = rows.reduce(
    (t, r) => ({ withPath: t.withPath + r.withPath, lacking: t.lacking + r.lacking, notAnalysed: t.notAnalysed + r.notAnalysed }),
    { withPath: 0, lacking: 0, notAnalysed: 0 },
  );
  const shown = [
    { label: 'All accounts', ...all },
    ...rows.sort((a, b) => b.lacking - a.lacking || a.label.localeCompare(b.label)).slice(0, TOP_ACCOUNTS),
  ];
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

/** Open findings by the kind of credential they are about, stacked by severity: every kind IAM issues. */
function byCredentialKind(result: ScanResult): ChartWithTable {
  const counts = new Map<string, Record<Severity, number>>();
  for (const f of result.findings) {
    if (f.status !== 'open') continue;
    const kind = credentialKind(f);
    const row = counts.get(kind) ?? (Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>);
    row[f.severity] += 1;
    counts.set(kind, row);
  }
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

/** The report's charts, in the order the report shows them. */
export function reportCharts(result: ScanResult): ChartWithTable[] {
  return [byAccount(result), keyAges(result), unused(result), recovery(result), byCredentialKind(result)];
}
