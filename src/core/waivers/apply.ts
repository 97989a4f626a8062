import type { Finding, ScanResult, WaiverOutcome } from '../../model/index.js';
import { summarise } from '../engine/result.js';
import { withRuleStatuses } from '../engine/coverage.js';
import { waiverMatches } from './match.js';
import type { LoadedWaiver } from './parse.js';

/**
 * Applies waivers to a result at the evaluation time `now` (ISO 8601, passed in:
 * the core never reads the clock). A matched finding stays in the result with
 * status `waived` and the waiver's reason and expiry, and leaves the open counts
 * (and so the gate). An expired waiver no longer applies; the result lists every
 * waiver as active, expired or stale (matching nothing).
 */
export function applyWaivers(result: ScanResult, waivers: readonly LoadedWaiver[], now: string): ScanResult {
  const nowMs = Date.parse(now);
  const matched = new Map<string, number>(waivers.map((w) => [w.id, 0]));
  const findings = result.findings.map((finding) => waiveFinding(finding, waivers, nowMs, matched));
  const outcomes = waivers.map((w) => waiverOutcome(w, matched.get(w.id) ?? 0, nowMs));
  const summary = summarise(findings, result.accounts);
  // A rule whose findings are all waived has no open finding: it is no longer failed.
  return { ...result, rules: withRuleStatuses(result.rules, summary, findings), findings, summary, waivers: outcomes };
}

/**
 * One finding under the waivers: the first waiver in force that matches an open finding waives
 * it (so the file order decides which reason is shown). Every matching waiver, expired or not,
 * is counted in `matched` (by waiver id).
 */
export function waiveFinding(finding: Finding, waivers: readonly LoadedWaiver[], nowMs: number, matched: Map<string, number>): Finding {
  const matching = waivers.filter((w) => waiverMatches(w, finding));
  for (const w of matching) matched.set(w.id, (matched.get(w.id) ?? 0) + 1);
  const inForce = matching.find((w) => w.expiresAt > nowMs);
  return inForce && finding.status === 'open' ? waive(finding, inForce) : finding;
}

function waive(finding: Finding, waiver: LoadedWaiver): Finding {
  return {
    ...finding,
    status: 'waived',
    waiver: {
      id: waiver.id,
      reason: waiver.reason,
      ...(waiver.approvedBy ? { approvedBy: waiver.approvedBy } : {}),
      expires: waiver.expires,
    },
  };
}

/** What became of a waiver: expired, active (it matched a finding) or stale (it matched none). */
export function waiverOutcome(waiver: LoadedWaiver, matched: number, nowMs: number): WaiverOutcome {
  const state = waiver.expiresAt <= nowMs ? 'expired' : matched > 0 ? 'active' : 'stale';
  return {
    id: waiver.id,
    rule: waiver.rule,
    account: waiver.account,
    principal: waiver.principal,
    ...(waiver.credential ? { credential: waiver.credential } : {}),
    reason: waiver.reason,
    ...(waiver.approvedBy ? { approvedBy: waiver.approvedBy } : {}),
    expires: waiver.expires,
    state,
    matched,
    source: waiver.source,
  };
}
