/**
 * Limits of AWS Security Hub's BatchImportFindings and of the AWS Security Finding Format
 * (ASFF), as the Security Hub API reference and the SDK model document them. credwarden
 * keeps every finding inside them, so AWS never rejects one for its shape.
 */
import { sha256 } from '../util/hash.js';

export const ASFF_LIMITS = {
  /** Findings per BatchImportFindings (and BatchUpdateFindings) request. */
  findingsPerBatch: 100,
  /** Bytes of one finding (240 KB). */
  findingBytes: 240 * 1024,
  /** Bytes of one BatchImportFindings request (6 MB). */
  batchBytes: 6 * 1024 * 1024,
  id: 512,
  generatorId: 512,
  title: 256,
  description: 1024,
  recommendationText: 512,
  noteText: 512,
  types: 50,
  relatedRequirements: 32,
  resources: 32,
  productFields: 50,
  productFieldKey: 128,
  productFieldValue: 2048,
  resourceType: 256,
  /** Resources[].Id: 512 characters. */
  resourceId: 512,
  /** Names and paths in Resources[].Details (UserName, PrincipalName, Path): IAM allows 64 and 512; longer ones are clipped. */
  resourceName: 512,
  awsAccountName: 50,
  region: 16,
} as const;

/** The schema version of every ASFF finding. */
export const ASFF_SCHEMA_VERSION = '2018-10-08';

/**
 * `text` cut to at most `max` characters (Unicode code points, never half a surrogate pair),
 * ending with an ellipsis when cut. An empty text becomes `fallback`, because ASFF strings
 * have a minimum length of 1.
 */
export function clip(text: string, max: number, fallback = '-'): string {
  const clean = text.trim() === '' ? fallback : text;
  // A string never has more code points than UTF-16 units: most texts need no counting.
  if (clean.length <= max) return clean;
  let end = 0;
  let points = 0;
  while (end < clean.length && points < max - 1) {
    end += (clean.codePointAt(end) ?? 0) > 0xffff ? 2 : 1;
    points += 1;
  }
  if (points < max - 1 || end >= clean.length) return clean;
  // Exactly one code point left (one or two UTF-16 units): the text fits as it is.
  const rest = clean.length - end;
  if (rest === 1 || (rest === 2 && (clean.codePointAt(end) ?? 0) > 0xffff)) return clean;
  return `${clean.slice(0, end)}…`;
}

/**
 * An identifier cut to `max` characters like {@link clip}, ending with a hash of the whole
 * value when cut, so that two long identifiers with one prefix (tampered names) stay two
 * resources in Security Hub rather than one.
 */
export function clipId(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = `[sha256 ${sha256(text).slice(0, 16)}]`;
  const clipped = clip(text, max - tail.length);
  return clipped === text ? text : `${clipped}${tail}`;
}
