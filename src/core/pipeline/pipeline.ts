import type { Account, AccountOutcome, WaiverOutcome } from '../../model/index.js';
import { CoverageTracker, type RuleCoverage } from '../engine/coverage.js';
import { IDENTITY_CENTER_NOTE } from '../remediation/types.js';
import { usedProcedures } from '../remediation/index.js';
import { waiverOutcome, type LoadedWaiver } from '../waivers/index.js';
import { forgetTimes } from '../report/times.js';
import { accountResult, compareWithBaseline, evaluate, plan, waive, type AccountWork, type StageSettings } from './stages.js';
import { TallyCounter, type SavedCounts } from './tallies.js';
import type { AccountSlice, RuleDefinition, RunHeader, Tallies } from './types.js';

/**
 * The stages every scanned account goes through, in this order. Waivers come before the
 * baseline (a waived finding is still new or existing) and planning comes last, so waived
 * findings do not shape plans. The sinks (reports) receive the slice after the last stage.
 */
export const STAGES: readonly ((work: AccountWork, settings: StageSettings) => AccountWork)[] = [
  evaluate,
  waive,
  compareWithBaseline,
  plan,
];

/** A pipeline's whole-organisation state as data (see {@link ScanPipeline.save}). */
export interface SavedPipeline {
  counts: SavedCounts;
  coverage: ReadonlyMap<string, RuleCoverage>;
  waiverMatches?: ReadonlyMap<string, number>;
}

/** What no credential report covers, stated once in every report. */
const SCOPE_NOTES: readonly string[] = [IDENTITY_CENTER_NOTE];

/** The settings of a run: its stages' settings, and what its header says. */
export interface PipelineSettings extends Omit<StageSettings, 'waivers'> {
  toolVersion: string;
  /** Waivers of the run and the evaluation time they are judged at (ISO 8601). */
  waivers?: { list: readonly LoadedWaiver[]; now: string };
  shard?: { index: number; count: number };
}

/**
 * The scan, one account at a time: each account goes through {@link STAGES} as soon as it
 * is collected, its slice goes to `emit` (the reports), and only tallies are kept for the
 * whole organisation. Pure: the caller collects accounts and writes the reports.
 */
export class ScanPipeline {
  readonly header: RunHeader;
  private readonly settings: StageSettings;
  private readonly coverage: CoverageTracker;
  private readonly counter = new TallyCounter();

  constructor(
    settings: PipelineSettings,
    private readonly emit: (slice: AccountSlice) => void,
  ) {
    const { waivers, toolVersion: _version, shard: _shard, ...stages } = settings;
    this.settings = {
      ...stages,
      ...(waivers
        ? { waivers: { list: waivers.list, nowMs: Date.parse(waivers.now), matched: new Map(waivers.list.map((w) => [w.id, 0])) } }
        : {}),
    };
    this.coverage = new CoverageTracker(settings.ruleset.rules);
    this.header = runHeader(settings);
  }

  /** Runs one collected account through the stages and emits its slice. */
  account(account: Account): void {
    let work: AccountWork = { account, result: accountResult(account, this.settings.asOf), findings: [], outlines: [], plans: () => [] };
    for (const stage of STAGES) work = stage(work, this.settings);
    // Evaluation and planning read the principals' parsed times; no later step does.
    forgetTimes(account.principals);
    this.coverage.scanned(account);
    const plans = work.plans;
    this.send({
      id: account.id,
      account: work.result,
      findings: work.findings,
      outlines: work.outlines,
      // The plans' text is made only if a report reads it.
      get plans() {
        return plans();
      },
      ...(work.resolved ? { resolved: work.resolved } : {}),
    });
  }

  /** Records an account that was skipped or failed. */
  outcome(outcome: AccountOutcome): void {
    this.coverage.outcome(outcome);
    this.send({ id: outcome.id, account: { ...outcome }, findings: [], plans: [], ...(this.settings.baseline ? { resolved: [] } : {}) });
  }

  private send(slice: AccountSlice): void {
    this.counter.add(slice);
    this.emit(slice);
  }

  /**
   * The whole-organisation state gathered so far, as data (it crosses threads): when several
   * pipelines (worker threads) each take a share of the accounts, the main thread's pipeline
   * {@link absorb}s theirs before {@link finish}. Every part is a sum or a union, so the tallies
   * do not depend on which pipeline saw which account.
   */
  save(): SavedPipeline {
    return {
      counts: this.counter.save(),
      coverage: this.coverage.save(),
      ...(this.settings.waivers ? { waiverMatches: this.settings.waivers.matched } : {}),
    };
  }

  /** Adds another pipeline's state (see {@link save}). */
  absorb(saved: SavedPipeline): void {
    this.counter.absorb(saved.counts);
    this.coverage.absorb(saved.coverage);
    const matched = this.settings.waivers?.matched;
    if (matched) for (const [id, n] of saved.waiverMatches ?? []) matched.set(id, (matched.get(id) ?? 0) + n);
  }

  /** The tallies, once every account has been through. */
  finish(): Tallies {
    const catalogue = this.settings.catalogue;
    return this.counter.tallies(this.header.rules, (id) => this.coverage.of(id), {
      ...(this.settings.waivers ? { waivers: waiverOutcomes(this.settings.waivers) } : {}),
      withBaseline: this.settings.baseline !== undefined,
      ...(catalogue ? { procedures: usedProcedures(catalogue, this.counter.procedures()) } : {}),
    });
  }
}

/** What the reports of a run know before its first account. */
export function runHeader(settings: PipelineSettings): RunHeader {
  const rules: RuleDefinition[] = settings.ruleset.rules.map((r) => ({
    id: r.id,
    title: r.title,
    description: r.description,
    severity: r.severity,
    parameters: { ...r.params },
    ...(r.bounds ? { bounds: { ...r.bounds } } : {}),
    frameworks: r.frameworks,
    docs: r.docs,
    source: r.file,
    ...(r.deviations.length > 0 ? { deviations: [...r.deviations] } : {}),
  }));
  return {
    schemaVersion: 2,
    toolVersion: settings.toolVersion,
    asOf: settings.asOf ?? null,
    pack: settings.ruleset.pack,
    rulesHash: settings.ruleset.hash,
    rules,
    notes: [...SCOPE_NOTES],
    ...(settings.shard ? { shard: settings.shard } : {}),
    ...(settings.ruleset.coverage.length > 0 ? { frameworkCoverage: settings.ruleset.coverage } : {}),
    ...(settings.catalogue ? { access: settings.access ?? {} } : {}),
    ruleProcedures: Object.fromEntries(settings.ruleset.rules.map((r) => [r.id, r.procedure])),
    withBaseline: settings.baseline !== undefined,
  };
}

function waiverOutcomes(state: NonNullable<StageSettings['waivers']>): WaiverOutcome[] {
  return state.list.map((waiver) => waiverOutcome(waiver, state.matched.get(waiver.id) ?? 0, state.nowMs));
}
