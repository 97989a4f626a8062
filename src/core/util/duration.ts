const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `4h`, `30m`, `1h30m`, `90s`, `250ms` or bare seconds into ms; NaN when malformed. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) return Number.NaN;
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2] ?? 's'] ?? Number.NaN), 0);
}

/** A duration setting checked against its range: the milliseconds, or why the text is not acceptable. */
export function checkDuration(
  text: string,
  minMs: number,
  maxMs: number,
): { ms: number; problem?: { message: string; suggestion: string } } {
  const ms = parseDuration(text);
  if (Number.isNaN(ms)) return { ms, problem: { message: `'${text}' is not a duration`, suggestion: 'e.g. 90s, 30m, 4h or 1h30m' } };
  if (ms < minMs || ms > maxMs)
    return { ms, problem: { message: `'${text}' is out of range`, suggestion: `between ${minMs / 1000} s and ${maxMs / 1000} s` } };
  return { ms };
}
