import type { Severity, WaiverOutcome } from '../model/index.js';
import type { GateCounts } from './pipeline/types.js';
import { SEVERITIES, severityRank } from '../model/index.js';
import { waiverBreadth } from './waivers/match.js';

/** The gate options of a command, and the config file's `failOn`. */
export interface GateSettings {
  failOn?: Severity | 'none';
  failOnNew?: boolean;
  configFailOn?: Severity | 'none';
}

/** Whether the exit-code gate failed, which gate it was, and how many findings crossed it. */
export interface GateOutcome {
  failed: boolean;
  /** The gate as the user set it, e.g. `--fail-on high`, `failOn: high (config file)`, `--fail-on-new`; undefined when there is none. */
  gate?: string;
  /** Open findings that crossed the gate. */
  crossed: number;
  /** What the gate counts, e.g. `open finding(s) at or above high`, `new open finding(s)`. */
  counts: { one: string; many: string };
  /**
   * Waivers in force that waive every rule or every principal (see waiverBreadth), each as
   * `file:line (rule R, account A, principal P: N findings waived)`: a gate that passes
   * because of them says so.
   */
  broadWaivers: string[];
}

/**
 * The gate: --fail-on (else the config file's failOn) on open findings at or above
 * a severity; with --fail-on-new, only open findings new since the baseline count.
 */
export function evaluateGate(counts: GateCounts, settings: GateSettings, waivers: readonly WaiverOutcome[] = []): GateOutcome {
  const failOn = settings.failOn ?? settings.configFailOn;
  const threshold = failOn === 'none' ? undefined : failOn;
  const source =
    threshold === undefined ? undefined : settings.failOn !== undefined ? `--fail-on ${threshold}` : `failOn: ${threshold} (config file)`;
  const atOrAbove = threshold === undefined ? '' : ` at or above ${threshold}`;
  const broadWaivers = broadWaiversOf(waivers);
  const crossing = (bySeverity: Record<Severity, number>) =>
    SEVERITIES.filter((s) => threshold === undefined || rank(s) <= rank(threshold)).reduce((n, s) => n + bySeverity[s], 0);
  if (settings.failOnNew) {
    const crossed = crossing(counts.newOpen);
    const gate = `--fail-on-new${source ? ` with ${source}` : ''}`;
    return {
      failed: crossed > 0,
      gate,
      crossed,
      counts: { one: `new open finding${atOrAbove}`, many: `new open findings${atOrAbove}` },
      broadWaivers,
    };
  }
  const words = { one: `open finding${atOrAbove}`, many: `open findings${atOrAbove}` };
  if (source === undefined) return { failed: false, crossed: 0, counts: words, broadWaivers };
  const crossed = crossing(counts.open);
  return { failed: crossed > 0, gate: source, crossed, counts: words, broadWaivers };
}

/** One sentence for stderr and the job summary, e.g. `gate --fail-on high failed: 3 open findings at or above high`. */
export function describeGate(outcome: GateOutcome): string | undefined {
  if (!outcome.gate) return undefined;
  const verdict = outcome.failed
    ? `gate ${outcome.gate} failed: ${outcome.crossed} ${outcome.crossed === 1 ? outcome.counts.one : outcome.counts.many}`
    : `gate ${outcome.gate} passed: no ${outcome.counts.one}`;
  return `${verdict}${broadWaiverNote(outcome)}`;
}

/** The broad waivers in force, named, for the gate sentence: empty when there are none. */
export function broadWaiverNote(outcome: Pick<GateOutcome, 'broadWaivers'>): string {
  const broad = outcome.broadWaivers;
  if (broad.length === 0) return '';
  return `; ${broad.length === 1 ? 'a broad waiver is' : `${broad.length} broad waivers are`} in force: ${broad.join('; ')}`;
}

/** Active waivers that waive every rule or every principal, described for people. */
function broadWaiversOf(waivers: readonly WaiverOutcome[]): string[] {
  return waivers
    .filter((w) => w.state === 'active' && waiverBreadth(w) !== 'narrow')
    .map(
      (w) =>
        `${w.source ?? w.id} (rule ${w.rule}, account ${w.account}, principal ${w.principal}${w.credential ? `, ${w.credential}` : ''}: ${w.matched} finding${w.matched === 1 ? '' : 's'} waived)`,
    );
}

function rank(severity: Severity): number {
  return severityRank(severity);
}
