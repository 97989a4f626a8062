/**
 * The stages one account goes through, in order (see STAGES in ./pipeline.ts). Each is a
 * pure function of the account's work so far and the run's settings; none looks at another
 * account.
 */
import type { Account, AccountResult, Finding, Plan } from '../../model/index.js';
import { accountAsOf, evaluateAccount } from '../engine/evaluate.js';
import { compareFindings } from '../engine/result.js';
import type { Ruleset } from '../rules/ruleset.js';
import { waiveFinding, type LoadedWaiver } from '../waivers/index.js';
import { namePlans, planAccount, type Catalogue, type PlanOutline, type ScanAccess } from '../remediation/index.js';
import type { BaselineIndex } from './baseline.js';
import { firstSeenFromBaseline } from '../baseline/first-seen.js';

/** One account on its way through the stages. */
export interface AccountWork {
  /** The collected account (principals included); dropped once the slice is made. */
  account: Account;
  result: AccountResult;
  findings: Finding[];
  /** What every report needs of each plan, and what the planner knew (a compact result stores it). */
  outlines: PlanOutline[];
  /** The whole plans, made when first called (only reports that show one principal's plan need them). */
  plans: () => Plan[];
  resolved?: Finding[];
}

/** The settings of a run's stages. */
export interface StageSettings {
  ruleset: Ruleset;
  /** The --as-of override. */
  asOf?: string;
  waivers?: WaiverState;
  baseline?: BaselineIndex;
  /** Without a catalogue no plan is made. */
  catalogue?: Catalogue;
  access?: ScanAccess;
}

/** The waivers of a run and how often each matched so far (a sum: order does not matter). */
export interface WaiverState {
  list: readonly LoadedWaiver[];
  /** Evaluation time, epoch ms: a waiver past it has expired. */
  nowMs: number;
  matched: Map<string, number>;
}

/** Evaluate: every rule on every principal of the account; findings in the result's order. */
export function evaluate(work: AccountWork, settings: StageSettings): AccountWork {
  const findings = evaluateAccount(work.account, settings.ruleset, settings.asOf).sort(compareFindings);
  return { ...work, findings };
}

/** Waive: the first waiver in force that matches an open finding waives it; expired ones only count. */
export function waive(work: AccountWork, settings: StageSettings): AccountWork {
  const waivers = settings.waivers;
  if (!waivers || waivers.list.length === 0) return work;
  const findings = work.findings.map((finding) => waiveFinding(finding, waivers.list, waivers.nowMs, waivers.matched));
  return { ...work, findings };
}

/** Compare with the baseline: each finding new or existing; the baseline's findings now gone are resolved. */
export function compareWithBaseline(work: AccountWork, settings: StageSettings): AccountWork {
  const baseline = settings.baseline;
  if (!baseline) return work;
  const before = baseline.findingsOf(work.result.id);
  const baselineAsOf = baseline.asOfOf(work.result.id);
  const priorByPrint = new Map(before.map((f) => [f.fingerprint, f]));
  const printsNow = new Set(work.findings.map((f) => f.fingerprint));
  const findings: Finding[] = work.findings.map((f) => {
    const prior = priorByPrint.get(f.fingerprint);
    const firstSeen = firstSeenFromBaseline(prior, baselineAsOf);
    return { ...f, baseline: prior ? 'existing' : 'new', ...(firstSeen !== undefined ? { firstSeen } : {}) };
  });
  const resolved = before.filter((f) => !printsNow.has(f.fingerprint)).map((f) => asResolved(f, baselineAsOf));
  return { ...work, findings, resolved };
}

/** A baseline finding as listed among the resolved: its plan was the baseline's, not this result's. */
function asResolved(finding: Finding, baselineAsOf: string | undefined): Finding {
  const { baseline: _baseline, remediation, firstSeen: _firstSeen, ...rest } = finding;
  const firstSeen = firstSeenFromBaseline(finding, baselineAsOf);
  return { ...rest, remediation: { procedure: remediation.procedure }, ...(firstSeen !== undefined ? { firstSeen } : {}) };
}

/** Plan: one merged plan per principal with open findings, from this account's findings only (the text only when read). */
export function plan(work: AccountWork, settings: StageSettings): AccountWork {
  if (!settings.catalogue) return work;
  const planned = planAccount(work.account, work.result, work.findings, settings.catalogue, {
    asOf: settings.asOf ?? null,
    access: settings.access ?? {},
  });
  // The findings are this account's own: the evaluate stage made them and every stage that
  // changes one copies it. Naming their plans in place spares a copy of every finding.
  namePlans(work.findings, planned.planIds);
  return { ...work, outlines: planned.outlines, plans: planned.plans };
}

/** The account's line in the result. */
export function accountResult(account: Account, asOf: string | undefined): AccountResult {
  return {
    id: account.id,
    ...(account.name !== undefined ? { name: account.name } : {}),
    ...(account.ouPath !== undefined ? { ouPath: account.ouPath } : {}),
    reportGeneratedTime: account.reportGeneratedTime,
    asOf: accountAsOf(account, asOf),
    status: 'scanned',
    principals: account.principals.length,
    ...(account.facts !== undefined ? { facts: reportedFacts(account.facts) } : {}),
  };
}

/**
 * Account facts for the result. Facts named `…Inputs` are a collector's raw inputs (e.g. the
 * authorization details behind recovery paths): evidence for the snapshot, too large and
 * too detailed for every report.
 */
function reportedFacts(facts: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(facts).filter(([name]) => !name.endsWith('Inputs')));
}
