import type { AccountResult, Finding, RuleSummary, ScanResult, Severity } from '../../model/index.js';
import { FRAMEWORKS, SEVERITIES, severityRank } from '../../model/index.js';
import {
  caveated,
  controlsFrom,
  countFinding,
  countsState,
  REASONS_SHOWN,
  reasonsText,
  statusDetail,
  undecided,
  type Control,
  type RuleCounts,
} from './controls.js';
import { compareFindings } from '../engine/result.js';
import type { RunHeader } from '../pipeline/types.js';
import { TopN } from './top.js';
import { STATUS_LABEL } from './status.js';
import { visibleControls } from '../util/escape.js';
import { jsonChunks, LazyArray, RawJson } from './json-stream.js';
import { defineFormatter, type FormatContext, type FormatterEntry, type ReportSink } from './types.js';

/** SARIF levels by severity: GitHub shows `error` and `warning` as alerts that need attention. */
export const SARIF_LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * GitHub code scanning derives its severity from `security-severity` (a CVSS-like
 * score): >= 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
 */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Key of the partial fingerprint; bump the version if the fingerprint recipe ever changes. */
export const FINGERPRINT_KEY = 'credwardenFinding/v1';

type Json = Record<string, unknown>;

/**
 * GitHub code scanning's hard limits on an upload: at most 25,000 results per run
 * (it shows 5,000) and 10 MB of gzipped SARIF. credwarden writes one run per file
 * (GitHub allows 20). The byte budget bounds the results' JSON before
 * compression; results repeat most of their text, so it stays far below 10 MB
 * gzipped (measured in docs/reports.md).
 */
export const SARIF_LIMITS = { resultsPerRun: 25_000, resultBytes: 60 * 1024 * 1024 } as const;

/** Which findings become SARIF results, and what was left out. */
export interface SarifSelection {
  /** The findings kept, in the result's order (account, principal, …). */
  included: Finding[];
  /** Each kept finding's result, rendered once (`included`'s order). */
  results: RawJson[];
  /** Findings left out, by severity. */
  omitted: Record<Severity, number>;
  omittedTotal: number;
}

/** Open before waived, most severe first, then the result's order: a total order. */
function comparePriority(a: Finding, b: Finding): number {
  const priority = (f: Finding) => (f.status === 'open' ? 0 : SEVERITIES.length) + severityRank(f.severity);
  return priority(a) - priority(b) || compareFindings(a, b) || a.fingerprint.localeCompare(b.fingerprint);
}

/** What a {@link SarifResults} kept, as data. */
interface SarifSaved {
  top: Finding[];
  seen: Record<Severity, number>;
  total: number;
}

/**
 * Chooses the findings that fit GitHub's limits, as they stream by: open findings before
 * waived ones, most severe first, until the result count or byte budget is reached. A
 * bounded heap keeps at most twice the result limit; the choice is a total order, so it
 * never depends on the order accounts arrive in.
 */
class SarifResults {
  private readonly top: TopN<Finding>;
  private readonly seen = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  private total = 0;

  constructor(
    private readonly context: FormatContext,
    private readonly limits = SARIF_LIMITS,
  ) {
    this.top = new TopN(limits.resultsPerRun, comparePriority);
  }

  add(finding: Finding): void {
    this.total++;
    this.seen[finding.severity]++;
    this.top.add(finding);
  }

  /** What this instance kept, for another to absorb (see SinkState). */
  save(): SarifSaved {
    return { top: this.top.sorted(), seen: this.seen, total: this.total };
  }

  /** Adds another instance's findings: the heap keeps its total order, the counts add up. */
  absorb(other: SarifSaved): void {
    for (const finding of other.top) this.top.add(finding);
    for (const s of SEVERITIES) this.seen[s] += other.seen[s];
    this.total += other.total;
  }

