import type { ScanResult, WaiverOutcome } from '../../model/index.js';

export type { WaiverOutcome };

/** The waivers of a result, active first, then expired, then stale; empty without --waivers. */
export function waiverOutcomes(result: ScanResult): WaiverOutcome[] {
  const order: Record<WaiverOutcome['state'], number> = { active: 0, expired: 1, stale: 2 };
  return [...(result.waivers ?? [])].sort((a, b) => order[a.state] - order[b.state]);
}
