import * as crypto from 'node:crypto';

// crypto.hash (Node >= 20.12) hashes in one call, several times faster than createHash for
// short inputs such as fingerprints; older Node 20 releases fall back to createHash.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** Hex sha256 of a string; used for fingerprints and the rules hash. */
export function sha256(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

/**
 * `prefix` and the first `digits` hex digits of the sha256 of `text`, as one flat string: a
 * finding's fingerprint, a plan's id. In V8 a slice of 13 characters or more is a view that keeps
 * the whole 64-digit digest alive, and `prefix + digits` a rope of both; a scan keeps every
 * fingerprint and plan id until its account's reports are written, where such a string takes
 * 112 to 144 bytes instead of 40 to 48. Array join copies its parts into one string (given two
 * parts at least, which the halves ensure: a single part it returns as it is).
 */
export function sha256Id(prefix: string, text: string, digits: number): string {
  const digest = sha256(text);
  const half = digits >> 1;
  return [prefix, digest.slice(0, half), digest.slice(half, digits)].join('');
}

/** Base64 sha256 of a string, as a Content-Security-Policy hash source wants it. */
export function sha256Base64(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('base64');
}