  /**
   * The kept findings that fit the byte budget, each rendered once. The budget counts a result's
   * compact JSON at rule index 0; its pretty text is never shorter than that compact JSON, save for
   * `"ruleIndex":0,` (14 characters) when it has no index. So when those bounds fit the budget
   * together, every result fits and none is measured (the case at GitHub's 25,000 results).
   */
  select(ruleIndex: ReadonlyMap<string, number>): SarifSelection {
    const omitted = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    const kept = this.top.sorted().map((finding) => {
      const index = ruleIndex.get(finding.ruleId) ?? -1;
      return { finding, result: RawJson.of(toResult(finding, index, this.context), RESULT_DEPTH), noIndex: index < 0 };
    });
    const bound = kept.reduce((sum, k) => sum + k.result.text.length + (k.noIndex ? NO_INDEX_BYTES : 0), 0);
    // A result is a few KiB at most: small sets cannot reach the budget, so skip measuring them.
    const measure = this.total > 1000 && bound > this.limits.resultBytes;
    const included: typeof kept = [];
    let bytes = 0;
    for (const k of kept) {
      const size = measure ? JSON.stringify(toResult(k.finding, 0, this.context)).length : 0;
      if (bytes + size > this.limits.resultBytes) continue;
      bytes += size;
      included.push(k);
    }
    const counted = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    for (const k of included) counted[k.finding.severity]++;
    for (const s of SEVERITIES) omitted[s] = this.seen[s] - counted[s];
    included.sort((a, b) => compareFindings(a.finding, b.finding));
    return {
      included: included.map((k) => k.finding),
      results: included.map((k) => k.result),
      omitted,
      omittedTotal: this.total - included.length,
    };
  }
}

/** How deep a result is placed in the log (`runs[0].results[i]`): its text is made indented for it. */
const RESULT_DEPTH = 4;

/** `"ruleIndex":0,`: what a result without a rule index lacks of the compact JSON the byte budget counts. */
const NO_INDEX_BYTES = '"ruleIndex":0,'.length;

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. Every effective
 * rule is described in `tool.driver.rules`; each open or waived finding becomes a
 * result located at its rule file (line 1) with the principal ARN as a logical
 * location. Waived findings carry an accepted external suppression. The
 * invocation says whether every account was scanned, and its notifications list
 * failed accounts and rules that were not evaluated everywhere. Results beyond
 * GitHub's limits are left out (see {@link SarifResults}) and counted in the
 * run's properties. Written result by result.
 */
export function formatSarif(result: ScanResult, context: FormatContext): Iterable<string> {
  return sarifFormatter.format(result, context);
}

/** The SARIF sink: findings go into a bounded heap; the log is written at the end. */
function openSarif(header: RunHeader, context: FormatContext): ReportSink {
  const results = new SarifResults(context);
  const counts: RuleCounts = new Map();
  const failed: AccountResult[] = [];
  return {
    account(slice) {
      if (slice.account?.status === 'failed') failed.push(slice.account);
      for (const finding of slice.findings) {
        results.add(finding);
        countFinding(counts, finding);
      }
      return [];
    },
    end(tallies) {
      const rules = driverRules(tallies.rules, counts);
      const index = new Map(rules.map((r, i) => [r.id, i]));
      const selection = results.select(index);
      const log = {
        $schema: SARIF_SCHEMA,
        version: '2.1.0',
        runs: [
          {
            tool: {
              driver: {
                name: 'credwarden',
                version: context.toolVersion,
                semanticVersion: context.toolVersion,
                rules: rules.map((r) => describeRule(r, context)),
              },
            },
            invocations: [
              invocation(
                failed.sort((a, b) => a.id.localeCompare(b.id)),
                controlsFrom(tallies.rules, counts),
                index,
              ),
            ],
            automationDetails: { id: `credwarden/${header.pack}/` },
            ...(context.sourceRoot ? { originalUriBaseIds: { '%SRCROOT%': { uri: withSlash(context.sourceRoot) } } } : {}),
            results: new LazyArray(() => selection.results),
            properties: {
              asOf: header.asOf,
              pack: header.pack,
              rulesHash: header.rulesHash,
              accounts: tallies.summary.accounts,
              findings: tallies.summary.total,
              resultsOmitted: selection.omittedTotal,
              ...(header.notes.length > 0 ? { notes: header.notes } : {}),
              ...(selection.omittedTotal > 0
                ? {
                    resultsOmittedBySeverity: selection.omitted,
                    resultsOmittedWhy: `GitHub code scanning accepts at most ${SARIF_LIMITS.resultsPerRun} results per run and 10 MB gzipped; the most severe open findings were kept. Read every finding in the JSON or CSV report.`,
                  }
                : {}),
            },
          },
        ],
      };
      return { head: jsonChunks(log), warnings: omissionWarnings(selection, tallies.summary.total) };
    },
    state: {
      save: () => ({ results: results.save(), counts, failed }),
      absorb(saved) {
        const other = saved as { results: SarifSaved; counts: RuleCounts; failed: AccountResult[] };
        results.absorb(other.results);
        countsState(counts).absorb(other.counts);
        failed.push(...other.failed);
      },
    },
  };
}

