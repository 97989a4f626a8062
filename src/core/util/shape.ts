/**
 * Describes an input value without repeating it. Error messages about values that may be
 * secrets (a credentials file passed as --accounts-file, a key pasted into a flag) say what the
 * value looks like, e.g. "40 characters (letters, digits, symbols)", never the value itself.
 */
export function safeShape(value: string): string {
  const kinds: string[] = [];
  if (/[A-Za-z]/.test(value)) kinds.push('letters');
  if (/\d/.test(value)) kinds.push('digits');
  if (/[^A-Za-z\d\s]/.test(value)) kinds.push('symbols');
  if (/\s/.test(value)) kinds.push('spaces');
  const length = [...value].length;
  return `${length} character${length === 1 ? '' : 's'}${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`;
}
