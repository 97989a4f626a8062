/**
 * The as-of time of a fetched report. AWS's GeneratedTime is never earlier than the events the
 * report records; some AWS-compatible endpoints answer a fixed, years-old GeneratedTime, which
 * would make every age negative. Then the newest recorded event is the as-of time instead.
 */
import type { Principal } from '../../model/index.js';

/** Clock skew tolerated between GeneratedTime and the newest recorded event. */
const SKEW_MS = 3_600_000;

/** The newest creation, use, change or rotation time in the report, in ms; -Infinity when none. */
export function newestEventTime(principals: readonly Principal[]): number {
  let newest = Number.NEGATIVE_INFINITY;
  const see = (time: string | null) => {
    if (time === null) return;
    const ms = Date.parse(time);
    if (ms > newest) newest = ms;
  };
  for (const p of principals) {
    see(p.createdAt);
    see(p.password.lastUsed);
    see(p.password.lastChanged);
    for (const key of p.accessKeys) {
      see(key.lastRotated);
      see(key.lastUsed);
    }
    for (const cert of p.certificates) see(cert.lastRotated);
  }
  return newest;
}

/**
 * An as-of time to use instead of `generatedTime` when the report records events after it
 * (beyond clock skew), else undefined: with real AWS, always undefined.
 */
export function asOfOverride(generatedTime: string, principals: readonly Principal[]): string | undefined {
  const newest = newestEventTime(principals);
  return newest > Date.parse(generatedTime) + SKEW_MS ? new Date(newest).toISOString() : undefined;
}