/**
 * The run's invocation: unsuccessful when an account could not be scanned, with
 * one notification per failed account and per rule not evaluated everywhere.
 */
function invocation(failed: readonly AccountResult[], matrix: readonly Control[], ruleIndex: ReadonlyMap<string, number>): Json {
  const notifications: Json[] = failed.map((a) => ({
    level: 'error',
    message: { text: shown(`account ${a.id}${a.name ? ` (${a.name})` : ''} could not be scanned: ${a.reason ?? 'no reason given'}`) },
    descriptor: { id: 'account-failed' },
    properties: { accountId: a.id },
  }));
  for (const control of undecided(matrix)) {
    const n = control.notEvaluated.length;
    const text = `rule ${control.id} ${STATUS_LABEL[control.status]}: not evaluated in ${n} account${n === 1 ? '' : 's'}: ${reasonsText(control, REASONS_SHOWN)}`;
    const index = ruleIndex.get(control.id);
    notifications.push({
      level: 'warning',
      message: { text: shown(text) },
      descriptor: { id: 'rule-not-evaluated' },
      associatedRule: { id: control.id, ...(index !== undefined ? { index } : {}) },
      properties: { status: control.status, notEvaluated: control.notEvaluated },
    });
  }
  for (const control of caveated(matrix)) {
    const index = ruleIndex.get(control.id);
    notifications.push({
      level: 'warning',
      message: { text: `rule ${control.id} ${STATUS_LABEL[control.status]}, not passed: ${statusDetail(control)}` },
      descriptor: { id: 'rule-not-passed' },
      associatedRule: { id: control.id, ...(index !== undefined ? { index } : {}) },
      properties: { status: control.status },
    });
  }
  return { executionSuccessful: failed.length === 0, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) };
}

/** The rules of the result, plus any rule that only appears in a finding (merged or old results). */
function driverRules(known: readonly RuleSummary[], counts: RuleCounts): RuleSummary[] {
  const rules = [...known];
  for (const { sample: f } of counts.values()) {
    if (rules.some((r) => r.id === f.ruleId)) continue;
    rules.push({
      id: f.ruleId,
      title: f.title,
      severity: f.severity,
      parameters: {},
      frameworks: f.frameworks,
      status: 'failed',
      evaluatedAccounts: 0,
      notEvaluated: [],
    });
  }
  return rules;
}

function describeRule(rule: RuleSummary, context: FormatContext): Json {
  const description = rule.description ?? rule.title;
  const helpUri = httpsUrl(rule.docs);
  const controls = FRAMEWORKS.flatMap((fw) => rule.frameworks[fw].map((id) => `${fw}:${id}`));
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: description },
    ...(helpUri ? { helpUri } : {}),
    help: { text: `${description}${helpUri ? `\n\nSee ${helpUri}` : ''}` },
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
    properties: {
      tags: ['security', 'iam', 'credentials', ...controls],
      precision: 'very-high',
      ...(rule.severity !== 'info' ? { 'security-severity': SECURITY_SEVERITY[rule.severity] } : {}),
      parameters: rule.parameters,
      source: sourceShown(ruleFile(rule.id, context, rule.source)),
    },
  };
}

