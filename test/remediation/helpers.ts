import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCatalogue, type Catalogue } from '../../src/core/remediation/index.js';
import { builtInProceduresDir, loadCatalogue } from '../../src/collectors/files/procedures.js';
import type { AccessKey, Account, Credential, Finding, Principal, ScanResult, Snapshot } from '../../src/model/index.js';
import { collectFromFiles } from '../../src/collectors/files/reports.js';
import { loadRuleset } from '../../src/collectors/files/rules.js';
import { evaluateSnapshot } from '../../src/core/engine/result.js';

/** The example organisation, scanned through the real pipeline with the recommended pack. */
export function scanExampleOrg(): { snapshot: Snapshot; result: ScanResult } {
  const { snapshot } = collectFromFiles([join(process.cwd(), 'examples/org')]);
  const loaded = loadRuleset({ rulesDirs: [] });
  const result = evaluateSnapshot(snapshot, loaded.ruleset, { toolVersion: '0.0.0-test' });
  return { snapshot, result };
}

export const AS_OF = '2026-11-01T12:00:00+00:00';
export const ACCOUNT = '123456789012';

/** A finding as the engine would produce it, for a user (default) or root. */
export function finding(
  ruleId: string,
  procedure: string,
  credential: Credential,
  evidence: Record<string, unknown> = {},
  who: { type?: 'root' | 'user'; name?: string } = {},
): Finding {
  const type = who.type ?? 'user';
  const name = who.name ?? (type === 'root' ? '<root_account>' : 'alice');
  const arn = type === 'root' ? `arn:aws:iam::${ACCOUNT}:root` : `arn:aws:iam::${ACCOUNT}:user/${name}`;
  return {
    ruleId,
    title: ruleId,
    severity: 'medium',
    accountId: ACCOUNT,
    accountName: 'test',
    principal: { type, name, arn },
    credential,
    message: `${ruleId} on ${name} ${credential ?? ''}`,
    evidence,
    frameworks: { 'cis-aws-3.0': [], 'cis-aws-5.0': [], 'aws-security-hub': [], 'aws-config': [] },
    remediation: { procedure },
    status: 'open',
    fingerprint: `${ruleId}|${arn}|${credential ?? ''}`,
  };
}

/** A scan result holding `findings` for one account evaluated at AS_OF. */
export function result(findings: Finding[]): ScanResult {
  return {
    schemaVersion: 2,
    tool: { name: 'credwarden', version: '0.0.0-test' },
    asOf: null,
    pack: 'recommended',
    rulesHash: 'x',
    rules: [],
    accounts: [{ id: ACCOUNT, name: 'test', reportGeneratedTime: AS_OF, asOf: AS_OF, status: 'scanned' }],
    summary: {
      total: findings.length,
      open: findings.length,
      waived: 0,
      bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      byRule: {},
      accounts: { scanned: 1, failed: 0, skipped: 0 },
    },
    findings,
    plans: [],
  };
}

/** Evidence of an access key finding: created `ageDays` ago, last used `usedDaysAgo` ago (null = never). */
export function keyEvidence(ageDays: number, usedDaysAgo: number | null, active = true): Record<string, unknown> {
  const at = (days: number) => new Date(Date.parse(AS_OF) - days * 86_400_000).toISOString();
  return {
    'key.active': active,
    'key.lastRotated': at(ageDays),
    'key.ageDays': ageDays,
    'key.lastUsed': usedDaysAgo === null ? null : at(usedDaysAgo),
    'key.lastUsedDaysAgo': usedDaysAgo,
    'key.lastUsedService': usedDaysAgo === null ? null : 's3',
  };
}

/** One access key slot of a snapshot principal: age, last use (null = never), active. */
export interface KeySpec {
  ageDays: number;
  usedDaysAgo: number | null;
  active?: boolean;
  /** The AccessKeyId, when the collector resolved it. */
  id?: string;
}

const daysBefore = (days: number) => new Date(Date.parse(AS_OF) - days * 86_400_000).toISOString();

/** A snapshot account with one IAM user holding the given key slots and facts. */
export function snapshotAccount(name: string, keys: [KeySpec | null, KeySpec | null], facts: Record<string, unknown> = {}): Account {
  const principal: Principal = {
    type: 'user',
    name,
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    createdAt: daysBefore(1000),
    password: { enabled: false, lastUsed: null, lastUsedStatus: 'not_applicable', lastChanged: null, nextRotation: null },
    mfaActive: false,
    accessKeys: [slot(1, keys[0]), slot(2, keys[1])],
    certificates: [
      { slot: 1, active: false, lastRotated: null },
      { slot: 2, active: false, lastRotated: null },
    ],
    facts,
  };
  return { id: ACCOUNT, name: 'test', reportGeneratedTime: AS_OF, principals: [principal] };
}

function slot(n: 1 | 2, spec: KeySpec | null): AccessKey {
  if (spec === null) return { slot: n, active: false, lastRotated: null, lastUsed: null, lastUsedRegion: null, lastUsedService: null };
  return {
    slot: n,
    active: spec.active ?? true,
    lastRotated: daysBefore(spec.ageDays),
    lastUsed: spec.usedDaysAgo === null ? null : daysBefore(spec.usedDaysAgo),
    lastUsedRegion: spec.usedDaysAgo === null ? null : 'eu-west-1',
    lastUsedService: spec.usedDaysAgo === null ? null : 's3',
    ...(spec.id ? { id: spec.id } : {}),
  };
}

/** The built-in catalogue, read from procedures/ as the CLI reads it (no user overrides). */
export function builtInCatalogue(): Catalogue {
  return loadCatalogue([], process.cwd(), false);
}

/** The built-in catalogue with user procedure files on top (text by file name). */
export function catalogueWith(files: Record<string, string>): Catalogue {
  const dir = builtInProceduresDir();
  const read = (folder: string) =>
    readdirSync(folder)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => ({ file: `procedures/${folder === dir ? '' : 'steps/'}${f}`, text: readFileSync(join(folder, f), 'utf8') }));
  return buildCatalogue({
    steps: read(join(dir, 'steps')),
    builtIn: read(dir),
    overrides: Object.entries(files).map(([file, text]) => ({ file, text })),
  });
}
