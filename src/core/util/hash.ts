import * as crypto from 'node:crypto';

// crypto.hash (Node >= 20.12) hashes in one call, several times faster than createHash for
// short inputs such as fingerprints; older Node 20 releases fall back to createHash.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** Hex sha256 of a string; used for fingerprints and the rules hash. */
export function sha256(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

/** Base64 sha256 of a string, as a Content-Security-Policy hash source wants it. */
export function sha256Base64(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('base64');
}
