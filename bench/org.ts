/**
 * The synthetic organisation shared by every scenario. Reports come from the sandbox's
 * deterministic generator (src/sandbox/generate.ts), so offline and live scenarios see
 * the same mix of credential states for the same seed.
 */

/** GeneratedTime of every offline report and the as-of time of the offline scenario. */
export const BENCH_GENERATED_AT = Date.parse('2026-06-01T00:00:00Z');

/** Seed of every generated report. */
export const BENCH_SEED = 7;

/** The account id of the i-th generated account (the sandbox generator's numbering). */
export function accountIdOf(index: number): string {
  return String(100_000_000_000 + index);
}
