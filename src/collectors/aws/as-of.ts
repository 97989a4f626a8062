/**
 * The as-of time of a fetched report. AWS's GeneratedTime is the as-of time, and it is never
 * earlier than the events the report records, with one exception: real reports can hold a
 * few far-future dates (keys "rotated" in 2099, see test/fixtures/real-world-credential-reports),
 * which must not move the as-of time. Some AWS-compatible endpoints, though, answer a fixed,
 * years-old GeneratedTime, which would make every age negative. Only when MOST recorded
 * events lie after GeneratedTime is it treated as bogus; the as-of time is then the newest
 * event that is not later than the moment the report was fetched.
 */
import type { Principal } from '../../model/index.js';
import { formatTimestamp } from '../../core/util/time.js';

/** Clock skew tolerated between GeneratedTime and a recorded event. */
const SKEW_MS = 3_600_000;

/** Every creation, use, change or rotation time the report records, in ms. */
export function eventTimes(principals: readonly Principal[]): number[] {
  const times: number[] = [];
  const see = (time: string | null) => {
    if (time !== null) times.push(Date.parse(time));
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
  return times;
}

/**
 * An as-of time to use instead of `generatedTime` when that is evidently not the report's
 * time (most events after it, beyond clock skew), else undefined: with real AWS, always
 * undefined. `fetchedAtMs` is when the report was fetched (the collector's clock).
 */
export function asOfOverride(generatedTime: string, principals: readonly Principal[], fetchedAtMs: number): string | undefined {
  const generated = Date.parse(generatedTime);
  const times = eventTimes(principals);
  const later = times.filter((t) => t > generated + SKEW_MS);
  if (later.length * 2 <= times.length) return undefined;
  const plausible = later.filter((t) => t <= fetchedAtMs + SKEW_MS);
  if (plausible.length === 0) return undefined;
  return formatTimestamp(Math.max(...plausible));
}
