import type { Finding, RuleSummary, ScanResult, Severity } from '../../model/index.js';
import { FRAMEWORKS } from '../../model/index.js';
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
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. Every effective
 * rule is described in `tool.driver.rules`; each open or waived finding becomes a
 * result located at its rule file (line 1) with the principal ARN as a logical
 * location. Waived findings carry an accepted external suppression.
 */
export function formatSarif(result: ScanResult, context: FormatContext): string {
  const rules = driverRules(result);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'credwarden', version: context.toolVersion, semanticVersion: context.toolVersion, rules: rules.map((r) => describeRule(r, context)) } },
        automationDetails: { id: `credwarden/${result.pack}/` },
        ...(context.sourceRoot ? { originalUriBaseIds: { '%SRCROOT%': { uri: withSlash(context.sourceRoot) } } } : {}),
        results: result.findings.map((f) => toResult(f, index.get(f.ruleId) ?? -1, context)),
        properties: { asOf: result.asOf, pack: result.pack, rulesHash: result.rulesHash, accounts: result.summary.accounts },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** The rules of the result, plus any rule that only appears in a finding (merged or old results). */
function driverRules(result: ScanResult): RuleSummary[] {
  const rules = [...(result.rules ?? [])];
  for (const f of result.findings) {
    if (rules.some((r) => r.id === f.ruleId)) continue;
    rules.push({ id: f.ruleId, title: f.title, severity: f.severity, parameters: {}, frameworks: f.frameworks, status: 'failed', evaluatedAccounts: 0, notEvaluated: [] });
  }
  return rules;
}

function describeRule(rule: RuleSummary, context: FormatContext): Json {
  const description = rule.description ?? rule.title;
  const controls = FRAMEWORKS.flatMap((fw) => rule.frameworks[fw].map((id) => `${fw}:${id}`));
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: description },
    ...(rule.docs ? { helpUri: rule.docs } : {}),
    help: { text: `${description}${rule.docs ? `\n\nSee ${rule.docs}` : ''}` },
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
    properties: {
      tags: ['security', 'iam', 'credentials', ...controls],
      precision: 'very-high',
      ...(rule.severity !== 'info' ? { 'security-severity': SECURITY_SEVERITY[rule.severity] } : {}),
      parameters: rule.parameters,
      source: ruleFile(rule.id, context, rule.source),
    },
  };
}

function toResult(finding: Finding, ruleIndex: number, context: FormatContext): Json {
  return {
    ruleId: finding.ruleId,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: SARIF_LEVEL[finding.severity],
    message: { text: `${finding.message} [${finding.principal.arn}]` },
    locations: [
      {
        physicalLocation: { artifactLocation: artifact(ruleFile(finding.ruleId, context)), region: { startLine: 1 } },
        logicalLocations: [{ name: finding.principal.name, fullyQualifiedName: finding.principal.arn, kind: 'resource' }],
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    ...(finding.baseline ? { baselineState: finding.baseline === 'new' ? 'new' : 'unchanged' } : {}),
    ...(finding.status === 'waived' && finding.waiver
      ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `${finding.waiver.reason} (expires ${finding.waiver.expires})` }] }
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

function artifact(path: string): Json {
  if (path.startsWith('/')) return { uri: `file://${encodeURI(path)}` };
  return { uri: encodeURI(path), uriBaseId: '%SRCROOT%' };
}

function withSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}

function pascalCase(id: string): string {
  return id.split('-').map((w) => `${w[0]?.toUpperCase() ?? ''}${w.slice(1)}`).join('');
}

/** SARIF 2.1.0 for GitHub code scanning. */
export const sarifFormatter: FormatterEntry = {
  name: 'sarif',
  description: 'SARIF 2.1.0 for GitHub code scanning',
  extension: 'sarif',
  format: formatSarif,
};
