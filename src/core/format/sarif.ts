import type { Finding, RuleSummary, ScanResult, Severity } from '../../model/index.js';
import { FRAMEWORKS, SEVERITIES } from '../../model/index.js';
import { controls, REASONS_SHOWN, reasonsText, undecided, caveated, statusDetail } from './controls.js';
import { STATUS_LABEL } from './status.js';
import { visibleControls } from '../util/escape.js';
import { jsonChunks, LazyArray } from './json-stream.js';
import type { FormatContext, FormatterEntry } from './types.js';

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
  /** Indexes into result.findings, in their original order. */
  included: number[];
  /** Findings left out, by severity. */
  omitted: Record<Severity, number>;
  omittedTotal: number;
}

/**
 * Chooses the findings that fit GitHub's limits: open findings before waived ones,
 * most severe first, until the result count or byte budget is reached. Pure and
 * deterministic, so the CLI's warning and the file agree.
 */
export function selectSarifResults(result: ScanResult, context: FormatContext, limits = SARIF_LIMITS): SarifSelection {
  const omitted = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const findings = result.findings;
  // A result is a few KiB at most: small sets cannot reach the budget, so skip measuring them.
  if (findings.length <= 1000 && findings.length <= limits.resultsPerRun) {
    return { included: findings.map((_, i) => i), omitted, omittedTotal: 0 };
  }
  const priority = (f: Finding) => (f.status === 'open' ? 0 : SEVERITIES.length) + SEVERITIES.indexOf(f.severity);
  const order = findings.map((_, i) => i).sort((a, b) => priority(findings[a] as Finding) - priority(findings[b] as Finding) || a - b);
  const included: number[] = [];
  let bytes = 0;
  for (const i of order) {
    const finding = findings[i] as Finding;
    const size = included.length < limits.resultsPerRun ? JSON.stringify(toResult(finding, 0, context)).length : Infinity;
    if (bytes + size > limits.resultBytes) {
      omitted[finding.severity]++;
      continue;
    }
    bytes += size;
    included.push(i);
  }
  const omittedTotal = findings.length - included.length;
  return { included: included.sort((a, b) => a - b), omitted, omittedTotal };
}

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. Every effective
 * rule is described in `tool.driver.rules`; each open or waived finding becomes a
 * result located at its rule file (line 1) with the principal ARN as a logical
 * location. Waived findings carry an accepted external suppression. The
 * invocation says whether every account was scanned, and its notifications list
 * failed accounts and rules that were not evaluated everywhere. Results beyond
 * GitHub's limits are left out (see {@link selectSarifResults}) and counted in the
 * run's properties. Written result by result.
 */
export function formatSarif(result: ScanResult, context: FormatContext): Iterable<string> {
  const rules = driverRules(result);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const selection = selectSarifResults(result, context);
  const results = new LazyArray(function* () {
    for (const i of selection.included) {
      const finding = result.findings[i] as Finding;
      yield toResult(finding, index.get(finding.ruleId) ?? -1, context);
    }
  });
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
        invocations: [invocation(result, index)],
        automationDetails: { id: `credwarden/${result.pack}/` },
        ...(context.sourceRoot ? { originalUriBaseIds: { '%SRCROOT%': { uri: withSlash(context.sourceRoot) } } } : {}),
        results,
        properties: {
          asOf: result.asOf,
          pack: result.pack,
          rulesHash: result.rulesHash,
          accounts: result.summary.accounts,
          findings: result.findings.length,
          resultsOmitted: selection.omittedTotal,
          ...(result.notes && result.notes.length > 0 ? { notes: result.notes } : {}),
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
  return jsonChunks(log);
}

/**
 * The run's invocation: unsuccessful when an account could not be scanned, with
 * one notification per failed account and per rule not evaluated everywhere.
 */
function invocation(result: ScanResult, ruleIndex: ReadonlyMap<string, number>): Json {
  const failed = result.accounts.filter((a) => a.status === 'failed');
  const notifications: Json[] = failed.map((a) => ({
    level: 'error',
    message: { text: shown(`account ${a.id}${a.name ? ` (${a.name})` : ''} could not be scanned: ${a.reason ?? 'no reason given'}`) },
    descriptor: { id: 'account-failed' },
    properties: { accountId: a.id },
  }));
  for (const control of undecided(controls(result))) {
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
  for (const control of caveated(controls(result))) {
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
function driverRules(result: ScanResult): RuleSummary[] {
  const rules = [...(result.rules ?? [])];
  for (const f of result.findings) {
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
export const sarifFormatter: FormatterEntry = {
  name: 'sarif',
  description: 'SARIF 2.1.0 for GitHub code scanning',
  extension: 'sarif',
  infersFrom: ['sarif'],
  format: formatSarif,
};