function toResult(finding: Finding, ruleIndex: number, context: FormatContext): Json {
  return {
    ruleId: finding.ruleId,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: SARIF_LEVEL[finding.severity],
    message: { text: shown(`${finding.message} [${finding.principal.arn}]`) },
    locations: [
      {
        physicalLocation: { artifactLocation: artifact(ruleFile(finding.ruleId, context)), region: { startLine: 1 } },
        logicalLocations: [{ name: shown(finding.principal.name), fullyQualifiedName: shown(finding.principal.arn), kind: 'resource' }],
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    ...(finding.baseline ? { baselineState: finding.baseline === 'new' ? 'new' : 'unchanged' } : {}),
    ...(finding.status === 'waived' && finding.waiver
      ? {
          suppressions: [
            { kind: 'external', status: 'accepted', justification: `${finding.waiver.reason} (expires ${finding.waiver.expires})` },
          ],
        }
      : {}),
    properties: {
      severity: finding.severity,
      accountId: finding.accountId,
      accountName: finding.accountName ?? null,
      principal: finding.principal,
      credential: finding.credential,
      status: finding.status,
      evidence: finding.evidence,
      frameworks: finding.frameworks,
      remediation: finding.remediation.procedure,
    },
  };
}

/** The rule's file, relative to the repository, so code scanning can show a location. */
function ruleFile(ruleId: string, context: FormatContext, fallback?: string): string {
  return (context.ruleSources?.[ruleId] ?? fallback ?? `rules/${ruleId}.yaml`).replace(/\\/g, '/');
}

/**
 * A rule file's location for code scanning: relative to the repository. A file outside it
 * (an absolute path) is named by its file name alone: the SARIF file is shared and uploaded,
 * and an absolute path would disclose the scanning machine's folders.
 */
function artifact(path: string): Json {
  if (isAbsolutePath(path)) return { uri: encodeURI(path.slice(path.lastIndexOf('/') + 1)) };
  return { uri: encodeURI(path), uriBaseId: '%SRCROOT%' };
}

function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:\//.test(path);
}

/** A rule's docs link as SARIF may show it: https only (a `javascript:` or `file:` link is dropped). */
function httpsUrl(docs: string | undefined): string | undefined {
  if (docs === undefined) return undefined;
  try {
    return new URL(docs).protocol === 'https:' ? docs : undefined;
  } catch {
    return undefined;
  }
}

/** Text that code scanning shows to people: control and invisible characters as visible escapes. */
function shown(text: string): string {
  return visibleControls(text, true);
}

/** The rule file as the SARIF properties name it: never an absolute path of the scanning machine. */
function sourceShown(path: string): string {
  return isAbsolutePath(path) ? path.slice(path.lastIndexOf('/') + 1) : path;
}

function withSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((w) => `${w[0]?.toUpperCase() ?? ''}${w.slice(1)}`)
    .join('');
}

/** SARIF 2.1.0 for GitHub code scanning. */
export const sarifFormatter: FormatterEntry = defineFormatter({
  name: 'sarif',
  description: 'SARIF 2.1.0 for GitHub code scanning',
  extension: 'sarif',
  infersFrom: ['sarif'],
  open: openSarif,
});

/** GitHub rejects SARIF past its limits: say what was left out, and what to do instead. */
function omissionWarnings(selection: SarifSelection, total: number): string[] {
  if (selection.omittedTotal === 0) return [];
  const bySeverity = SEVERITIES.filter((s) => selection.omitted[s] > 0)
    .map((s) => `${selection.omitted[s]} ${s}`)
    .join(', ');
  return [
    `SARIF: ${selection.omittedTotal} of ${total} findings left out (${bySeverity}) to stay within GitHub code scanning's limits (25,000 results per run, 10 MB gzipped); the most severe open findings are kept\n` +
      '  hint: every finding is in the JSON and CSV reports; to upload every finding, shard the scan (--shard K/N, one SARIF category per shard) or report only the more severe findings',
  ];
}
