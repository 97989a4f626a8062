/**
 * What `credwarden publish securityhub` sends, decided without any AWS call: per account, the
 * findings to import (current ones ACTIVE, resolved ones ARCHIVED), in batches Security Hub
 * accepts, and the BatchUpdateFindings that record waivers in the finding workflow.
 */
import type { AwsSecurityFinding, AwsSecurityFindingIdentifier } from '@aws-sdk/client-securityhub';
import type { Finding, ScanResult } from '../../model/index.js';
import { asffContext, toAsff, waiverNote, asffId, defaultProductArn, partitionOfArn } from './asff.js';
import { ASFF_LIMITS, clip } from './limits.js';

/** One BatchUpdateFindings request: the same workflow status and note for up to 100 findings. */
export interface WorkflowUpdate {
  status: 'SUPPRESSED' | 'NEW';
  note: string;
  identifiers: AwsSecurityFindingIdentifier[];
}

/** A finding credwarden will not send, and why. */
export interface RejectedFinding {
  Id: string;
  reason: string;
}

/** Everything to publish in one account. */
export interface AccountPublication {
  accountId: string;
  /** Partition of the account's ARNs (for the role ARN). */
  partition: string;
  /** BatchImportFindings requests, each within the API's limits. */
  batches: AwsSecurityFinding[][];
  /** How many findings are imported ACTIVE, and how many ARCHIVED (resolved). */
  active: number;
  archived: number;
  /** BatchUpdateFindings requests: suppress waived findings, reopen findings whose waiver ended. */
  updates: WorkflowUpdate[];
  /** Findings too large for Security Hub even after clipping (never sent). */
  rejected: RejectedFinding[];
}

/** Inputs of {@link planPublication}. */
export interface PublicationOptions {
  region: string;
  toolVersion: string;
  /** An earlier result: its findings that are gone now are archived, and ended waivers reopened. */
  baseline?: ScanResult;
  /** Only these accounts (default: every account with something to publish). */
  accounts?: readonly string[];
}

/** Splits findings into BatchImportFindings requests: at most 100 findings and 6 MB each. */
export function batchFindings(findings: readonly AwsSecurityFinding[]): { batches: AwsSecurityFinding[][]; rejected: RejectedFinding[] } {
  const batches: AwsSecurityFinding[][] = [];
  const rejected: RejectedFinding[] = [];
  let current: AwsSecurityFinding[] = [];
  let bytes = 0;
  // The envelope `{"Findings":[...]}` and the commas between findings.
  const overhead = 16;
  for (const finding of findings) {
    const size = utf8Length(JSON.stringify(finding));
    if (size > ASFF_LIMITS.findingBytes) {
      rejected.push({
        Id: finding.Id ?? '',
        reason: `the finding is ${size} bytes; Security Hub accepts at most ${ASFF_LIMITS.findingBytes}`,
      });
      continue;
    }
    if (current.length === ASFF_LIMITS.findingsPerBatch || bytes + size + 1 + overhead > ASFF_LIMITS.batchBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(finding);
    bytes += size + 1;
  }
  if (current.length > 0) batches.push(current);
  return { batches, rejected };
}

/** Bytes of a string in UTF-8, without an encoder (the core has no Buffer). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function identifier(finding: Finding, region: string): AwsSecurityFindingIdentifier {
  return {
    Id: clip(asffId(finding), ASFF_LIMITS.id),
    ProductArn: defaultProductArn(partitionOfArn(finding.principal.arn), region, finding.accountId),
  };
}

/** BatchUpdateFindings requests, grouping findings that share the same note, 100 at a time. */
function workflowUpdates(
  status: WorkflowUpdate['status'],
  findings: readonly Finding[],
  noteOf: (f: Finding) => string,
  region: string,
): WorkflowUpdate[] {
  const byNote = new Map<string, AwsSecurityFindingIdentifier[]>();
  for (const finding of findings) {
    const note = noteOf(finding);
    const list = byNote.get(note) ?? [];
    list.push(identifier(finding, region));
    byNote.set(note, list);
  }
  const updates: WorkflowUpdate[] = [];
  for (const [note, identifiers] of byNote) {
    for (let i = 0; i < identifiers.length; i += ASFF_LIMITS.findingsPerBatch) {
      updates.push({ status, note, identifiers: identifiers.slice(i, i + ASFF_LIMITS.findingsPerBatch) });
    }
  }
  return updates;
}

/**
 * Findings of the baseline that are gone now: the result's own `resolved` list (a scan run with
 * --baseline) and, with `baseline`, the baseline's findings absent from the result in accounts
 * the result scanned (an account that was not scanned resolves nothing).
 */
export function resolvedFindings(result: ScanResult, baseline: ScanResult | undefined): Finding[] {
  const current = new Set(result.findings.map((f) => f.fingerprint));
  const scanned = new Set(result.accounts.filter((a) => a.status === 'scanned').map((a) => a.id));
  const resolved = new Map<string, Finding>();
  for (const f of result.resolved ?? []) resolved.set(f.fingerprint, f);
  for (const f of baseline?.findings ?? []) if (!current.has(f.fingerprint) && scanned.has(f.accountId)) resolved.set(f.fingerprint, f);
  return [...resolved.values()];
}

function reopenNote(previous: Finding): string {
  const id = previous.waiver?.id ?? 'unknown';
  return clip(`credwarden waiver ${id} no longer applies (expired or removed): the finding is open again.`, ASFF_LIMITS.noteText);
}

/** The publication, account by account (accounts in id order). */
export function planPublication(result: ScanResult, options: PublicationOptions): AccountPublication[] {
  const context = asffContext(result, options.region, options.toolVersion);
  const only = options.accounts ? new Set(options.accounts) : undefined;
  const baselineWaived = new Map((options.baseline?.findings ?? []).filter((f) => f.status === 'waived').map((f) => [f.fingerprint, f]));
  const byAccount = new Map<string, { active: Finding[]; archived: Finding[] }>();
  const slot = (accountId: string) => {
    let entry = byAccount.get(accountId);
    if (entry === undefined) byAccount.set(accountId, (entry = { active: [], archived: [] }));
    return entry;
  };
  for (const f of result.findings) if (!only || only.has(f.accountId)) slot(f.accountId).active.push(f);
  for (const f of resolvedFindings(result, options.baseline)) if (!only || only.has(f.accountId)) slot(f.accountId).archived.push(f);
  return [...byAccount.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([accountId, { active, archived }]) => {
      const records = [...active.map((f) => toAsff(f, context)), ...archived.map((f) => toAsff(f, context, 'ARCHIVED'))];
      const { batches, rejected } = batchFindings(records);
      const waived = active.filter((f) => f.status === 'waived');
      const reopened = active.filter((f) => f.status === 'open' && baselineWaived.has(f.fingerprint));
      const first = active[0] ?? archived[0];
      return {
        accountId,
        partition: first ? partitionOfArn(first.principal.arn) : 'aws',
        batches,
        active: active.length,
        archived: archived.length,
        updates: [
          ...workflowUpdates('SUPPRESSED', waived, waiverNote, options.region),
          ...workflowUpdates('NEW', reopened, (f) => reopenNote(baselineWaived.get(f.fingerprint) ?? f), options.region),
        ],
        rejected,
      };
    });
}
