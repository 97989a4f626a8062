import { visibleControls } from './escape.js';

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

/**
 * Quotes a value from an input file that is not secret (a report cell, a date) for an error
 * message: control characters visible, and at most 40 characters, so that a 10 MB field
 * gives a one-line message, not a 10 MB one.
 */
export function quoteValue(value: string): string {
  if (value.length <= 40) return `'${visibleControls(value)}'`;
  return `'${visibleControls(value.slice(0, 40))}…' (${value.length} characters)`;
}
