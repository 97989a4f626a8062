/** Levenshtein distance, small and allocation-light; inputs are short identifiers. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The closest candidate to `input`, as a "did you mean" hint, or undefined when
 * nothing is close enough to be a plausible typo.
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const list = [...candidates];
  for (const candidate of list) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const tolerance = Math.max(2, Math.floor(input.length / 3));
  if (best !== undefined && bestDistance <= tolerance) return `did you mean '${best}'?`;
  // A truncated name ("maxAge" for "maxAgeDays") is a likely slip even when far in edits.
  const extended = list.find((c) => input.length >= 3 && c.toLowerCase().startsWith(input.toLowerCase()));
  return extended !== undefined ? `did you mean '${extended}'?` : undefined;
}
