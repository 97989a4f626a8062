// Option value parsers that need nothing else, so a command can use them without loading the
// report options (formats, baselines) that options.ts brings. options.ts re-exports them.

/** Appends repeated option values (`--rules a --rules b`, or `--rules a,b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}
